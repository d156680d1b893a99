import Foundation
import Testing
import Backprop
@testable import BackpropShell

/// `show net` draws the network: units with their values, Θ's rows between layers,
/// aligned, within 80 columns, never garbled. The golden outputs of several shapes are
/// Transcripts/05-show-net.transcript (Unicode) and 06-show-net-ascii.transcript.
@Suite struct ShowNetTests {
    func session(unicode: Bool = true, color: Bool = false) -> Session {
        Session(style: Style(unicode: unicode, color: color, precision: 9))
    }

    func run(_ session: Session, _ lines: String...) -> String {
        var last = Output(text: "")
        for line in lines {
            last = session.execute(line)
            #expect(!last.isError, "\(line): \(last.text)")
        }
        return last.text
    }

    /// Only the diagram (and its footer): what follows the description's blank line.
    func diagram(_ text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let blank = lines.firstIndex(of: "") ?? 0
        return Array(lines[(blank + 1)...])
    }

    static func stripped(_ s: String) -> String {
        s.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
    }

    @Test func theClassicExampleShowsItsNumbers() {
        let text = run(session(), "show net")
        #expect(diagram(text) == [
            "  x           Θ⁽¹⁾       b⁽¹⁾      a⁽¹⁾          Θ⁽²⁾       b⁽²⁾     a⁽²⁾",
            "  x₁ 0.05 ─┬─ 0.15  0.2  + 0.35 ─▶ a₁ 0.5933 ─┬─ 0.4  0.45  + 0.6 ─▶ a₁ 0.7514",
            "  x₂ 0.1 ──┴─ 0.25  0.3  + 0.35 ─▶ a₂ 0.5969 ─┴─ 0.5  0.55  + 0.6 ─▶ a₂ 0.7729",
            "",
            "  y = [ 0.01  0.99 ]   J = 0.2984",
            "  row i of Θ⁽ˡ⁾: weights into unit i; column j: from unit j of layer l−1",
        ])
    }

    @Test func netDrawsTheShapeEveryUnitJoinedToTheNextLayer() {
        let text = run(session(), "net 2 3 2")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("  x₁ ─┬─▶ ○ a₁⁽¹⁾ ─┬─▶ ○ a₁⁽²⁾"))
        #expect(lines.contains("  x₂ ─┼─▶ ○ a₂⁽¹⁾ ─┼─▶ ○ a₂⁽²⁾"))
        #expect(lines.contains("      └─▶ ○ a₃⁽¹⁾ ─┘"))
    }

    @Test func zAndDeltaOnRequest() {
        let s = session()
        let z = run(s, "show net z")
        #expect(z.contains("z₁ 0.3775 a₁ 0.5933"), "\(z)")
        let delta = run(s, "show net delta")
        #expect(delta.contains("δ₁  0.138"), "\(delta)")
        let error = s.execute("show net q")
        #expect(error.isError && error.text.contains("show net [z|delta]"))
        #expect(s.completions(for: "show net ") == ["z", "delta"])
    }

    /// Every shape from 1 to 10 units in up to 5 layers, and large ones: each line fits
    /// 80 columns, each band's bus is unbroken, every shown unit is drawn once.
    @Test(arguments: [true, false])
    func everyShapeFitsAndIsWellFormed(unicode: Bool) {
        var shapes: [[Int]] = [[1, 1], [2, 2, 1], [2, 3, 2], [3, 4, 4, 2], [4, 8, 3], [64, 32, 10], [784, 30, 10],
                               [8, 8, 8, 8, 8], [10, 9, 1], [1, 8, 1, 8], [5, 5, 5, 5, 5, 5, 5, 5]]
        // Random shapes, the same on every run (a failure names its shape).
        var generator = SeededGenerator(seed: 20261129)
        shapes.append([4, 6, 1, 6, 10])  // once drawn twice by a loose test: a middle cell ending in "-+"
        for _ in 0..<24 {
            let L = Int.random(in: 1...5, using: &generator)
            shapes.append((0...L).map { _ in Int.random(in: 1...10, using: &generator) })
        }
        for shape in shapes {
            for bias in ["on", "off"] {
                let s = session(unicode: unicode)
                _ = run(s, "net \(shape.map(String.init).joined(separator: " ")) bias=\(bias)", "init seed=7")
                for what in ["", " z", " delta"] {
                    let text = run(s, "show net" + what)
                    check(diagram(text), shape: shape, unicode: unicode, context: "\(shape) bias=\(bias) show net\(what)")
                }
                let shapeText = run(s, "net \(shape.map(String.init).joined(separator: " ")) bias=\(bias)")
                for line in shapeText.split(separator: "\n") {
                    #expect(line.count <= 80, "net \(shape): \(line.count) columns: \(line)")
                }
            }
        }
    }

    func check(_ lines: [String], shape: [Int], unicode: Bool, context: String) {
        for line in lines {
            #expect(line.count <= 80, "\(context): \(line.count) columns:\n\(line)")
        }
        // The bands: blocks of lines up to the blank line before the footer.
        guard let footer = lines.lastIndex(where: { $0.hasPrefix("  y = ") || $0.hasPrefix("  J = ") }) else {
            Issue.record("\(context): no y/J line:\n\(lines.joined(separator: "\n"))")
            return
        }
        let drawn = Array(lines[..<(footer - 1)])
        var bands: [[String]] = [[]]
        for line in drawn {
            if line.isEmpty { bands.append([]) } else { bands[bands.count - 1].append(line) }
        }
        let busCharacters: Set<Character> = unicode ? ["┬", "┼", "┴", "├", "┤", "┌", "┐", "└", "┘", "│"] : ["+", "|"]
        var unitsSeen = 0
        for band in bands {
            let body = band.dropFirst().map { Array($0) }  // the first line holds the titles
            let width = body.map(\.count).max() ?? 0
            for column in 0..<width {
                let rows = body.indices.filter { column < body[$0].count && busCharacters.contains(body[$0][column]) }
                guard rows.count >= 2 || (rows.count == 1 && !unicode) else { continue }
                // Bus columns hold no gap between their first and last row.
                if let first = rows.first, let last = rows.last, unicode {
                    for row in first...last {
                        #expect(column < body[row].count && busCharacters.contains(body[row][column]),
                                "\(context): the bus in column \(column) is broken:\n\(band.joined(separator: "\n"))")
                    }
                }
            }
            unitsSeen += band.count - 1
        }
        #expect(unitsSeen >= shape.map { min($0, NetworkDiagram.maximumShown) }.max()!, "\(context)")
        // Every unit of the last layer that is shown appears once.
        let L = shape.count - 1
        let last = bands.last ?? []
        let n = Notation(unicode: unicode)
        let arrow = unicode ? "─▶ " : "-> "
        let lastCells = last.compactMap { line -> String? in
            guard let range = line.range(of: arrow, options: .backwards) else { return nil }
            let cell = String(line[range.upperBound...])
            let goesOn = unicode ? cell.contains("─") : cell.contains("-+") || cell.contains("+-")
            return goesOn ? nil : cell  // a middle layer's cell goes on to the next bus
        }
        for i in NetworkDiagram.shown(shape[L]).compactMap({ $0 }) {
            let name = n.units([i])
            let hits = lastCells.filter { cell in
                ["a", "z", n.symbolName("δ")].contains { cell.hasPrefix($0 + name + " ") }
            }
            #expect(hits.count == 1, "\(context): output unit \(i) drawn \(hits.count) times:\n\(last.joined(separator: "\n"))")
        }
    }

    @Test func colourDoesNotMoveAnything() {
        for command in ["show net", "show net z", "net 4 8 3", "show net", "net 64 32 10", "show net delta"] {
            let plain = session(), painted = session(color: true)
            if command.hasPrefix("show net") && command != "show net" || command == "show net" {
                _ = plain.execute("init seed=2"); _ = painted.execute("init seed=2")
            }
            let a = plain.execute(command).text
            let b = painted.execute(command).text
            #expect(Self.stripped(b) == a, "\(command)")
            for line in b.split(separator: "\n") {
                #expect(String(line).visibleWidth <= 80)
            }
        }
    }

    @Test func shadingUsesTheLargestWeight() {
        let s = session()
        _ = run(s, "net 8 8 2", "init seed=1")
        let text = run(s, "show net")
        #expect(text.contains("shades: |θ| against the largest entry of its Θ⁽ˡ⁾"), "\(text)")
        #expect(text.contains("█"), "the largest weight is drawn full: \(text)")
    }
}
