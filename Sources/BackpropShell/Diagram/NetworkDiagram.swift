import Backprop

/// A fully connected network drawn left to right in text: one column of units per
/// layer, and between two layers the bus that joins every unit of layer l−1 to every
/// row of Θ⁽ˡ⁾, the row (its numbers, or one shaded cell per θ), the bias and an arrow
/// into unit i of layer l — the picture of z⁽ˡ⁾ = Θ⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾:
///
///       x          Θ⁽¹⁾         b⁽¹⁾      a⁽¹⁾ sigmoid
///       x₁ 0.05 ─┬─ 0.15  0.2  + 0.35 ─▶ a₁ 0.5933 ─┬─ …
///       x₂ 0.1  ─┴─ 0.25  0.3  + 0.35 ─▶ a₂ 0.5969 ─┴─ …
///
/// Layers of more than `maximumShown` units show their first units, a ⋮ row and their
/// last unit. A diagram wider than `width` shades Θ instead of printing it, and when
/// even that does not fit it is cut into bands of consecutive layers, each band
/// starting with the layer the one before ended with. Every line fits `width`.
struct NetworkDiagram {
    /// What one layer's column shows.
    struct Column {
        var title: String
        /// The title where a band starts with this layer, which shows only names.
        var shortTitle: String? = nil
        var size: Int
        /// The parts of unit i's cell (1-based i), e.g. ["a₁", "0.5933"]: parts in the
        /// same position are aligned down the column (numbers on their decimal point).
        var cell: (Int, NumberFormat) -> [String]
        /// Unit i's name alone, drawn where a band starts with a layer the band before
        /// ended with (its values are there).
        var name: (Int) -> String
        /// Whether unit i's cell is painted as the current value (present mode).
        var highlight: (Int) -> Bool = { _ in false }
    }

    /// Θ⁽ˡ⁾ and b⁽ˡ⁾ drawn between layers l−1 and l.
    struct Weights {
        var theta: Matrix
        var b: [Double]?
        /// The titles over the block (default Θ⁽ˡ⁾ and b⁽ˡ⁾).
        var title: String?
        var biasTitle: String?
    }

    enum Mode: Equatable {
        /// Only the connections (no weights given).
        case connections
        /// Θ's numbers.
        case numbers
        /// One shaded cell per θ.
        case shades
    }

    /// Layers 0 … L.
    var columns: [Column]
    /// Index l = 1 … L: the weights into layer l, or nil to draw the connections only
    /// (index 0 is unused).
    var weights: [Weights?]
    var render: Renderer
    /// How the diagram prints numbers (fewer digits than the shell's precision).
    var number: NumberFormat
    /// The most columns a line may take, indent included.
    var width = 80
    var indent = "  "

    static let maximumShown = 8

    /// The units drawn for a layer of `size`: all up to `maximumShown`, else the first
    /// ones, nil (a ⋮ row) and the last.
    static func shown(_ size: Int) -> [Int?] {
        if size <= maximumShown { return (1...size).map { $0 } }
        return (1...(maximumShown - 2)).map { $0 } + [nil, size]
    }

    /// The modes chosen for each transition (index l = 1 … L; index 0 unused), and the
    /// bands of layers.
    func layout() -> (modes: [Mode], bands: [ClosedRange<Int>]) {
        let L = columns.count - 1
        let hasWeights = (1...L).allSatisfy { weights[$0] != nil }
        if !hasWeights {
            let modes = [Mode.connections] + Array(repeating: Mode.connections, count: L)
            return (modes, bands(modes))
        }
        let numbers = Array(repeating: Mode.numbers, count: L + 1)
        if fits(0...L, numbers) { return (numbers, [0...L]) }
        // Bands, each transition in numbers when its band still fits, else shaded.
        var modes = Array(repeating: Mode.shades, count: L + 1)
        var bands: [ClosedRange<Int>] = []
        var start = 0
        while start < L {
            var end = start
            while end < L {
                var trial = modes
                trial[end + 1] = .numbers
                if fits(start...(end + 1), trial) { modes = trial; end += 1; continue }
                trial[end + 1] = .shades
                if fits(start...(end + 1), trial) || end == start { modes = trial; end += 1; continue }
                break
            }
            bands.append(start...end)
            start = end
        }
        return (modes, bands)
    }

    private func bands(_ modes: [Mode]) -> [ClosedRange<Int>] {
        let L = columns.count - 1
        var bands: [ClosedRange<Int>] = []
        var start = 0
        while start < L {
            var end = start + 1
            while end < L && fits(start...(end + 1), modes) { end += 1 }
            bands.append(start...end)
            start = end
        }
        return bands
    }

    private func fits(_ band: ClosedRange<Int>, _ modes: [Mode]) -> Bool {
        lines(band, modes).allSatisfy { $0.visibleWidth <= width }
    }

    /// The diagram with as many digits as fit: Θ's numbers on one band at the set
    /// precision, then with 3 and 2 digits; else bands (Θ shaded where its numbers do
    /// not fit), again with fewer digits until every line fits `width`.
    var fitted: NetworkDiagram {
        let L = columns.count - 1
        var precisions: [Int] = []
        for p in [number.precision, 3, 2] where p <= number.precision && !precisions.contains(p) { precisions.append(p) }
        let candidates = precisions.map { p -> NetworkDiagram in
            var candidate = self
            candidate.number = NumberFormat(precision: p)
            return candidate
        }
        if weights.dropFirst().allSatisfy({ $0 != nil }) {
            let numbers = Array(repeating: Mode.numbers, count: L + 1)
            for candidate in candidates.prefix(2) where candidate.fits(0...L, numbers) { return candidate }
        }
        for candidate in candidates where candidate.lines().allSatisfy({ $0.visibleWidth <= width }) {
            return candidate
        }
        return candidates.last!
    }

    /// The diagram's lines; bands are separated by a blank line.
    func lines() -> [String] {
        let (modes, bands) = layout()
        var out: [String] = []
        for (index, band) in bands.enumerated() {
            if index > 0 { out.append("") }
            out += lines(band, modes)
        }
        return out
    }

    /// Whether any transition is drawn shaded (the caller then adds the legend).
    var isShaded: Bool { layout().modes.dropFirst().contains(.shades) }

    init(columns: [Column], weights: [Weights?], render: Renderer, number: NumberFormat) {
        self.columns = columns
        self.weights = weights
        self.render = render
        self.number = number
    }

    // MARK: one band

    private var unicode: Bool { render.n.unicode }

    /// The cells of a layer's shown units, parts aligned; nil for the ⋮ row.
    private func cells(_ l: Int, repeated: Bool = false) -> [String?] {
        let column = columns[l]
        let shown = Self.shown(column.size)
        let parts = shown.map { i in i.map { repeated ? [column.name($0)] : column.cell($0, number) } }
        let count = parts.compactMap { $0?.count }.max() ?? 0
        var aligned: [[String]] = parts.map { _ in [] }
        for p in 0..<count {
            let texts = parts.map { $0.map { p < $0.count ? $0[p] : "" } ?? "" }
            let present = zip(shown, texts).filter { $0.0 != nil }.map(\.1)
            let numeric = !present.isEmpty && present.allSatisfy { Double($0) != nil || $0 == "" }
            let done = numeric ? render.alignedTexts(texts) : texts.map { pad($0, to: texts.map(\.visibleWidth).max() ?? 0) }
            for row in texts.indices { aligned[row].append(done[row]) }
        }
        return shown.indices.map { row in
            guard let i = shown[row] else { return nil }
            var text = aligned[row].joined(separator: " ")
            while text.last == " " { text.removeLast() }
            return column.highlight(i) ? render.value(text) : text
        }
    }

    /// The rows of a block of Θ⁽ˡ⁾ (and b⁽ˡ⁾) as drawn in `mode`, one per shown unit of
    /// layer l (nil for the ⋮ row), all the same width.
    private func block(_ l: Int, _ mode: Mode) -> (rows: [String?], biasColumn: Int?, width: Int) {
        let shownRows = Self.shown(columns[l].size)
        let shownCols = Self.shown(columns[l - 1].size)
        guard mode != .connections, let w = weights[l] else {
            return (shownRows.map { $0.map { _ in "" } }, nil, 0)
        }
        let ellipsis = unicode ? "⋯" : "..."
        // Each block is shaded against its own largest entry.
        var largest = 0.0
        for v in w.theta.elements { largest = max(largest, abs(v)) }
        for v in w.b ?? [] { largest = max(largest, abs(v)) }
        let shade = { (value: Double) in self.shade(value, largest) }
        var textColumns: [[String]] = []
        for j in shownCols {
            let entries: [String]
            if let j {
                let values = shownRows.map { i in i.map { w.theta[$0 - 1, j - 1] } ?? 0 }
                entries = mode == .numbers ? render.alignedTexts(values.map(number.format)) : values.map(shade)
            } else {
                entries = shownRows.map { _ in ellipsis }
            }
            textColumns.append(entries)
        }
        var rows = shownRows.indices.map { row in textColumns.map { $0[row] }.joined(separator: mode == .numbers ? "  " : " ") }
        var biasColumn: Int?
        let thetaWidth = max(rows.map(\.visibleWidth).max() ?? 0, (w.title ?? render.n.sym("Θ", l)).visibleWidth)
        rows = rows.map { pad($0, to: thetaWidth) }
        if let b = w.b {
            let values = shownRows.map { i in i.map { b[$0 - 1] } ?? 0 }
            let texts = mode == .numbers ? render.alignedTexts(values.map(number.format)) : values.map(shade)
            biasColumn = thetaWidth + (mode == .numbers ? 2 : 1)
            rows = zip(rows, texts).map { $0 + (mode == .numbers ? "  + " : " + ") + $1 }
        }
        let width = rows.map(\.visibleWidth).max() ?? 0
        return (shownRows.indices.map { row in shownRows[row] == nil ? nil : pad(rows[row], to: width) }, biasColumn, width)
    }

    /// A weight as one shaded cell: a sign and a glyph for |θ| as a share of the
    /// largest entry of its block.
    private func shade(_ value: Double, _ largest: Double) -> String {
        let glyphs = unicode ? ["·", "░", "▒", "▓", "█"] : [".", ":", "+", "%", "#"]
        var level = 0
        if value != 0 && largest > 0 {
            level = min(4, max(1, Int((abs(value) / largest * 4).rounded(.up))))
        }
        let sign = value < 0 ? (unicode ? "−" : "-") : " "
        let text = sign + glyphs[level]
        guard render.style.color, value != 0 else { return text }
        return "\u{1B}[\(value < 0 ? "31" : "34")m" + text + "\u{1B}[0m"
    }

    /// The box-drawing character of the bus at a row.
    private func busCharacter(up: Bool, down: Bool, left: Bool, right: Bool) -> String {
        if !unicode {
            if left || right { return up || down ? "+" : "-" }
            return "|"
        }
        switch (up, down, left, right) {
        case (true, true, true, true): return "┼"
        case (true, true, true, false): return "┤"
        case (true, true, false, true): return "├"
        case (true, true, false, false): return "│"
        case (false, true, true, true): return "┬"
        case (false, true, true, false): return "┐"
        case (false, true, false, true): return "┌"
        case (true, false, true, true): return "┴"
        case (true, false, true, false): return "┘"
        case (true, false, false, true): return "└"
        default: return "─"
        }
    }

    private func lines(_ band: ClosedRange<Int>, _ modes: [Mode]) -> [String] {
        let height = band.map { Self.shown(columns[$0].size).count }.max() ?? 1
        let dash = unicode ? "─" : "-"
        let arrow = unicode ? "─▶ " : "-> "
        let vertical = unicode ? "⋮" : ":"
        // Layer columns: their rows, placed in the middle of the band's height.
        var unitRows: [Int: [String?]] = [:]   // layer → row → cell ("" blank, nil ⋮)
        var hasUnit: [Int: [Bool]] = [:]
        var columnWidth: [Int: Int] = [:]
        func title(_ l: Int) -> String {
            l == band.lowerBound && l > 0 ? columns[l].shortTitle ?? columns[l].title : columns[l].title
        }
        for l in band {
            let cells = self.cells(l, repeated: l == band.lowerBound && l > 0)
            let top = (height - cells.count) / 2
            var rows: [String?] = Array(repeating: "", count: height)
            var units = Array(repeating: false, count: height)
            for (index, cell) in cells.enumerated() {
                rows[top + index] = cell
                units[top + index] = cell != nil
            }
            unitRows[l] = rows
            hasUnit[l] = units
            let widest = cells.compactMap { $0?.visibleWidth }.max() ?? 0
            columnWidth[l] = max(widest, title(l).visibleWidth)
        }
        var header = indent
        var body = Array(repeating: indent, count: height)
        for l in band {
            let columnWide = columnWidth[l]!
            let isLast = l == band.upperBound
            // The layer's column, its cells filled with ─ up to the bus when one follows.
            header += isLast ? title(l) : pad(title(l), to: columnWide + 2)
            for row in 0..<height {
                let cell = unitRows[l]![row]
                if isLast {
                    body[row] += cell ?? vertical
                } else if let cell, hasUnit[l]![row] {
                    body[row] += cell + " " + String(repeating: dash, count: columnWide - cell.visibleWidth + 1)
                } else {
                    body[row] += pad(cell == nil ? vertical : "", to: columnWide + 2)
                }
            }
            if isLast { break }
            // The transition into layer l + 1.
            let next = l + 1
            let mode = modes[next]
            let (blockRows, biasColumn, blockWidth) = block(next, mode)
            let nextTop = (height - blockRows.count) / 2
            var right = Array(repeating: false, count: height)
            var blockAt: [String?] = Array(repeating: "", count: height)
            for (index, text) in blockRows.enumerated() {
                blockAt[nextTop + index] = text
                right[nextTop + index] = text != nil
            }
            let left = hasUnit[l]!
            let joined = (0..<height).filter { left[$0] || right[$0] }
            let top = joined.min() ?? 0, bottom = joined.max() ?? 0
            let thetaTitle = mode == .connections ? "" : weights[next]?.title ?? render.n.sym("Θ", next)
            var transitionHeader = "   " + thetaTitle
            if let biasColumn, mode != .connections {
                transitionHeader = pad(transitionHeader + " ", to: 3 + biasColumn) + (weights[next]?.biasTitle ?? render.n.sym("b", next))
            }
            let partWidth = mode == .connections ? 1 + arrow.count : 3 + blockWidth + 1 + arrow.count
            let transitionWidth = max(partWidth, transitionHeader.visibleWidth + 1)
            header += pad(transitionHeader, to: transitionWidth)
            for row in 0..<height {
                let bus = row >= top && row <= bottom
                    ? busCharacter(up: row > top, down: row < bottom, left: left[row], right: right[row])
                    : " "
                var part = bus
                if right[row] {
                    part += mode == .connections ? "" : dash + " " + (blockAt[row] ?? "") + " "
                    part += arrow
                } else if blockAt[row] == nil && mode != .connections {
                    part += "  " + vertical
                }
                body[row] += pad(part, to: transitionWidth)
            }
        }
        let trimmed = ([header] + body).map { line in
            var line = line
            while line.last == " " { line.removeLast() }
            return line
        }
        return trimmed[0].isEmpty ? Array(trimmed.dropFirst()) : trimmed  // no titles: no header line
    }
}
