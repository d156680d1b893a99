import Foundation

/// Numbers as the shell prints them: rounded to `precision` significant digits, without
/// trailing zeros (0.3925, 0.75136507, 2), in exponent form below 1e-4 and from 1e15.
public struct NumberFormat: Sendable {
    public let precision: Int

    public init(precision: Int) { self.precision = precision }

    public func format(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == 0 { return "0" }
        let magnitude = abs(x)
        if magnitude >= 1e-4 && magnitude < 1e15 {
            var s = String(format: "%.\(precision)g", x)
            if s.contains("e") {  // %g switched to exponent form for ≥ 10^precision
                s = String(format: "%.0f", x)
            }
            return s
        }
        var s = String(format: "%.\(max(precision - 1, 0))e", x)
        // 1.50000000e-05 → 1.5e-05
        if let e = s.firstIndex(of: "e"), s.contains(".") {
            var mantissa = String(s[..<e])
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
            s = mantissa + s[e...]
        }
        return s
    }
}
