import Backprop
import Foundation

/// train, eval, predict.
enum TrainCommands {
    static let train = Command(
        name: "train",
        usage: "train [epochs=100] [alpha=0.5] [batch=all|N] [lambda=0] [seed=1] [shuffle=on|off] [cost=squared|xent] [reduction=sum|mean]",
        summary: "gradient descent on the data set, epoch after epoch, with a live progress line",
        details: """
        Each step: forward, J, backward on a batch, then Θ ← Θ − α ∂J/∂Θ (the same code as
        forward, backward and update). batch=all is the lecture's batch descent, batch=1
        stochastic. Ctrl-C stops after the current batch and keeps the weights. A run whose
        J or weights stop being finite stops and restores the last finite weights.
        lambda=, cost= and reduction= stay set afterwards.
        """,
        example: "train epochs=2000 alpha=2 batch=all",
        options: ["epochs", "alpha", "batch", "lambda", "seed", "shuffle", "cost", "reduction"],
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...0, usage: "train [epochs=…] [alpha=…] [batch=…] …")
            try args.expectNoAssignment(usage: "train [options]")
            guard let data = state.data else { throw ShellError("no data set yet: choose one with data first, e.g. data xor") }
            let net = state.network
            guard data.train.x.rows == net.sizes[0], data.train.y.rows == net.sizes.last! else {
                throw ShellError("the data has \(data.train.x.rows) inputs and \(data.train.y.rows) outputs but the network is \(net.sizes.map(String.init).joined(separator: "-")): try net \(data.train.x.rows) \(max(2, data.train.x.rows / 2)) \(data.train.y.rows)")
            }
            let epochs = try args.integer("epochs", default: 100, in: 1...100_000_000)
            let alpha = try args.number("alpha", default: 0.5)
            guard alpha > 0 else { throw ShellError("alpha= must be greater than 0", near: args.options["alpha"]?.raw) }
            let seed = UInt64(try args.integer("seed", default: 1, in: 0...Int.max))
            let shuffle = try args.choice("shuffle", ["on", "off"]).map { $0 == "on" } ?? true
            var batch = BatchSize.full
            if let token = args.options["batch"], token.text.lowercased() != "all" {
                let m = try Values.integer(token.text, what: "batch=", in: 1...Int.max)
                batch = m == 1 ? .stochastic : .mini(m)
            }
            var objective = state.objective
            if args.options["lambda"] != nil {
                objective.lambda = try args.number("lambda", default: 0)
                guard objective.lambda >= 0 else { throw ShellError("lambda= must be 0 or more", near: args.options["lambda"]?.raw) }
            }
            if let c = try args.choice("cost", ["squared", "xent"]) { objective.cost = c == "xent" ? .crossEntropy : .squared }
            if let rd = try args.choice("reduction", ["sum", "mean"]) { objective.reduction = rd == "sum" ? .sum : .mean }
            do throws(EngineError) { try net.validate(objective) } catch {
                throw ShellError(Describe.engineError(error, ctx.render))
            }
            let options = TrainingOptions(epochs: epochs, alpha: alpha, batch: batch, objective: objective,
                                          shuffle: shuffle, seed: seed)
            let r = ctx.render
            let start = ContinuousClock.now
            var lastShown = start
            var log: [EpochLog] = []
            let firstEpoch = (state.trainingLog.last?.epoch ?? 0)
            var network = net
            let progressSink = ctx.progress
            let result: TrainingResult
            do throws(EngineError) {
                var testAccuracy: Double?
                result = try network.train(on: data.train, test: data.test, options: options, cancel: ctx.cancel) { p in
                    // J and the training accuracy are over the epoch so far, each sample
                    // measured in its own step; the test accuracy at the end of an epoch.
                    let now = ContinuousClock.now
                    let due = now - lastShown > .milliseconds(200)
                    if p.isEpochEnd {
                        testAccuracy = p.testAccuracy
                        log.append(EpochLog(epoch: firstEpoch + p.epoch, J: p.J,
                                            trainAccuracy: p.trainingAccuracy, testAccuracy: p.testAccuracy))
                    }
                    if due, let progressSink {
                        lastShown = now
                        let elapsed = seconds(now - start)
                        let rate = Double(p.samplesSeen) / max(elapsed, 1e-9)
                        let total = Double(epochs * data.train.count)
                        let left = max(0, total - Double(p.samplesSeen)) / max(rate, 1e-9)
                        let accuracy = "accuracy \(percent(p.trainingAccuracy))"
                            + (testAccuracy.map { ", test \(percent($0))" } ?? "")
                        progressSink("epoch \(p.epoch)/\(epochs)  J = \(r.num(p.J))  \(accuracy)  \(Int(rate)) samples/s  \(formatDuration(left)) left")
                    }
                }
            } catch {
                throw ShellError(Describe.engineError(error, r))
            }
            let elapsed = seconds(ContinuousClock.now - start)
            state.network = network
            state.objective = objective
            state.changed("the weights were trained")
            // J and accuracy per epoch come from the run; the last epoch's accuracy is
            // measured again after it, with the final weights.
            let trainEval = try evaluate(network, data.train, objective, r)
            let testEval = try data.test.map { set throws(ShellError) in try evaluate(network, set, objective, r) }
            if !log.isEmpty {
                log[log.count - 1].trainAccuracy = trainEval.accuracy
                log[log.count - 1].testAccuracy = testEval?.accuracy
            }
            state.trainingLog += log
            var lines: [String] = []
            let rate = Double(result.samplesSeen) / max(elapsed, 1e-9)
            lines.append("trained \(net.sizes.map(String.init).joined(separator: "-")) on \(data.name): \(result.epochsCompleted) epoch\(result.epochsCompleted == 1 ? "" : "s"), \(result.samplesSeen) samples in \(formatDuration(elapsed)) (\(Int(rate)) samples/s)")
            if let first = result.history.first, let last = result.history.last {
                lines.append("J: \(r.num(first)) \(r.n.to) \(r.value(r.num(last)))   (J over each epoch, \(objective.reduction == .sum ? "summed" : "averaged") over samples)")
            }
            var accuracy = "training accuracy \(percent(trainEval.accuracy))"
            if let testEval { accuracy += ", test accuracy \(percent(testEval.accuracy))" }
            lines.append(accuracy)
            switch result.stop {
            case .completed:
                if let hint = stuckHint(result.history, trainEval, objective, batch: batch, alpha: alpha, r) {
                    lines.append(hint)
                }
            case .cancelled:
                lines.append(r.bad("interrupted") + " after epoch \(result.epochsCompleted): the weights of the last step are kept")
            case .diverged(let why, let epoch):
                let reason: String
                switch why {
                case .nonFiniteCost: reason = "J became NaN or infinite"
                case .nonFiniteWeights: reason = "a weight became NaN or infinite"
                case .exploding(let from, let to): reason = "J rose from \(r.num(from)) to \(r.num(to))"
                }
                lines.append(r.bad("stopped") + " in epoch \(epoch): \(reason) \(r.n.minus) \(r.n.symbolName("α")) = \(r.num(alpha)) is too large. Try alpha=\(r.num(alpha / 10)). The weights from the start of epoch \(epoch) were restored.")
            }
            return lines.joined(separator: "\n")
        },
        complete: { _, given, partial in
            Complete.options(["epochs": [], "alpha": [], "batch": ["all", "1"], "lambda": [], "seed": [],
                              "shuffle": ["on", "off"], "cost": ["squared", "xent"], "reduction": ["sum", "mean"]],
                             given: given, partial)
        }
    )

    /// A run that ended where it started: J fell by less than a tenth over two epochs or
    /// more, and the network classifies no better than twice chance. Usually α is too
    /// large for the sum over a mini-batch (each step is α times the sum of m samples'
    /// gradients) and the units sit saturated, where g′ ≈ 0.
    static func stuckHint(
        _ history: [Double], _ e: Evaluation, _ objective: Objective, batch: BatchSize, alpha: Double, _ r: Renderer
    ) -> String? {
        guard history.count >= 2, let first = history.first, let last = history.last,
              first > 0, last > 0.9 * first, e.accuracy <= 2 / Double(max(e.classCount, 2)) else { return nil }
        let what = "J \(last > first ? "rose" : "hardly fell") (\(r.num(first)) \(r.n.to) \(r.num(last))): the units are probably saturated, where g′ ≈ 0."
        let fix: String
        if objective.reduction == .sum, case .mini(let m) = batch, m > 1 {
            fix = "With reduction=sum each step is \(r.n.symbolName("α")) times the sum over a batch of \(m): try alpha=\(r.num(alpha / Double(m))) or reduction=mean."
        } else {
            fix = "Try a smaller alpha, e.g. alpha=\(r.num(alpha / 10))."
        }
        return r.dim(what) + "\n" + r.dim(fix)
    }

    static func evaluate(_ network: Network, _ data: Dataset, _ objective: Objective, _ r: Renderer) throws(ShellError) -> Evaluation {
        do throws(EngineError) { return try network.evaluate(data, objective: objective) } catch {
            throw ShellError(Describe.engineError(error, r))
        }
    }

    static let eval = Command(
        name: "eval",
        usage: "eval",
        summary: "cost, accuracy and confusion matrix on the training and test sets",
        details: "The predicted class is the output unit with the largest a (one output: a ≥ 0.5 means class 1).",
        example: "eval",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...0, usage: "eval")
            guard let data = state.data else { throw ShellError("no data set yet: choose one with data first") }
            guard data.train.x.rows == state.network.sizes[0], data.train.y.rows == state.network.sizes.last! else {
                throw ShellError("the data does not fit the network \(state.network.sizes.map(String.init).joined(separator: "-"))")
            }
            let r = ctx.render
            var lines: [String] = []
            for (name, set) in [("training", data.train), ("test", data.test)] {
                guard let set else { continue }
                let e = try evaluate(state.network, set, state.objective, r)
                lines.append(r.heading("\(name) set") + ": \(set.count) samples, J = \(r.num(e.J)), accuracy \(percent(e.accuracy))")
                let labels = data.classes ?? (0..<e.classCount).map(String.init)
                if e.classCount <= 12 {
                    var rows = [["true \\ predicted"] + labels]
                    for (t, row) in e.confusion.enumerated() { rows.append([labels[t]] + row.map(String.init)) }
                    lines += r.table(rows).map { "  " + $0 }
                }
            }
            return lines.joined(separator: "\n")
        }
    )

    static let predict = Command(
        name: "predict",
        usage: "predict [x1 x2 …]",
        summary: "the network's output a⁽ᴸ⁾ and predicted class for an input",
        details: "Without a vector, predicts for the current x.",
        example: "predict [1 0]",
        run: { state, args, ctx throws(ShellError) in
            try args.expectPositional(0...1, usage: "predict [..]")
            var x = state.x
            if let token = args.positional.first ?? args.assigned {
                guard token.kind == .matrix else { throw ShellError("expected a vector in brackets [ ]", near: token.raw) }
                x = try Values.vector(token.text)
            }
            guard x.count == state.network.sizes[0] else {
                throw ShellError("the network takes \(state.network.sizes[0]) inputs, got \(x.count)")
            }
            let r = ctx.render
            let a: [Double]
            do throws(EngineError) { a = try state.network.predict(x) } catch {
                throw ShellError(Describe.engineError(error, r))
            }
            let L = state.network.L
            let cls = Evaluation.classOf(a)
            let name = state.data?.classes.map { cls < $0.count ? $0[cls] : String(cls) } ?? String(cls)
            return "\(r.n.sym("a", L)) = " + r.matrix([a]).joined() + "\npredicted class: \(r.value(name))"
        }
    )

    static func percent(_ x: Double) -> String {
        String(format: "%.2f%%", x * 100)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    static func formatDuration(_ s: Double) -> String {
        if s < 1 { return String(format: "%.0f ms", s * 1000) }
        if s < 120 { return String(format: "%.1f s", s) }
        return String(format: "%d min %02d s", Int(s) / 60, Int(s) % 60)
    }
}
