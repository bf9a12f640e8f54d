//! BFGS without a line search on f = ½(x²/4 + y²) (the built-in bowl with
//! κ = 4, unrotated), worked out with explicit 2×2 matrices: the path and
//! the evaluation counts every step must have, natively and in the browser.

// Each suite uses part of it.
#![allow(dead_code)]

type Matrix = [[f64; 2]; 2];

/// ∇f for f = ½(x²/4 + y²).
pub fn gradient(p: [f64; 2]) -> [f64; 2] {
    [0.25 * p[0], p[1]]
}

fn times(m: &Matrix, v: [f64; 2]) -> [f64; 2] {
    [
        m[0][0] * v[0] + m[0][1] * v[1],
        m[1][0] * v[0] + m[1][1] * v[1],
    ]
}

fn product(a: &Matrix, b: &Matrix) -> Matrix {
    let mut c = [[0.0; 2]; 2];
    for i in 0..2 {
        for j in 0..2 {
            c[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j];
        }
    }
    c
}

/// The BFGS inverse update H₊ = (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ, ρ = 1/sᵀy,
/// written as three explicit matrix products.
pub fn bfgs_update(h: &Matrix, s: [f64; 2], y: [f64; 2]) -> Matrix {
    let rho = 1.0 / (s[0] * y[0] + s[1] * y[1]);
    let left = [
        [1.0 - rho * s[0] * y[0], -rho * s[0] * y[1]],
        [-rho * s[1] * y[0], 1.0 - rho * s[1] * y[1]],
    ];
    let right = [
        [1.0 - rho * y[0] * s[0], -rho * y[0] * s[1]],
        [-rho * y[1] * s[0], 1.0 - rho * y[1] * s[1]],
    ];
    let mut out = product(&product(&left, h), &right);
    for i in 0..2 {
        for j in 0..2 {
            out[i][j] += rho * s[i] * s[j];
        }
    }
    out
}

/// The points BFGS with `lineSearch: "none"` visits from `start`: the first
/// step goes along −g with length min(1, 1/‖g‖)·‖g‖ (no curvature known
/// yet), every later one is a full step −H·g; H starts as γI, γ = sᵀy/yᵀy
/// (Nocedal & Wright 6.20), before the first update.
pub fn path_without_line_search(start: [f64; 2], steps: usize) -> Vec<[f64; 2]> {
    let mut points = vec![start];
    let mut h: Option<Matrix> = None;
    let mut x = start;
    for _ in 0..steps {
        let g = gradient(x);
        let next = match &h {
            None => {
                let alpha = (1.0 / (g[0] * g[0] + g[1] * g[1]).sqrt()).min(1.0);
                [x[0] - alpha * g[0], x[1] - alpha * g[1]]
            }
            Some(h) => {
                let d = times(h, g);
                [x[0] - d[0], x[1] - d[1]]
            }
        };
        let s = [next[0] - x[0], next[1] - x[1]];
        let g_next = gradient(next);
        let y = [g_next[0] - g[0], g_next[1] - g[1]];
        let start_h = h.unwrap_or_else(|| {
            let gamma = (s[0] * y[0] + s[1] * y[1]) / (y[0] * y[0] + y[1] * y[1]);
            [[gamma, 0.0], [0.0, gamma]]
        });
        h = Some(bfgs_update(&start_h, s, y));
        x = next;
        points.push(x);
    }
    points
}

/// Evaluations (values, gradients) step `k` (from 0) spends without a line
/// search: the first evaluates f and ∇f at the start and at the trial
/// point; later ones reuse what the last step learnt at x.
pub fn counts_without_line_search(k: usize) -> (u32, u32) {
    if k == 0 {
        (2, 2)
    } else {
        (1, 1)
    }
}
