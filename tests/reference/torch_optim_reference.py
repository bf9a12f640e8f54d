#!/usr/bin/env python3
"""Reference trajectories for trainlab's first-order optimizers.

An independent, floats-only implementation of the update rules exactly as
the torch.optim documentation writes them in pseudo-code (SGD with momentum
and Nesterov, Adagrad, RMSprop, Adam), plus Adam without bias correction as
on the CS231n lecture 7 slide. Each optimizer runs from a zero state on the
analytic gradient of the Rosenbrock function and of an ill-conditioned,
rotated quadratic; the whole trajectories are written as Rust constants for
tests/optim_reference.rs.

Regenerate (from the crate root):
    python3 tests/reference/torch_optim_reference.py
which rewrites tests/reference/optim_trajectories.rs next to this script.
"""

import math
import os
import sys

STEPS = 50

# ---------------------------------------------------------------- surfaces

ROSENBROCK_A = 1.0
ROSENBROCK_B = 100.0


def rosenbrock_gradient(p):
    # f(x, y) = (a - x)^2 + b (y - x^2)^2
    x, y = p
    inner = y - x * x
    dx = -2.0 * (ROSENBROCK_A - x) - 4.0 * ROSENBROCK_B * x * inner
    dy = 2.0 * ROSENBROCK_B * inner
    return [dx, dy]


# f(p) = 1/2 (p - c)^T H (p - c) with H = R diag(l1, l2) R^T: condition 50,
# axes turned by 30 degrees so no coordinate-wise method gets it for free.
QUADRATIC_EIGENVALUES = (0.5, 25.0)
QUADRATIC_ANGLE = math.pi / 6.0
QUADRATIC_CENTER = (0.5, -0.25)


def quadratic_hessian():
    c, s = math.cos(QUADRATIC_ANGLE), math.sin(QUADRATIC_ANGLE)
    l1, l2 = QUADRATIC_EIGENVALUES
    # R = [[c, -s], [s, c]];  H = R diag(l1, l2) R^T
    h00 = l1 * c * c + l2 * s * s
    h01 = (l1 - l2) * c * s
    h11 = l1 * s * s + l2 * c * c
    return [[h00, h01], [h01, h11]]


QUADRATIC_HESSIAN = quadratic_hessian()


def quadratic_gradient(p):
    h = QUADRATIC_HESSIAN
    dx = p[0] - QUADRATIC_CENTER[0]
    dy = p[1] - QUADRATIC_CENTER[1]
    return [h[0][0] * dx + h[0][1] * dy, h[1][0] * dx + h[1][1] * dy]


SURFACES = {
    "Rosenbrock": rosenbrock_gradient,
    "RotatedQuadratic": quadratic_gradient,
}

# -------------------------------------------------------------- optimizers
# Each optimizer is a class with step(theta, g) following the documented
# pseudo-code literally, including its "if t > 1" branches, so the claim
# "a zero state behaves like the first-step special case" is tested too.


class Sgd:
    """torch.optim.SGD: weight_decay = 0, dampening tau = 0."""

    def __init__(self, lr, momentum=0.0, nesterov=False):
        self.lr, self.mu, self.nesterov = lr, momentum, nesterov
        self.tau = 0.0
        self.t = 0
        self.b = None

    def step(self, theta, g):
        self.t += 1
        out = []
        for i, (th, gi) in enumerate(zip(theta, g)):
            if self.mu != 0.0:
                if self.t > 1:
                    self.b[i] = self.mu * self.b[i] + (1.0 - self.tau) * gi
                else:
                    if self.b is None:
                        self.b = [0.0] * len(theta)
                    self.b[i] = gi
                if self.nesterov:
                    gi = gi + self.mu * self.b[i]
                else:
                    gi = self.b[i]
            out.append(th - self.lr * gi)
        return out


class Adagrad:
    """torch.optim.Adagrad: lr_decay = 0, weight_decay = 0, initial sum 0."""

    def __init__(self, lr, eps=1e-10):
        self.lr, self.eps = lr, eps
        self.lr_decay = 0.0
        self.t = 0
        self.state_sum = None

    def step(self, theta, g):
        self.t += 1
        if self.state_sum is None:
            self.state_sum = [0.0] * len(theta)
        lr_t = self.lr / (1.0 + (self.t - 1) * self.lr_decay)
        out = []
        for i, (th, gi) in enumerate(zip(theta, g)):
            self.state_sum[i] = self.state_sum[i] + gi * gi
            out.append(th - lr_t * gi / (math.sqrt(self.state_sum[i]) + self.eps))
        return out


class RmsProp:
    """torch.optim.RMSprop: centered = False, momentum = 0, weight_decay = 0."""

    def __init__(self, lr, alpha=0.99, eps=1e-8):
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.v = None

    def step(self, theta, g):
        if self.v is None:
            self.v = [0.0] * len(theta)
        out = []
        for i, (th, gi) in enumerate(zip(theta, g)):
            self.v[i] = self.alpha * self.v[i] + (1.0 - self.alpha) * gi * gi
            v_tilde = self.v[i]
            out.append(th - self.lr * gi / (math.sqrt(v_tilde) + self.eps))
        return out


class Adam:
    """torch.optim.Adam: amsgrad = False, weight_decay = 0, maximize = False."""

    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m = None
        self.v = None

    def step(self, theta, g):
        self.t += 1
        if self.m is None:
            self.m = [0.0] * len(theta)
            self.v = [0.0] * len(theta)
        out = []
        for i, (th, gi) in enumerate(zip(theta, g)):
            self.m[i] = self.beta1 * self.m[i] + (1.0 - self.beta1) * gi
            self.v[i] = self.beta2 * self.v[i] + (1.0 - self.beta2) * gi * gi
            m_hat = self.m[i] / (1.0 - self.beta1 ** self.t)
            v_hat = self.v[i] / (1.0 - self.beta2 ** self.t)
            out.append(th - self.lr * m_hat / (math.sqrt(v_hat) + self.eps))
        return out


class AdamNoBiasCorrection:
    """The CS231n slide's 'almost Adam': x -= lr * m / (sqrt(v) + eps)."""

    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-7):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.first_moment = None
        self.second_moment = None

    def step(self, theta, g):
        if self.first_moment is None:
            self.first_moment = [0.0] * len(theta)
            self.second_moment = [0.0] * len(theta)
        out = []
        for i, (th, dx) in enumerate(zip(theta, g)):
            self.first_moment[i] = self.beta1 * self.first_moment[i] + (1.0 - self.beta1) * dx
            self.second_moment[i] = self.beta2 * self.second_moment[i] + (1.0 - self.beta2) * dx * dx
            out.append(th - self.lr * self.first_moment[i] / (math.sqrt(self.second_moment[i]) + self.eps))
        return out


# ------------------------------------------------------------------ cases
# (Rust constructor of the test's TorchOptimizer enum, Python optimizer).


def sgd(lr, momentum=0.0, nesterov=False):
    rust = f"TorchOptimizer::Sgd {{ lr: {lit(lr)}, momentum: {lit(momentum)}, nesterov: {str(nesterov).lower()} }}"
    return rust, lambda: Sgd(lr, momentum, nesterov)


def adagrad(lr, eps=1e-10):
    rust = f"TorchOptimizer::Adagrad {{ lr: {lit(lr)}, eps: {lit(eps)} }}"
    return rust, lambda: Adagrad(lr, eps)


def rmsprop(lr, alpha=0.99, eps=1e-8):
    rust = f"TorchOptimizer::RmsProp {{ lr: {lit(lr)}, alpha: {lit(alpha)}, eps: {lit(eps)} }}"
    return rust, lambda: RmsProp(lr, alpha, eps)


def adam(lr, beta1=0.9, beta2=0.999, eps=1e-8):
    rust = (f"TorchOptimizer::Adam {{ lr: {lit(lr)}, beta1: {lit(beta1)}, "
            f"beta2: {lit(beta2)}, eps: {lit(eps)} }}")
    return rust, lambda: Adam(lr, beta1, beta2, eps)


def adam_no_bias_correction(lr, beta1=0.9, beta2=0.999, eps=1e-7):
    rust = (f"TorchOptimizer::AdamNoBiasCorrection {{ lr: {lit(lr)}, beta1: {lit(beta1)}, "
            f"beta2: {lit(beta2)}, eps: {lit(eps)} }}")
    return rust, lambda: AdamNoBiasCorrection(lr, beta1, beta2, eps)


def lit(x):
    """A Rust f64 literal that parses back to exactly x."""
    if not math.isfinite(x):
        raise ValueError(f"non-finite value {x} in a reference trajectory")
    text = repr(float(x))
    return text if ("." in text or "e" in text) else text + ".0"


def optimizers_for(surface):
    # Rates are picked per surface so no run diverges (a blow-up would only
    # test overflow) yet every run moves visibly in 50 steps.
    if surface == "Rosenbrock":
        return [
            sgd(1e-3),
            sgd(5e-4, momentum=0.0),
            sgd(2e-4, momentum=0.9),
            sgd(1e-4, momentum=0.5),
            sgd(2e-4, momentum=0.9, nesterov=True),
            sgd(1e-4, momentum=0.7, nesterov=True),
            adagrad(0.5),
            adagrad(0.1, eps=1e-3),
            rmsprop(0.01),
            rmsprop(0.005, alpha=0.9, eps=1e-4),
            adam(0.05),
            adam(0.02, beta1=0.5, beta2=0.9, eps=1e-3),
            adam(0.1, beta1=0.0, beta2=0.99, eps=1e-6),
            adam_no_bias_correction(0.01),
            adam_no_bias_correction(0.02, beta1=0.8, beta2=0.95, eps=1e-4),
        ]
    return [
        sgd(0.07),
        sgd(0.01, momentum=0.0),
        sgd(0.02, momentum=0.9),
        sgd(0.03, momentum=0.5),
        sgd(0.02, momentum=0.9, nesterov=True),
        sgd(0.03, momentum=0.6, nesterov=True),
        adagrad(1.0),
        adagrad(0.3, eps=0.5),
        rmsprop(0.05),
        rmsprop(0.02, alpha=0.8, eps=1e-3),
        adam(0.2),
        adam(0.1, beta1=0.5, beta2=0.9, eps=1e-2),
        adam(0.05, beta1=0.0, beta2=0.99, eps=1e-6),
        adam_no_bias_correction(0.05),
        adam_no_bias_correction(0.1, beta1=0.8, beta2=0.95, eps=1e-4),
    ]


STARTS = {
    "Rosenbrock": [(-1.2, 1.0), (0.5, -0.5)],
    "RotatedQuadratic": [(2.0, 1.5), (-1.5, 2.0)],
}


def trajectory(surface, start, make_optimizer):
    gradient = SURFACES[surface]
    optimizer = make_optimizer()
    theta = [float(start[0]), float(start[1])]
    points = [theta]
    for _ in range(STEPS):
        theta = optimizer.step(theta, gradient(theta))
        points.append(theta)
    return points


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "optim_trajectories.rs")
    lines = [
        "// @generated by tests/reference/torch_optim_reference.py -- do not edit by hand.",
        "// Regenerate from the crate root with:",
        "//     python3 tests/reference/torch_optim_reference.py",
        "// Trajectories of torch.optim's documented update rules (and the CS231n slide's",
        "// Adam without bias correction) from a zero optimizer state, constant rates.",
        "// Each trajectory holds the start point and the points after each of",
        f"// {STEPS} steps. Included by tests/optim_reference.rs.",
        "",
        "/// Steps in every reference trajectory.",
        f"const REFERENCE_STEPS: usize = {STEPS};",
        "",
        "/// Rosenbrock f = (a - x)^2 + b (y - x^2)^2.",
        f"const ROSENBROCK_A: f64 = {lit(ROSENBROCK_A)};",
        f"const ROSENBROCK_B: f64 = {lit(ROSENBROCK_B)};",
        "",
        "/// Rotated quadratic f = 1/2 (p - c)^T H (p - c): Hessian H, centre c.",
        "const QUADRATIC_HESSIAN: [[f64; 2]; 2] = [",
        f"    [{lit(QUADRATIC_HESSIAN[0][0])}, {lit(QUADRATIC_HESSIAN[0][1])}],",
        f"    [{lit(QUADRATIC_HESSIAN[1][0])}, {lit(QUADRATIC_HESSIAN[1][1])}],",
        "];",
        f"const QUADRATIC_CENTER: [f64; 2] = [{lit(QUADRATIC_CENTER[0])}, {lit(QUADRATIC_CENTER[1])}];",
        "",
        "/// Every reference run.",
        "const REFERENCE_CASES: &[ReferenceCase] = &[",
    ]
    for surface in SURFACES:
        for start in STARTS[surface]:
            for rust, make in optimizers_for(surface):
                points = trajectory(surface, start, make)
                lines.append("    ReferenceCase {")
                lines.append(f"        surface: Surface::{surface},")
                lines.append(f"        optimizer: {rust},")
                lines.append("        trajectory: &[")
                for p in points:
                    lines.append(f"            [{lit(p[0])}, {lit(p[1])}],")
                lines.append("        ],")
                lines.append("    },")
    lines.append("];")
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
