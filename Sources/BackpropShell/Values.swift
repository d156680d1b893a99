/// Reading numbers, vectors and matrices as the shell's language writes them: Swift
/// `Double` literals; `[0.15 0.20; 0.25 0.30]` with `;` between rows and spaces or
/// commas between entries.
enum Values {
    /// A finite Double from its literal; NaN, infinities and overflow are refused.
    static func number(_ text: String, what: String = "a number") throws(ShellError) -> Double {
        let cleaned = text.replacingOccurrences(of: "_", with: "")
        guard !cleaned.isEmpty, let value = Double(cleaned), cleaned.lowercased() != "0x" else {
            throw ShellError("'\(text)' is not \(what)", near: text)
        }
        let lower = cleaned.lowercased()
        if value.isNaN {
            throw ShellError("NaN is not allowed as \(what)", near: text)
        }
        if value.isInfinite {
            if lower.contains("inf") {
                throw ShellError("infinity is not allowed as \(what)", near: text)
            }
            throw ShellError("'\(text)' is too large: it overflows a Double", near: text)
        }
        return value
    }

    /// A whole number in `range`.
    static func integer(_ text: String, what: String, in range: ClosedRange<Int>) throws(ShellError) -> Int {
        guard let value = Int(text) else {
            if let d = Double(text), d.isFinite, d == d.rounded() {
                throw ShellError("\(what) must be between \(range.lowerBound) and \(range.upperBound), not \(text)", near: text)
            }
            throw ShellError("\(what) must be a whole number, not '\(text)'", near: text)
        }
        guard range.contains(value) else {
            throw ShellError("\(what) must be between \(range.lowerBound) and \(range.upperBound), not \(value)", near: text)
        }
        return value
    }

    /// The rows of a bracketed literal (text between the brackets).
    static func matrix(_ inner: String) throws(ShellError) -> [[Double]] {
        let rowTexts = inner.split(separator: ";", omittingEmptySubsequences: false)
        var rows: [[Double]] = []
        for (index, rowText) in rowTexts.enumerated() {
            let entries = rowText.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
            if entries.isEmpty {
                if rowTexts.count == 1 { throw ShellError("the matrix [] is empty", near: "[]") }
                if index == rowTexts.count - 1 { continue }  // a trailing ';'
                throw ShellError("row \(index + 1) of the matrix is empty", near: "[\(inner)]")
            }
            var row: [Double] = []
            for entry in entries {
                row.append(try number(String(entry), what: "a matrix entry"))
            }
            if let first = rows.first, first.count != row.count {
                throw ShellError("ragged matrix: row \(index + 1) has \(row.count) entr\(row.count == 1 ? "y" : "ies"), row 1 has \(first.count)",
                                 near: String(rowText).trimmingCharacters(in: .whitespaces))
            }
            rows.append(row)
        }
        guard !rows.isEmpty else { throw ShellError("the matrix [] is empty", near: "[]") }
        return rows
    }

    /// A vector written as one row [a b c] or one column [a; b; c].
    static func vector(_ inner: String) throws(ShellError) -> [Double] {
        let rows = try matrix(inner)
        if rows.count == 1 { return rows[0] }
        if rows.allSatisfy({ $0.count == 1 }) { return rows.map { $0[0] } }
        throw ShellError("expected a vector (one row or one column), got a \(rows.count) × \(rows[0].count) matrix",
                         near: "[\(inner)]")
    }
}

import Foundation
