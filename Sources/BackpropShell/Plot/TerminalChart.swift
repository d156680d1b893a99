import Foundation

/// J per epoch drawn with text: Unicode braille dots (2 × 4 dots a character) or, in
/// ASCII notation, one '*' a character. At most `maxWidth` columns and `maxHeight` rows:
///
///     J per epoch, epochs 1–3000: 0.5074 → 0.0004895
///           J
///      0.5074 ┤⡇
///             │⠸⡀
///      …
///     0.0004895 ┤ ⠈⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉
///             └┬──────────────┬──────────────┬ epoch
///              1            1500          3000
struct TerminalChart {
    let curve: LossCurve
    let unicode: Bool
    var maxWidth = 72
    var maxHeight = 16
    /// Paints the curve (the renderer's value colour), or leaves it plain.
    var paint: (String) -> String = { $0 }

    static let tickFormat = NumberFormat(precision: 4)

    func lines() -> [String] {
        let c = curve
        let f = TerminalChart.tickFormat
        let ellipsis = unicode ? "…" : "..."
        let to = unicode ? "→" : "->"
        let dash = unicode ? "–" : "-"

        // Title: what, which epochs, first → last.
        let first = c.epochs.first!, last = c.epochs.last!
        let span = first == last ? "epoch \(first)" : "epochs \(first)\(dash)\(last)"
        var title = "J per epoch\(c.logScale ? " (log scale)" : ""), \(span): \(f.format(c.J.first!)) \(to) \(f.format(c.J.last!))"
        if let best = c.J.indices.min(by: { c.J[$0] < c.J[$1] }), best != c.count - 1 {
            title += ", lowest \(f.format(c.J[best])) at epoch \(c.epochs[best])"
        }
        if title.count > maxWidth { title = String(title.prefix(maxWidth - ellipsis.count)) + ellipsis }

        // Rows: title, "J", the plot, the axis, the tick labels, and a legend with accuracy.
        let legend = c.hasAccuracy
        let rows = maxHeight - 4 - (legend ? 1 : 0)
        let topTick = f.format(c.value(atHeight: 1)), bottomTick = f.format(c.value(atHeight: 0))
        let middleTick = f.format(c.value(atHeight: 0.5))
        let labelWidth = max(topTick.count, bottomTick.count, middleTick.count, 1)
        let right = legend ? 6 : 0  // "├ 100%"
        let axisWord = " epoch"
        let columns = maxWidth - (labelWidth + 2) - max(right, axisWord.count)

        // The pixel grid: braille gives 2 × 4 dots per character.
        let (dx, dy) = unicode ? (2, 4) : (1, 1)
        let width = columns * dx, height = rows * dy
        var dots = Array(repeating: Array(repeating: false, count: width), count: height)
        func py(_ value: Double) -> Int {
            let h = min(max(c.height(value), 0), 1)
            return Int(((1 - h) * Double(height - 1)).rounded())
        }
        func px(_ index: Int) -> Int {
            c.count == 1 ? 0 : Int((Double(index) * Double(width - 1) / Double(c.count - 1)).rounded())
        }
        func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
            let steps = max(abs(x1 - x0), abs(y1 - y0), 1)
            for s in 0...steps {
                let x = x0 + Int((Double((x1 - x0) * s) / Double(steps)).rounded())
                let y = y0 + Int((Double((y1 - y0) * s) / Double(steps)).rounded())
                dots[y][x] = true
            }
        }
        let points = c.reduced(buckets: width)
        var previous: (Int, Int)?
        for p in points {
            let here = (px(p.index), py(p.J))
            if let previous { line(previous.0, previous.1, here.0, here.1) } else { dots[here.1][here.0] = true }
            previous = here
        }

        // Characters of the plot area.
        var cells = Array(repeating: Array(repeating: " ", count: columns), count: rows)
        // Which cells hold the curve (painted as one run per stretch).
        var curveCell = Array(repeating: Array(repeating: false, count: columns), count: rows)
        for row in 0..<rows {
            for col in 0..<columns {
                if unicode {
                    var bits: UInt32 = 0
                    let weights: [[UInt32]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
                    for y in 0..<4 {
                        for x in 0..<2 where dots[row * 4 + y][col * 2 + x] { bits |= weights[y][x] }
                    }
                    if bits != 0 {
                        cells[row][col] = String(UnicodeScalar(0x2800 + bits)!)
                        curveCell[row][col] = true
                    }
                } else if dots[row][col] {
                    cells[row][col] = "*"
                    curveCell[row][col] = true
                }
            }
        }
        // Accuracy markers on the right-hand 0 … 100% axis.
        let markers: [(points: [(index: Int, value: Double)], mark: String)] = [
            (c.trainAccuracy, unicode ? "●" : "o"), (c.testAccuracy, unicode ? "○" : "x"),
        ]
        for (list, mark) in markers {
            for p in list {
                let col = min(px(p.index) / dx, columns - 1)
                let row = Int(((1 - min(max(p.value, 0), 1)) * Double(rows - 1)).rounded())
                cells[row][col] = mark
                curveCell[row][col] = false
            }
        }

        var out = [title, pad(left: "J", to: labelWidth) + " " + (unicode ? "▲" : "^")]
        for row in 0..<rows {
            let label: String
            let tick: Bool
            if row == 0 { (label, tick) = (topTick, true) }
            else if row == rows - 1 { (label, tick) = (bottomTick, true) }
            else if row == (rows - 1) / 2 && rows >= 5 {
                (label, tick) = (middleTick, true)
            } else { (label, tick) = ("", false) }
            var text = pad(left: label, to: labelWidth) + " " + (tick ? (unicode ? "┤" : "+") : (unicode ? "│" : "|"))
            var col = 0
            while col < columns {
                var end = col
                while end < columns && curveCell[row][end] == curveCell[row][col] { end += 1 }
                let run = cells[row][col..<end].joined()
                text += curveCell[row][col] ? paint(run) : run
                col = end
            }
            if legend {
                let accuracyTick = row == 0 ? "100%" : row == rows - 1 ? "0%" : row == (rows - 1) / 2 ? "50%" : ""
                text += (accuracyTick.isEmpty ? (unicode ? "│" : "|") : (unicode ? "├" : "+")) + (accuracyTick.isEmpty ? "" : " " + accuracyTick)
            }
            out.append(text)
        }

        // The epoch axis: ticks at the first, middle and last column, with their epochs.
        let tickColumns = columns >= 3 && c.count > 2 ? [0, (columns - 1) / 2, columns - 1] : c.count > 1 ? [0, columns - 1] : [0]
        var axis = Array(repeating: unicode ? "─" : "-", count: columns)
        for t in tickColumns { axis[t] = unicode ? "┬" : "+" }
        out.append(String(repeating: " ", count: labelWidth + 1) + (unicode ? "└" : "+") + axis.joined() + axisWord)
        var labels = Array(repeating: Character(" "), count: labelWidth + 2 + columns + 8)
        for t in tickColumns {
            let centre = Double(t * dx) + Double(dx - 1) / 2
            let index = t == 0 || c.count == 1 ? 0 : t == columns - 1 ? c.count - 1
                : Int((centre * Double(c.count - 1) / Double(width - 1)).rounded())
            let text = Array(String(c.epochs[min(index, c.count - 1)]))
            // Centred under the tick, kept inside the line and clear of the previous label.
            var start = labelWidth + 2 + t - text.count / 2
            if t == columns - 1 { start = labelWidth + 2 + t - text.count + 1 }
            start = max(start, labelWidth + 2)
            if let lastUsed = labels.lastIndex(where: { $0 != " " }), start <= lastUsed + 1 { continue }
            for (k, ch) in text.enumerated() where start + k < labels.count { labels[start + k] = ch }
        }
        out.append(String(labels))
        if legend {
            var parts: [String] = []
            if let p = c.trainAccuracy.last { parts.append("\(unicode ? "●" : "o") training \(percent(p.value))") }
            if let p = c.testAccuracy.last { parts.append("\(unicode ? "○" : "x") test \(percent(p.value))") }
            out.append("accuracy (right axis), at the end: " + parts.joined(separator: "  "))
        }
        return out.map { line in
            var l = Substring(line)
            while l.last == " " { l.removeLast() }
            return String(l)
        }
    }

    func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
}
