/// The one place that turns values into the text the shell prints: the notation
/// (Unicode or ASCII), the precision, and whether colour is on.
public struct Renderer: Sendable {
    public let style: Style
    public let n: Notation
    public let number: NumberFormat

    public init(style: Style) {
        self.style = style
        self.n = Notation(unicode: style.unicode)
        self.number = NumberFormat(precision: style.precision)
    }

    /// A number at the set precision.
    public func num(_ x: Double) -> String { number.format(x) }

    /// A number as a factor in a product: negative numbers in parentheses.
    public func factor(_ x: Double) -> String {
        let s = num(x)
        return x < 0 || s.hasPrefix("-") ? "(\(s))" : s
    }

    // MARK: colour

    private func paint(_ s: String, _ code: String) -> String {
        style.color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
    /// A heading or an equation's left-hand side.
    public func heading(_ s: String) -> String { paint(s, "1") }
    /// A result value.
    public func value(_ s: String) -> String { paint(s, "36") }
    /// Something secondary: what comes next, notes.
    public func dim(_ s: String) -> String { paint(s, "2") }
    /// An error line.
    public func error(_ s: String) -> String { paint("error: \(s)", "31") }
    /// A good verdict.
    public func good(_ s: String) -> String { paint(s, "32") }
    /// A bad verdict.
    public func bad(_ s: String) -> String { paint(s, "31") }

    // MARK: layout

    /// Numbers aligned on the decimal point: each returned string has the same width.
    public func aligned(_ values: [Double]) -> [String] {
        let texts = values.map(num)
        return alignedTexts(texts)
    }

    /// Texts aligned on their decimal point (or end, when they have none).
    public func alignedTexts(_ texts: [String]) -> [String] {
        func split(_ s: String) -> (String, String) {
            if let dot = s.firstIndex(where: { $0 == "." || $0 == "e" }) {
                return (String(s[..<dot]), String(s[dot...]))
            }
            return (s, "")
        }
        let parts = texts.map(split)
        let left = parts.map(\.0.count).max() ?? 0
        let right = parts.map(\.1.count).max() ?? 0
        return parts.map { pad(left: $0.0, to: left) + pad($0.1, to: right) }
    }

    /// A matrix as bracketed rows, its columns aligned; `label` is written before the
    /// first row (or the middle row), the other rows indented to match.
    public func matrix(_ rows: [[Double]], label: String = "") -> [String] {
        guard let cols = rows.first?.count, cols > 0 else { return [label + "[ ]"] }
        var columns: [[String]] = []
        for c in 0..<cols { columns.append(aligned(rows.map { $0[c] })) }
        let lines = rows.indices.map { r in (0..<cols).map { columns[$0][r] }.joined(separator: "  ") }
        let indent = String(repeating: " ", count: label.visibleWidth)
        if rows.count == 1 { return [label + "[ " + lines[0] + " ]"] }
        let middle = (rows.count - 1) / 2
        return lines.enumerated().map { index, line in
            let (open, close): (String, String)
            if !n.unicode {
                (open, close) = ("[", "]")
            } else if index == 0 {
                (open, close) = ("⎡", "⎤")
            } else if index == rows.count - 1 {
                (open, close) = ("⎣", "⎦")
            } else {
                (open, close) = ("⎢", "⎥")
            }
            return (index == middle ? label : indent) + open + " " + line + " " + close
        }
    }

    /// Rows of cells as a table with left-aligned columns two spaces apart.
    public func table(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { c in
            rows.map { c < $0.count ? $0[c].visibleWidth : 0 }.max() ?? 0
        }
        return rows.map { row in
            row.enumerated().map { c, cell in c == row.count - 1 ? cell : pad(cell, to: widths[c]) }
                .joined(separator: "  ")
        }
    }
}

/// s padded with spaces on the right to `width` characters.
func pad(_ s: String, to width: Int) -> String {
    s.visibleWidth >= width ? s : s + String(repeating: " ", count: width - s.visibleWidth)
}

/// s padded with spaces on the left to `width` characters.
func pad(left s: String, to width: Int) -> String {
    s.visibleWidth >= width ? s : String(repeating: " ", count: width - s.visibleWidth) + s
}

extension Renderer {
    /// Blocks of lines set side by side, each centred vertically, joined by `separators`
    /// (one fewer than the blocks; written on the middle line, spaces elsewhere).
    public func beside(_ blocks: [[String]], _ separators: [String]) -> [String] {
        let height = blocks.map(\.count).max() ?? 0
        let middle = (height - 1) / 2
        let widths = blocks.map { $0.map(\.visibleWidth).max() ?? 0 }
        return (0..<height).map { row in
            var line = ""
            for (b, block) in blocks.enumerated() {
                let top = (height - block.count) / 2
                let index = row - top
                line += pad(index >= 0 && index < block.count ? block[index] : "", to: widths[b])
                if b < separators.count {
                    let sep = separators[b]
                    line += row == middle ? sep : String(repeating: " ", count: sep.visibleWidth)
                }
            }
            return line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }

    /// A column vector block.
    public func column(_ values: [Double]) -> [String] { matrix(values.map { [$0] }) }

    /// A matrix block from a Matrix.
    public func block(_ m: Matrix) -> [String] { matrix((0..<m.rows).map(m.row)) }
}

import Backprop
import Foundation

extension String {
    /// The number of characters a terminal shows: colour escapes (ESC [ … m) take none.
    var visibleWidth: Int {
        guard contains("\u{1B}") else { return count }
        var width = 0
        var inEscape = false
        for c in self {
            if inEscape {
                if c == "m" { inEscape = false }
            } else if c == "\u{1B}" {
                inEscape = true
            } else {
                width += 1
            }
        }
        return width
    }
}
