import Backprop
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import BackpropShell

/// `plot`: J per epoch in the terminal (braille or ASCII) and as SVG.
@Suite struct PlotTests {
    /// A session whose log is set by hand: J = `J`, accuracy on the last entry.
    func session(J: [Double], accuracy: Double? = nil, test: Double? = nil, unicode: Bool = true) -> Session {
        let s = Session(style: Style(unicode: unicode, color: false, precision: 9))
        s.state.trainingLog = J.enumerated().map { EpochLog(epoch: $0.offset + 1, J: $0.element) }
        if let accuracy { s.state.trainingLog[J.count - 1].trainAccuracy = accuracy }
        if let test { s.state.trainingLog[J.count - 1].testAccuracy = test }
        return s
    }

    func checkShape(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count <= 16, "\(lines.count) lines", sourceLocation: sourceLocation)
        for line in lines {
            #expect(line.count <= 72, "a line of \(line.count) columns: \(line)", sourceLocation: sourceLocation)
        }
    }

    static let braille: ClosedRange<Unicode.Scalar> = "\u{2801}"..."\u{28FF}"

    /// The rows of the plot area (between the "J" line and the axis), without labels.
    func plotRows(_ text: String) -> [String] {
        let lines = text.split(separator: "\n").map(String.init)
        let axis = lines.firstIndex { $0.contains("└") || $0.contains("+-") }!
        return Array(lines[2..<axis])
    }

    @Test func nothingToPlotYet() {
        let s = IOTest.session()
        #expect(IOTest.fails(s, "plot") == "error: nothing to plot yet: train first (e.g. data xor, net 2 2 1, init seed=1, train epochs=2000 alpha=2)")
        #expect(IOTest.fails(s, "plot file=x.svg").contains("nothing to plot yet"))
    }

    @Test func fallingLineWithTicks() {
        let s = session(J: [4, 3, 2, 1])
        let text = IOTest.ok(s, "plot")
        checkShape(text)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "J per epoch, epochs 1–4: 4 → 1")
        #expect(lines[1] == "  J ▲")
        // Max at the top row, min at the bottom, the middle between them.
        #expect(lines[2].hasPrefix("  4 ┤"))
        #expect(lines.contains { $0.hasPrefix("2.5 ┤") })
        #expect(lines.contains { $0.hasPrefix("  1 ┤") })
        // The epoch axis and its labels.
        #expect(lines[lines.count - 2].hasPrefix("    └┬") && lines[lines.count - 2].hasSuffix("┬ epoch"))
        #expect(lines[lines.count - 1].hasPrefix("     1"))
        #expect(lines[lines.count - 1].hasSuffix("4"))
        // The line starts at the top left and ends at the bottom right.
        let rows = plotRows(text)
        let first = rows.first!.unicodeScalars.dropFirst(5).first!
        let last = rows.last!.unicodeScalars.last!
        #expect(Self.braille.contains(first) && Self.braille.contains(last))
        // Top-left dot of the first cell (bit 0x01); bottom-right dot of the last (0x80).
        #expect(first.value & 0x01 != 0)
        #expect(last.value & 0x80 != 0)
        // Every column of the plot has a dot: the line is connected.
        let width = rows[0].count - 5
        for col in 0..<width {
            #expect(rows.contains { let a = Array($0); return 5 + col < a.count && a[5 + col] != " " }, "column \(col) is empty")
        }
    }

    @Test func asciiNotationUsesOnlyASCII() {
        let s = session(J: (0..<300).map { 1 / Double($0 + 1) }, accuracy: 0.75, unicode: false)
        let text = IOTest.ok(s, "plot")
        checkShape(text)
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(text.contains("*"))
        #expect(text.contains("epoch"))
        #expect(text.hasPrefix("J per epoch, epochs 1-300: 1 -> 0.003333"))
        #expect(text.contains("accuracy (right axis), at the end: o training 75.0%"))
        // The accuracy mark sits on its row of the 0 … 100% axis: 75% is a quarter down.
        let rows = plotRows(text)
        let markRow = rows.firstIndex { $0.contains("o") }!
        #expect(markRow == Int((0.25 * Double(rows.count - 1)).rounded()))
    }

    @Test func accuracyOnTheRightAxis() {
        let s = session(J: [0.9, 0.5, 0.2], accuracy: 1, test: 0.5)
        let text = IOTest.ok(s, "plot")
        checkShape(text)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[2].hasSuffix("●├ 100%"))
        #expect(lines.contains { $0.hasSuffix("○├ 50%") })
        #expect(lines.contains { $0.hasSuffix("├ 0%") })
        #expect(lines.last == "accuracy (right axis), at the end: ● training 100.0%  ○ test 50.0%")
    }

    @Test func longRunsStayInTheBox() {
        // 20 000 noisy epochs, then a real run.
        var generator = SeededGenerator(seed: 3)
        let J = (0..<20_000).map { 10 * exp(-Double($0) / 3000) + generator.uniform() }
        let s = session(J: J, accuracy: 0.5)
        let text = IOTest.ok(s, "plot")
        checkShape(text)
        #expect(text.contains("20000"))
        let f = NumberFormat(precision: 4)
        #expect(text.contains(f.format(J.max()!) + " ┤"))
        #expect(text.contains(f.format(J.min()!) + " ┤"))
        checkShape(IOTest.ok(s, "plot scale=log"))
    }

    @Test func oneEpochAndAFlatLine() {
        checkShape(IOTest.ok(session(J: [0.5]), "plot"))
        #expect(IOTest.ok(session(J: [0.5]), "plot").hasPrefix("J per epoch, epoch 1: 0.5 → 0.5"))
        let flat = IOTest.ok(session(J: [2, 2, 2]), "plot")
        checkShape(flat)
        // A flat J is one row of dots in the middle, between widened ticks 1 and 3.
        let rows = plotRows(flat)
        let dotted = rows.indices.filter { rows[$0].unicodeScalars.contains { Self.braille.contains($0) } }
        #expect(dotted.count == 1)
        #expect(abs(dotted[0] - (rows.count - 1) / 2) <= 1)
        #expect(flat.contains("\n3 ┤") && flat.contains("\n1 ┤"))
    }

    @Test func logScale() {
        let s = session(J: [100, 10, 1, 0.1, 0.01])
        let text = IOTest.ok(s, "plot scale=log")
        #expect(text.hasPrefix("J per epoch (log scale), epochs 1–5: 100 → 0.01"))
        // The geometric middle of 100 and 0.01 is 1.
        #expect(text.contains("\n   1 ┤"))
        #expect(IOTest.fails(session(J: [1, 0]), "plot scale=log") == "error: scale=log needs J above 0 in every epoch; use scale=linear")
        #expect(IOTest.fails(s, "plot scale=cubic").contains("scale= must be linear or log"))
    }

    @Test func afterTraining() {
        let s = IOTest.session()
        IOTest.ok(s, "data xor", "net 2 2 1", "init seed=3 scheme=xavier", "train epochs=500 alpha=2", "train epochs=500 alpha=2")
        #expect(s.state.trainingLog.count == 1000)
        #expect(s.state.trainingLog.map(\.epoch) == Array(1...1000))
        let text = IOTest.ok(s, "plot")
        checkShape(text)
        #expect(text.contains("epochs 1–1000"))
        #expect(text.contains("●"))
        // A new data set starts a new curve.
        IOTest.ok(s, "data and")
        #expect(IOTest.fails(s, "plot").contains("nothing to plot yet"))
    }

    // MARK: SVG

    /// Elements and their attributes, in document order.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var texts: [String] = []
        var current = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append((name, attributes))
            current = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" || name == "title" { texts.append(current) }
            current = ""
        }
    }

    func parse(_ url: URL) throws -> Collector {
        let parser = try #require(XMLParser(contentsOf: url))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "the SVG is not well-formed XML: \(String(describing: parser.parserError))")
        return collector
    }

    @Test func svgStructure() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let s = session(J: [4, 3, 2, 1], accuracy: 0.75)
        let file = dir.appendingPathComponent("loss.svg")
        let out = IOTest.ok(s, "plot file=\(file.path)")
        #expect(out.hasPrefix("wrote \(file.path): J per epoch over 4 epochs and accuracy, an SVG of 720 × 420 ("))
        let svg = try parse(file)
        #expect(svg.elements.first?.name == "svg")
        #expect(svg.elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(svg.elements.first?.attributes["viewBox"] == "0 0 720 420")
        #expect(svg.texts.first == "J per epoch")
        #expect(svg.texts.contains("epoch"))
        #expect(svg.texts.contains("J"))
        #expect(svg.texts.contains("100%") && svg.texts.contains("0%"))
        // Round J ticks 1 … 4, epoch ticks 1 … 4.
        for tick in ["1", "2", "3", "4"] { #expect(svg.texts.filter { $0 == tick }.count == 2, "tick \(tick)") }
        // One polyline for J through four points, falling left to right.
        let curve = try #require(svg.elements.first { $0.name == "polyline" && $0.attributes["class"] == "J" })
        let points = curve.attributes["points"]!.split(separator: " ").map { $0.split(separator: ",").map { Double($0)! } }
        #expect(points.count == 4)
        #expect(points.map { $0[0] } == points.map { $0[0] }.sorted())
        #expect(points.map { $0[1] } == points.map { $0[1] }.sorted())  // SVG y grows downwards
        #expect(points.allSatisfy { $0[0] >= 0 && $0[0] <= 720 && $0[1] >= 0 && $0[1] <= 420 })
        // The accuracy dot at 75%.
        #expect(svg.elements.filter { $0.name == "circle" }.count == 2)  // the dot and its legend
        #expect(SaveLoadTests.leftovers(dir).isEmpty)
    }

    @Test func svgOfALongRunIsReduced() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let J = (0..<50_000).map { 1 / Double($0 + 1) }
        let s = session(J: J)
        let file = dir.appendingPathComponent("long.svg")
        IOTest.ok(s, "plot file=\(file.path) scale=log")
        let svg = try parse(file)
        let curve = try #require(svg.elements.first { $0.name == "polyline" && $0.attributes["class"] == "J" })
        let count = curve.attributes["points"]!.split(separator: " ").count
        #expect(count > 100 && count < 3000)
        #expect(svg.texts.contains("J (log scale)"))
        #expect(svg.texts.contains("1e-05") && svg.texts.contains("1"))
    }

    @Test func svgTitleNamesTheDataAndIsEscaped() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        try IOTest.write("1,2,A\n3,4,B\n", dir.appendingPathComponent("a&b<c>.csv"))
        let s = IOTest.session()
        IOTest.ok(s, "data load \"\(dir.path)/a&b<c>.csv\" header=no", "net 2 2 2", "train epochs=3")
        let file = dir.appendingPathComponent("t.svg")
        IOTest.ok(s, "plot file=\(file.path)")
        let svg = try parse(file)
        #expect(svg.texts.first == "J per epoch — a&b<c>.csv, 2-2-2")
    }

    @Test func svgWriteFailures() throws {
        let dir = try IOTest.directory()
        defer { IOTest.remove(dir) }
        let s = session(J: [1, 0.5])
        #expect(IOTest.fails(s, "plot file=\(dir.path)/loss.png") == "error: plot writes SVG pictures: give a file name ending in .svg")
        #expect(IOTest.fails(s, "plot file=\(dir.path)/none/loss.svg") == "error: cannot write \(dir.path)/none/loss.svg: the directory \(dir.path)/none does not exist")
        let sub = dir.appendingPathComponent("d.svg")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        #expect(IOTest.fails(s, "plot file=\(sub.path)") == "error: cannot write \(sub.path): it is a directory")
        // Only an SVG is replaced.
        let notes = dir.appendingPathComponent("notes.svg")
        try IOTest.write("my notes\n", notes)
        #expect(IOTest.fails(s, "plot file=\(notes.path)").contains("the file exists and is not an SVG picture"))
        #expect(try String(contentsOf: notes, encoding: .utf8) == "my notes\n")
        let old = dir.appendingPathComponent("old.svg")
        try IOTest.write("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>", old)
        IOTest.ok(s, "plot file=\(old.path)")
        #expect(try String(contentsOf: old, encoding: .utf8).contains("polyline"))
        #expect(SaveLoadTests.leftovers(dir).isEmpty)
    }
}
