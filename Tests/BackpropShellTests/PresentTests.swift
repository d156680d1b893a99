import Foundation
import Testing
@testable import BackpropShell

/// present's slides, built from the session alone: one per step of `step` after a title
/// slide, each with its equation and the network showing what is known at that point,
/// laid out to fit any terminal.
@Suite struct PresentTests {
    func session(_ lines: String...) -> Session {
        let s = Session(style: Style(unicode: true, color: false, precision: 9))
        for line in lines { #expect(!s.execute(line).isError, "\(line)") }
        return s
    }

    @Test func aTitleSlideThenEveryStep() throws {
        let s = session()
        let (presentation, start) = try #require(s.presentation(for: "present", width: 100))
        #expect(start == 0)
        #expect(presentation.slides.count == 10)  // title + z, a, z, a, J, δ², δ¹, ∇², ∇¹
        #expect(presentation.slides[0].title == "the network and the sample")
        // Each step's equation is exactly what `step` prints for it.
        let stepper = session()
        for index in 1..<presentation.slides.count {
            let lines = stepper.execute("step").text.split(separator: "\n").map(String.init)
            let slide = presentation.slides[index]
            #expect(slide.title == "step \(index) of 9: " + lines[0].split(separator: ": ", maxSplits: 1)[1])
            #expect(Array(lines[1..<(lines.count - 1)]) == Array(slide.equation.prefix(lines.count - 2)), "slide \(index + 1)")
        }
    }

    @Test func theDiagramShowsWhatIsKnown() throws {
        let s = session()
        let slides = try #require(s.presentation(for: "present", width: 100)).presentation.slides
        let joined = slides.map { $0.diagram.joined(separator: "\n") }
        #expect(joined[0].contains("a₁ ·") && !joined[0].contains("0.5933"), "nothing computed yet")
        #expect(joined[1].contains("z₁ 0.3775") && joined[1].contains("a₁ ·"), "z⁽¹⁾ only")
        #expect(joined[2].contains("a₁ 0.5933") && joined[2].contains("z₁ 0.3775"), "z⁽¹⁾ and a⁽¹⁾")
        #expect(joined[5].contains("a₁ 0.7514"), "the output at the cost")
        #expect(joined[6].contains("δ₁  0.1385") && joined[6].contains("a₁ 0.5933"), "δ⁽²⁾ flowing back")
        #expect(joined[8].contains("∂J/∂Θ⁽²⁾"), "the gradient in place of Θ⁽²⁾")
        #expect(joined[9].contains("∂J/∂Θ⁽¹⁾") && joined[9].contains("0.0004386"))
    }

    @Test(arguments: [(80, 24), (120, 40), (60, 16), (40, 10), (200, 60)])
    func everyScreenFitsTheTerminal(width: Int, height: Int) throws {
        for setup in [["net 2 2 2"], ["net 4 8 3", "init seed=1"], ["net 784 30 10", "init seed=2"],
                      ["set notation ascii", "net 3 4 4 2", "init seed=3"], ["set color on", "net 2 3 1", "init seed=4"]] {
            let s = Session(style: Style())
            for line in setup { _ = s.execute(line) }
            let presentation = try #require(s.presentation(for: "present", width: width)).presentation
            for index in presentation.slides.indices {
                let screen = presentation.screen(index, width: width, height: height)
                #expect(screen.count == height, "\(setup) slide \(index + 1) at \(width)×\(height)")
                for line in screen {
                    #expect(line.visibleWidth <= width, "\(setup) slide \(index + 1) at \(width)×\(height): \(line)")
                }
                #expect(screen[0].hasSuffix("\(index + 1)/\(presentation.slides.count)  \(presentation.shape)"))
                #expect(screen.last!.contains(width < 72 ? "q quit" : "q back to the shell"))
            }
        }
    }

    @Test func tallMatricesAreShortenedSoTheDiagramFits() throws {
        for color in [false, true] {
            let s = Session(style: Style(unicode: true, color: color, precision: 9))
            for line in ["net 64 32 10", "init seed=1", "x = [" + Array(repeating: "0.5", count: 64).joined(separator: " ") + "]"] {
                _ = s.execute(line)
            }
            let presentation = try #require(s.presentation(for: "present", width: 80)).presentation
            let delta1 = presentation.slides[7].equation  // δ⁽¹⁾: a 32-entry column
            #expect(delta1.count <= 12, "\(delta1.joined(separator: "\n"))")
            #expect(delta1.contains { $0.contains("⋮") })
            #expect(delta1.filter { $0.contains("= ") }.count == 2, "the equation's = and the result's =")
            let screen = presentation.screen(7, width: 80, height: 40)
                .map { $0.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) }
            #expect(screen.contains { $0.contains("─▶ δ₃₂") }, "the diagram is on the screen:\n\(screen.joined(separator: "\n"))")
        }
        #expect(Slides.shortened(["a", "b"], true) == ["a", "b"])
    }

    @Test func theEquationIsCentred() throws {
        let s = session()
        let presentation = try #require(s.presentation(for: "present", width: 120)).presentation
        let screen = presentation.screen(1, width: 120, height: 40)
        let line = try #require(screen.first { $0.contains("z⁽¹⁾ = Θ⁽¹⁾ a⁽⁰⁾ + b⁽¹⁾") })
        let block = presentation.slides[1].equation.map(\.visibleWidth).max()!
        let indent = line.prefix(while: { $0 == " " }).count
        #expect(abs(indent - (120 - block) / 2) <= 1)
    }

    @Test func theSessionIsLeftAsItWas() throws {
        let s = session("step", "step")
        _ = try #require(s.presentation(for: "  present  ", width: 80))
        #expect(s.execute("step").text.hasPrefix("step 3 of 9"), "present does not move step")
        #expect(s.presentation(for: "forward", width: 80) == nil)
        #expect(s.presentation(for: "present 11", width: 80) == nil)
        #expect(s.presentation(for: "present x", width: 80) == nil)
    }

    @Test func inAScriptEverySlideIsPrinted() {
        let s = session()
        let output = s.execute("present")
        #expect(!output.isError)
        #expect(output.text.hasPrefix("── 1/10: the network and the sample"))
        #expect(output.text.contains("── 10/10: step 9 of 9: backward: the gradient of layer 1"))
        #expect(s.execute("present 11").text.contains("there are 10 slides"))
        #expect(s.execute("present 0").isError)
        #expect(s.execute("present 1 2").isError)
        #expect(s.execute("help present").text.contains("one equation per key press"))
    }
}
