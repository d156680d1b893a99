import Backprop

/// `export numpy` and `export pytorch`: a standalone Python script that rebuilds the
/// network (layers, activations, bias, cost, reduction, λ) with the shell's exact
/// weights, runs the current sample forward and backward, prints every z, a, J, δ and
/// gradient, and checks each against what the shell computed (within 1e-12, relative
/// to values above 1). It exits 1 when one differs.
///
/// The weights are the session JSON that `save` writes, whose numbers are the shortest
/// decimals that read back as the same doubles (as Python's repr writes them), so the
/// script starts from exactly the shell's bits; `load FILE.py` reads that JSON back.
enum PythonExport {
    enum Framework { case numpy, pytorch }

    /// What the shell computed, as JSON (layers from 1; a from 0).
    static func expected(_ state: SessionState, _ trace: Trace) -> String {
        let net = state.network
        let L = net.L
        func vector(_ m: Matrix) -> JSON { SessionFile.numbers(m.column(0)) }
        func matrix(_ m: Matrix) -> JSON { .array((0..<m.rows).map { SessionFile.numbers(m.row($0)) }) }
        let document: JSON = .object([
            ("z", .array((1...L).map { vector(trace.z[$0]) })),
            ("a", .array((0...L).map { vector(trace.a[$0]) })),
            ("J", .number(trace.J)),
            ("delta", .array((1...L).map { vector(trace.delta[$0]) })),
            ("grad_theta", .array((1...L).map { matrix(trace.gradTheta[$0]) })),
            ("grad_b", .array(net.hasBias ? (1...L).map { SessionFile.numbers(trace.gradB[$0]) } : [])),
        ])
        return document.text()
    }

    static func script(_ framework: Framework, _ state: SessionState, _ trace: Trace, session json: String) -> String {
        let net = state.network
        let shape = net.sizes.map(String.init).joined(separator: "-")
        let name = framework == .numpy ? "NumPy" : "PyTorch"
        let activations = (1...net.L).map { Describe.activation(net.layer($0).activation) }.joined(separator: ", ")
        let cost = state.objective.cost == .squared ? "squared error" : "cross-entropy"
        var lines = [
            "#!/usr/bin/env python3",
            "# \(EmbeddedSession.signature) \(BackpropVersion.string) (export \(framework == .numpy ? "numpy" : "pytorch")).",
            "\"\"\"The \(shape) network of a Backprop session, in \(name).",
            "",
            "Layers \(net.sizes.map(String.init).joined(separator: ", ")), bias \(net.hasBias ? "on" : "off"), activations \(activations);",
            "cost: \(cost), \(state.objective.reduction == .sum ? "summed" : "averaged") over the samples, lambda = \(state.objective.lambda.description).",
            "",
            "Rebuilds the network with the shell's exact weights, runs the current sample",
            "forward and backward, prints every z, a, J, delta and gradient, and checks each",
            "against the numbers Backprop computed (within 1e-12). Exits 1 if one differs.",
            "",
            "    python3 THIS_FILE.py",
            "",
            "Backprop's `load THIS_FILE.py` reads the session below back in.",
            "\"\"\"",
            "import json",
            "import sys",
            "",
        ]
        lines.append(framework == .numpy ? "import numpy as np" : "import torch")
        lines.append("")
        lines += EmbeddedSession.lines(json, prefix: "", note: "the session as Backprop's save writes it (docs/save-format.md)")
            .enumerated().map { index, line in
                // The marker lines are comments; the JSON sits in a raw string.
                if index == 0 { return "# " + line + "\nSESSION = json.loads(r\"\"\"" }
                if line == EmbeddedSession.end { return "\"\"\")\n# " + line }
                return line
            }
        lines += [
            "",
            "# What Backprop computed for this sample (shortest decimals of its doubles).",
            "EXPECTED = json.loads(r\"\"\"",
            expected(state, trace),
            "\"\"\")",
            "",
        ]
        lines.append(framework == .numpy ? numpyBody : pytorchBody)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Shared: reading the session, and the comparison.
    static let common = #"""
network = SESSION["network"]
objective = SESSION["objective"]
L = len(network["layers"])
activation = [None] + [layer["activation"] for layer in network["layers"]]
# One sample: the sum and the mean over samples agree (s = 1/m = 1).
m = 1
s = 1.0 if objective["reduction"] == "sum" else 1.0 / m
lam = objective["lambda"]
TOLERANCE = 1e-12
failures = []
checked = []


def check(name, ours, theirs):
    """Prints a quantity and whether it equals Backprop's within 1e-12 (relative above 1)."""
    checked.append(name)
    ours = [float(v) for v in flat(ours)]
    theirs = [float(v) for v in flat(theirs)]
    if len(ours) != len(theirs):
        failures.append(name)
        print(f"{name}: {len(ours)} numbers, Backprop has {len(theirs)}  DIFFERS")
        return
    worst = max([abs(o - t) / max(1.0, abs(t)) for o, t in zip(ours, theirs)] + [0.0])
    verdict = "ok" if worst <= TOLERANCE else "DIFFERS"
    if worst > TOLERANCE:
        failures.append(name)
    shown = ", ".join(repr(v) for v in ours[:8]) + (", ..." if len(ours) > 8 else "")
    print(f"{name:<14} [{shown}]  {verdict} (largest difference {worst:.1e})")


def flat(values):
    if hasattr(values, "tolist"):
        values = values.tolist()
    if isinstance(values, (list, tuple)):
        return [v for item in values for v in flat(item)]
    return [values]


def report():
    count = len(checked)
    if failures:
        print(f"{len(failures)} of {count} quantities differ from Backprop's: {', '.join(failures)}")
        sys.exit(1)
    print(f"all {count} quantities equal Backprop's within {TOLERANCE:g}")
"""#

    static let numpyBody = common + #"""

theta = [None] + [np.array(layer["theta"], dtype=np.float64) for layer in network["layers"]]
b = [None] + [np.array(layer["b"], dtype=np.float64) if network["bias"] else None for layer in network["layers"]]
x = np.array(SESSION["sample"]["x"], dtype=np.float64)
y = np.array(SESSION["sample"]["y"], dtype=np.float64)


def g(name, z):
    """a = g(z)."""
    if name == "sigmoid":
        e = np.exp(-np.abs(z))  # 1 / (1 + e^-z) without overflow
        return np.where(z >= 0, 1.0, e) / (1.0 + e)
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.where(z > 0, z, 0.0)
    return z.copy()  # linear


def g_prime(name, z, a):
    """g'(z) in the lecture's form: a(1 - a), 1 - a^2, [z > 0], 1."""
    if name == "sigmoid":
        return a * (1 - a)
    if name == "tanh":
        return 1 - a * a
    if name == "relu":
        return np.where(z > 0, 1.0, 0.0)
    return np.ones_like(z)


def softplus(z):
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


# Forward: z(l) = Theta(l) a(l-1) + b(l), a(l) = g(z(l)).
a = [x]
z = [None]
for l in range(1, L + 1):
    z.append(theta[l] @ a[l - 1] + (b[l] if b[l] is not None else 0.0))
    a.append(g(activation[l], z[l]))

# The cost, plus lambda/2 times the sum of every theta squared (not the biases).
if objective["cost"] == "squared":
    J = s * 0.5 * np.sum((y - a[L]) ** 2)
else:  # cross-entropy, written with softplus of z so that it stays finite
    J = s * np.sum(y * softplus(-z[L]) + (1 - y) * softplus(z[L]))
J += lam / 2 * sum(np.sum(theta[l] ** 2) for l in range(1, L + 1))

# Backward: delta(L) = (a - y) * g'(z) (cross-entropy: a - y), then
# delta(l) = (Theta(l+1)^T delta(l+1)) * g'(z(l)).
delta = [None] * (L + 1)
delta[L] = a[L] - y
if objective["cost"] == "squared":
    delta[L] = delta[L] * g_prime(activation[L], z[L], a[L])
for l in range(L - 1, 0, -1):
    delta[l] = (theta[l + 1].T @ delta[l + 1]) * g_prime(activation[l], z[l], a[l])

# Gradients: dJ/dTheta(l) = s delta(l) a(l-1)^T + lambda Theta(l), dJ/db(l) = s delta(l).
grad_theta = [None] + [s * np.outer(delta[l], a[l - 1]) + lam * theta[l] for l in range(1, L + 1)]
grad_b = [None] + [s * delta[l] for l in range(1, L + 1)]

print(f"NumPy {np.__version__}, float64")
check("a(0) = x", a[0], EXPECTED["a"][0])
for l in range(1, L + 1):
    check(f"z({l})", z[l], EXPECTED["z"][l - 1])
    check(f"a({l})", a[l], EXPECTED["a"][l])
check("J", J, EXPECTED["J"])
for l in range(L, 0, -1):
    check(f"delta({l})", delta[l], EXPECTED["delta"][l - 1])
for l in range(L, 0, -1):
    check(f"dJ/dTheta({l})", grad_theta[l], EXPECTED["grad_theta"][l - 1])
    if network["bias"]:
        check(f"dJ/db({l})", grad_b[l], EXPECTED["grad_b"][l - 1])
report()
"""#

    static let pytorchBody = common + #"""

torch.set_default_dtype(torch.float64)
ACTIVATIONS = {"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "linear": torch.nn.Identity}

# The network: one Linear (weight = Theta(l), bias = b(l)) and one activation per layer.
linears = []
activations = []
for l, layer in enumerate(network["layers"], start=1):
    n_out, n_in = network["sizes"][l], network["sizes"][l - 1]
    linear = torch.nn.Linear(n_in, n_out, bias=network["bias"], dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor(layer["theta"], dtype=torch.float64))
        if network["bias"]:
            linear.bias.copy_(torch.tensor(layer["b"], dtype=torch.float64))
    linears.append(linear)
    activations.append(ACTIVATIONS[layer["activation"]]())
model = torch.nn.Sequential(*[module for pair in zip(linears, activations) for module in pair])

x = torch.tensor([SESSION["sample"]["x"]], dtype=torch.float64)  # a batch of one sample
y = torch.tensor([SESSION["sample"]["y"]], dtype=torch.float64)

# Forward, keeping every z so that autograd reports dJ/dz(l) = delta(l).
a = [x]
z = [None]
for linear, g in zip(linears, activations):
    zl = linear(a[-1])
    zl.retain_grad()
    z.append(zl)
    a.append(g(zl))

# The cost, plus lambda/2 times the sum of every weight squared (not the biases).
if objective["cost"] == "squared":
    J = s * 0.5 * torch.nn.functional.mse_loss(a[L], y, reduction="sum")
else:  # cross-entropy of the sigmoid output, from its logits z(L)
    J = s * torch.nn.functional.binary_cross_entropy_with_logits(z[L], y, reduction="sum")
J = J + lam / 2 * sum((linear.weight ** 2).sum() for linear in linears)

J.backward()

print(f"PyTorch {torch.__version__}, float64")
check("a(0) = x", a[0].detach(), EXPECTED["a"][0])
for l in range(1, L + 1):
    check(f"z({l})", z[l].detach(), EXPECTED["z"][l - 1])
    check(f"a({l})", a[l].detach(), EXPECTED["a"][l])
check("J", J.item(), EXPECTED["J"])
for l in range(L, 0, -1):
    check(f"delta({l})", z[l].grad, EXPECTED["delta"][l - 1])
for l in range(L, 0, -1):
    check(f"dJ/dTheta({l})", linears[l - 1].weight.grad, EXPECTED["grad_theta"][l - 1])
    if network["bias"]:
        check(f"dJ/db({l})", linears[l - 1].bias.grad, EXPECTED["grad_b"][l - 1])
report()
"""#
}
