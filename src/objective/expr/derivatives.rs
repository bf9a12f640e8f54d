//! Each one-argument function with its first and second derivative, the
//! only calculus forward-mode differentiation needs (the chain rule does
//! the rest).

use super::ast::Function;

/// f(u) alone, for the value-only path.
pub(crate) fn value(function: Function, u: f64) -> f64 {
    match function {
        Function::Sin => u.sin(),
        Function::Cos => u.cos(),
        Function::Tan => u.tan(),
        Function::Asin => u.asin(),
        Function::Acos => u.acos(),
        Function::Atan => u.atan(),
        Function::Sinh => u.sinh(),
        Function::Cosh => u.cosh(),
        Function::Tanh => u.tanh(),
        Function::Exp => u.exp(),
        Function::Ln => u.ln(),
        Function::Log10 => u.log10(),
        Function::Log2 => u.log2(),
        Function::Sqrt => u.sqrt(),
        Function::Abs => u.abs(),
        Function::Sigmoid => sigmoid(u),
        Function::Softplus => softplus(u),
        Function::Relu => relu(u),
    }
}

/// (f(u), f'(u), f''(u)).
///
/// At the kinks of abs and relu (u = 0) the derivative is taken as 0, the
/// subgradient an optimizer standing there would most plausibly use.
pub(crate) fn with_derivatives(function: Function, u: f64) -> (f64, f64, f64) {
    match function {
        Function::Sin => {
            let (s, c) = u.sin_cos();
            (s, c, -s)
        }
        Function::Cos => {
            let (s, c) = u.sin_cos();
            (c, -s, -c)
        }
        Function::Tan => {
            let t = u.tan();
            let secant_squared = 1.0 + t * t;
            (t, secant_squared, 2.0 * t * secant_squared)
        }
        Function::Asin => {
            let inverse_root = 1.0 / (1.0 - u * u).sqrt();
            (u.asin(), inverse_root, u * inverse_root.powi(3))
        }
        Function::Acos => {
            let inverse_root = 1.0 / (1.0 - u * u).sqrt();
            (u.acos(), -inverse_root, -u * inverse_root.powi(3))
        }
        Function::Atan => {
            let inverse = 1.0 / (1.0 + u * u);
            (u.atan(), inverse, -2.0 * u * inverse * inverse)
        }
        Function::Sinh => (u.sinh(), u.cosh(), u.sinh()),
        Function::Cosh => (u.cosh(), u.sinh(), u.cosh()),
        Function::Tanh => {
            let t = u.tanh();
            let slope = 1.0 - t * t;
            (t, slope, -2.0 * t * slope)
        }
        Function::Exp => {
            let e = u.exp();
            (e, e, e)
        }
        Function::Ln => (u.ln(), 1.0 / u, -1.0 / (u * u)),
        Function::Log10 => {
            let scale = 1.0 / std::f64::consts::LN_10;
            (u.log10(), scale / u, -scale / (u * u))
        }
        Function::Log2 => {
            let scale = 1.0 / std::f64::consts::LN_2;
            (u.log2(), scale / u, -scale / (u * u))
        }
        Function::Sqrt => {
            let r = u.sqrt();
            (r, 0.5 / r, -0.25 / (r * u))
        }
        Function::Abs => (u.abs(), sign_or_zero(u), 0.0),
        Function::Sigmoid => {
            let s = sigmoid(u);
            let slope = s * (1.0 - s);
            (s, slope, slope * (1.0 - 2.0 * s))
        }
        Function::Softplus => {
            let s = sigmoid(u);
            (softplus(u), s, s * (1.0 - s))
        }
        Function::Relu => (relu(u), if u > 0.0 { 1.0 } else { 0.0 }, 0.0),
    }
}

fn sign_or_zero(u: f64) -> f64 {
    if u > 0.0 {
        1.0
    } else if u < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// 1 / (1 + e^−u), without overflow for large |u|.
pub(crate) fn sigmoid(u: f64) -> f64 {
    if u >= 0.0 {
        1.0 / (1.0 + (-u).exp())
    } else {
        let e = u.exp();
        e / (1.0 + e)
    }
}

/// log(1 + e^u) = max(u, 0) + log(1 + e^−|u|), without overflow.
pub(crate) fn softplus(u: f64) -> f64 {
    u.max(0.0) + (-u.abs()).exp().ln_1p()
}

fn relu(u: f64) -> f64 {
    // Written so that NaN stays NaN.
    if u < 0.0 {
        0.0
    } else {
        u
    }
}
