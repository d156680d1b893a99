import Foundation

/// J per epoch as a standalone SVG for slides: a title, both axes with round ticks and
/// labels, J as one polyline, and the accuracies (when logged) as dots on a right-hand
/// 0 … 100% axis.
struct SVGChart {
    let curve: LossCurve
    /// The title, e.g. "J per epoch — xor, 2-2-1".
    let title: String
    var width = 720
    var height = 420

    static let tickFormat = NumberFormat(precision: 4)

    func document() -> String {
        let c = curve
        let left = 84.0, right = c.hasAccuracy ? 64.0 : 28.0, top = 48.0, bottom = 56.0
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        // The J axis runs between round values around the curve's range.
        var (lo, hi) = c.range
        if c.logScale {
            lo = pow(10, floor(log10(lo) + 1e-9))
            hi = pow(10, ceil(log10(hi) - 1e-9))
        } else {
            let step = LossCurve.niceStep(lo, hi)
            lo = floor(lo / step + 1e-9) * step
            hi = ceil(hi / step - 1e-9) * step
        }
        func level(_ v: Double) -> Double { c.height(v, lo: lo, hi: hi) }
        func x(_ index: Double) -> Double {
            c.count == 1 ? left + plotW / 2 : left + index / Double(c.count - 1) * plotW
        }
        func y(_ h: Double) -> Double { top + (1 - h) * plotH }
        func n(_ v: Double) -> String { String(format: "%.2f", v) }
        let f = SVGChart.tickFormat

        var s = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="Helvetica, Arial, sans-serif" font-size="13">
          <title>\(escape(title))</title>
          <rect x="0" y="0" width="\(width)" height="\(height)" fill="white"/>
          <text x="\(n(Double(width) / 2))" y="28" text-anchor="middle" font-size="17" font-weight="bold">\(escape(title))</text>

        """
        // Grid and J ticks.
        let jTicks = c.logScale ? LossCurve.logTicks(lo, hi) : LossCurve.niceTicks(lo, hi)
        s += "  <g class=\"y-axis\" stroke=\"#d0d0d0\" stroke-width=\"1\">\n"
        for t in jTicks { s += "    <line x1=\"\(n(left))\" y1=\"\(n(y(level(t))))\" x2=\"\(n(left + plotW))\" y2=\"\(n(y(level(t))))\"/>\n" }
        s += "  </g>\n  <g class=\"y-labels\" text-anchor=\"end\" fill=\"#333\">\n"
        for t in jTicks { s += "    <text x=\"\(n(left - 8))\" y=\"\(n(y(level(t)) + 4))\">\(escape(f.format(t)))</text>\n" }
        s += "  </g>\n"
        // Epoch ticks.
        let first = Double(c.epochs.first!), last = Double(c.epochs.last!)
        var eTicks = LossCurve.niceTicks(first, last, count: 6).filter { $0 == $0.rounded() }
        if eTicks.isEmpty || c.count == 1 { eTicks = [first] }
        if let low = eTicks.first, eTicks.count > 1, low - first > (eTicks[1] - low) / 2 { eTicks.insert(first, at: 0) }
        func xOfEpoch(_ e: Double) -> Double {
            guard let lastIndex = c.epochs.lastIndex(where: { Double($0) <= e }) else { return x(0) }
            return x(Double(lastIndex))
        }
        s += "  <g class=\"x-labels\" text-anchor=\"middle\" fill=\"#333\">\n"
        for t in eTicks {
            let px = xOfEpoch(t)
            s += "    <line x1=\"\(n(px))\" y1=\"\(n(top + plotH))\" x2=\"\(n(px))\" y2=\"\(n(top + plotH + 5))\" stroke=\"#333\"/>\n"
            s += "    <text x=\"\(n(px))\" y=\"\(n(top + plotH + 20))\">\(Int(t))</text>\n"
        }
        s += "  </g>\n"
        // Axes and their labels.
        s += "  <g class=\"axes\" stroke=\"#333\" stroke-width=\"1.5\" fill=\"none\">\n"
        s += "    <polyline points=\"\(n(left)),\(n(top)) \(n(left)),\(n(top + plotH)) \(n(left + plotW)),\(n(top + plotH))\"/>\n"
        if c.hasAccuracy { s += "    <line x1=\"\(n(left + plotW))\" y1=\"\(n(top))\" x2=\"\(n(left + plotW))\" y2=\"\(n(top + plotH))\"/>\n" }
        s += "  </g>\n"
        s += "  <text x=\"\(n(left + plotW / 2))\" y=\"\(n(Double(height) - 14))\" text-anchor=\"middle\" font-size=\"15\">epoch</text>\n"
        s += "  <text x=\"22\" y=\"\(n(top + plotH / 2))\" text-anchor=\"middle\" font-size=\"15\" font-style=\"italic\" transform=\"rotate(-90 22 \(n(top + plotH / 2)))\">J\(c.logScale ? " (log scale)" : "")</text>\n"
        // The curve.
        var pointTexts: [String] = []
        for p in c.reduced(buckets: Int(plotW)) {
            let text = "\(n(x(Double(p.index)))),\(n(y(level(p.J))))"
            if text != pointTexts.last { pointTexts.append(text) }
        }
        let points = pointTexts.joined(separator: " ")
        s += "  <polyline class=\"J\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"\(points)\"/>\n"
        // Accuracy on the right axis.
        if c.hasAccuracy {
            s += "  <g class=\"accuracy-labels\" fill=\"#333\">\n"
            for p in [0.0, 0.5, 1.0] {
                s += "    <text x=\"\(n(left + plotW + 8))\" y=\"\(n(y(p) + 4))\">\(Int(p * 100))%</text>\n"
            }
            s += "  </g>\n"
            let series: [(name: String, points: [(index: Int, value: Double)], colour: String, fill: String)] = [
                ("training accuracy", c.trainAccuracy, "#c0392b", "#c0392b"), ("test accuracy", c.testAccuracy, "#c0392b", "white"),
            ]
            var legendY = top + 4
            s += "  <line x1=\"\(n(left + plotW - 156))\" y1=\"\(n(legendY))\" x2=\"\(n(left + plotW - 144))\" y2=\"\(n(legendY))\" stroke=\"#1f5fbf\" stroke-width=\"2\"/>\n"
            s += "  <text x=\"\(n(left + plotW - 140))\" y=\"\(n(legendY + 4))\" fill=\"#333\">J</text>\n"
            legendY += 18
            for item in series where !item.points.isEmpty {
                s += "  <g class=\"\(item.name.replacingOccurrences(of: " ", with: "-"))\" stroke=\"\(item.colour)\" fill=\"\(item.fill)\" stroke-width=\"1.5\">\n"
                for p in item.points {
                    s += "    <circle cx=\"\(n(x(Double(p.index))))\" cy=\"\(n(y(min(max(p.value, 0), 1))))\" r=\"4\"/>\n"
                }
                s += "  </g>\n"
                s += "  <circle cx=\"\(n(left + plotW - 150))\" cy=\"\(n(legendY))\" r=\"4\" stroke=\"\(item.colour)\" fill=\"\(item.fill)\" stroke-width=\"1.5\"/>\n"
                s += "  <text x=\"\(n(left + plotW - 140))\" y=\"\(n(legendY + 4))\" fill=\"#333\">\(item.name)</text>\n"
                legendY += 18
            }
        }
        s += "</svg>\n"
        return s
    }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
