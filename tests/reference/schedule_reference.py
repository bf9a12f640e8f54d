#!/usr/bin/env python3
"""Reference learning rates for trainlab's schedules (src/schedule.rs).

Computed independently, with plain floats, from the PyTorch documentation of
each scheduler, emulating the schedulers' step-by-step bookkeeping where the
docs describe one:
  StepLR                       multiply by gamma whenever the epoch count
                               reaches a multiple of step_size (recursive);
  CosineAnnealingLR            the documented closed form, cross-checked here
                               against the documented recursive form; after
                               T_max the rate holds at eta_min (trainlab's
                               documented choice, not PyTorch's);
  CosineAnnealingWarmRestarts  epoch by epoch: T_cur += 1, and when
                               T_cur >= T_i, T_cur -= T_i and T_i *= T_mult;
  warm-up                      SequentialLR of LinearLR(start_factor = 1/W,
                               end_factor = 1, total_iters = W - 1) and the
                               inner schedule, milestone W (the inner one
                               restarts from its own epoch 0 there);
and the lecture's exponential lr*exp(-k t) and 1/t decay lr/(1 + k t).

Regenerate (from the crate root):
    python3 tests/reference/schedule_reference.py
which rewrites tests/reference/schedule_values.rs next to this script.
"""

import math
import os
import sys

DENSE_STEPS = 131  # values for steps 0 .. DENSE_STEPS - 1
SPARSE_STEPS = [500, 1000, 4096, 20000]


def constant(lr):
    while True:
        yield lr


def step_lr(lr, gamma, step_size):
    current = lr
    epoch = 0
    while True:
        if epoch > 0 and epoch % step_size == 0:
            current = current * gamma
        yield current
        epoch += 1


def exponential(lr, k):
    t = 0
    while True:
        yield lr * math.exp(-k * t)
        t += 1


def inverse_time(lr, k):
    t = 0
    while True:
        yield lr / (1.0 + k * t)
        t += 1


def cosine(lr, t_max, eta_min):
    t = 0
    while True:
        t_cur = min(t, t_max)
        yield eta_min + (lr - eta_min) * (1.0 + math.cos(math.pi * t_cur / t_max)) / 2.0
        t += 1


def cosine_recursive_check(lr, t_max, eta_min):
    """The docs' recursive form must agree with the closed form up to T_max."""
    closed = cosine(lr, t_max, eta_min)
    eta = next(closed)
    for t_cur in range(t_max):
        expected = next(closed)
        if (t_cur - t_max) % (2 * t_max) == 0:
            eta = eta + (lr - eta_min) * (1.0 - math.cos(math.pi / t_max)) / 2.0
        else:
            eta = eta_min + (eta - eta_min) * (1.0 + math.cos(math.pi * (t_cur + 1) / t_max)) / (
                1.0 + math.cos(math.pi * t_cur / t_max))
        assert abs(eta - expected) <= 1e-9 * lr, (t_cur, eta, expected)


class WarmRestarts:
    """CosineAnnealingWarmRestarts driven one epoch at a time."""

    def __init__(self, lr, t_0, t_mult, eta_min):
        self.lr, self.t_mult, self.eta_min = lr, t_mult, eta_min
        self.t_i = t_0
        self.t_cur = 0
        self.epoch = 0
        self.restarts = []

    def values(self):
        while True:
            yield self.eta_min + (self.lr - self.eta_min) * (1.0 + math.cos(math.pi * self.t_cur / self.t_i)) / 2.0
            self.epoch += 1
            self.t_cur += 1
            if self.t_cur >= self.t_i:
                self.t_cur -= self.t_i
                self.t_i *= self.t_mult
                self.restarts.append(self.epoch)


def with_warmup(lr, warmup, inner):
    """SequentialLR([LinearLR(1/W, 1, W - 1), inner], milestones=[W])."""
    if warmup == 0:
        yield from inner
        return
    start_factor, end_factor, total_iters = 1.0 / warmup, 1.0, warmup - 1
    for t in range(warmup):
        if total_iters == 0:
            factor = end_factor
        else:
            factor = start_factor + (end_factor - start_factor) * min(total_iters, t) / total_iters
        yield lr * factor
    yield from inner


def lit(x):
    if not math.isfinite(x):
        raise ValueError(f"non-finite value {x}")
    text = repr(float(x))
    return text if ("." in text or "e" in text) else text + ".0"


def cases():
    """(Rust ScheduleSpec expression, value generator, restart list or None)."""
    out = []

    def add(rust_kind, warmup, lr, make, restarts=None):
        rust = f"ScheduleSpec {{ kind: {rust_kind}, warmup: {warmup} }}"
        out.append((rust, with_warmup(lr, warmup, make), restarts, warmup))

    def simple(rust_kind, lr, make, warmup=0):
        add(rust_kind, warmup, lr, make)

    simple(f"Schedule::Constant {{ lr: {lit(0.3)} }}", 0.3, constant(0.3))
    for lr, gamma, every, warmup in [(0.1, 0.5, 7, 0), (1.0, 0.9, 1, 0), (0.05, 1.0, 10, 0), (0.1, 0.5, 7, 5)]:
        simple(f"Schedule::Step {{ lr: {lit(lr)}, gamma: {lit(gamma)}, every: {every} }}",
               lr, step_lr(lr, gamma, every), warmup)
    for lr, k, warmup in [(0.1, 0.05, 0), (0.2, 0.0, 0), (0.1, 0.003, 3)]:
        simple(f"Schedule::Exponential {{ lr: {lit(lr)}, k: {lit(k)} }}", lr, exponential(lr, k), warmup)
    for lr, k, warmup in [(0.1, 0.1, 0), (2.0, 1.5, 0)]:
        simple(f"Schedule::InverseTime {{ lr: {lit(lr)}, k: {lit(k)} }}", lr, inverse_time(lr, k), warmup)
    for lr, total, eta_min, warmup in [(0.1, 100, 0.0, 0), (0.5, 37, 0.01, 0), (0.1, 1, 0.001, 0), (0.1, 50, 0.0, 10)]:
        cosine_recursive_check(lr, total, eta_min)
        simple(f"Schedule::Cosine {{ lr: {lit(lr)}, total: {total}, min: {lit(eta_min)} }}",
               lr, cosine(lr, total, eta_min), warmup)
    simple(f"Schedule::Constant {{ lr: {lit(0.02)} }}", 0.02, constant(0.02), 1)
    for lr, period, mult, eta_min, warmup in [
        (0.1, 10, 1, 0.0, 0),
        (0.1, 5, 2, 0.001, 0),
        (1.0, 3, 3, 0.1, 0),
        (0.1, 1, 2, 0.0, 0),
        (0.1, 5, 2, 0.0, 4),
    ]:
        sched = WarmRestarts(lr, period, mult, eta_min)
        add(f"Schedule::WarmRestarts {{ lr: {lit(lr)}, period: {period}, mult: {mult}, min: {lit(eta_min)} }}",
            warmup, lr, sched.values(), sched)
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "schedule_values.rs")
    wanted = set(range(DENSE_STEPS)) | set(SPARSE_STEPS)
    last = max(wanted)
    lines = [
        "// @generated by tests/reference/schedule_reference.py -- do not edit by hand.",
        "// Regenerate from the crate root with:",
        "//     python3 tests/reference/schedule_reference.py",
        "// Learning rates of PyTorch's documented schedulers (emulated step by step),",
        "// the lecture's decays and a LinearLR warm-up. Included by tests/schedule.rs.",
        "",
        "/// Every step below this one has a reference value in each case.",
        f"const DENSE_STEPS: u64 = {DENSE_STEPS};",
        "",
        "/// Every reference schedule.",
        "const SCHEDULE_CASES: &[ScheduleCase] = &[",
    ]
    for rust, values, restarts, warmup in cases():
        lines.append("    ScheduleCase {")
        lines.append(f"        spec: {rust},")
        lines.append("        values: &[")
        for t in range(last + 1):
            value = next(values)
            if t in wanted:
                lines.append(f"            ({t}, {lit(value)}),")
        lines.append("        ],")
        if restarts is None:
            lines.append("        restarts: &[],")
        else:
            # Restarts of the inner schedule, moved behind the warm-up.
            shown = [s + warmup for s in restarts.restarts if s + warmup < DENSE_STEPS]
            lines.append(f"        restarts: &{shown},")
        lines.append("    },")
    lines.append("];")
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
