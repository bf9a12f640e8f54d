//! Typed-in loss functions: parsing, exact derivatives, errors, limits, fuzz.

use trainlab::objective::expr::ast::Expr;
use trainlab::objective::expr::tape::Op;
use trainlab::objective::expr::{
    parse_expression, ExprSurface, ParseError, DEFAULT_BOUNDS, MAX_DEPTH, MAX_INPUT_CHARS,
};
use trainlab::objective::{Bounds, Objective};
use trainlab::rng::Rng;

fn surface(text: &str) -> ExprSurface {
    ExprSurface::parse(text).unwrap_or_else(|e| panic!("'{text}' should parse: {e}"))
}

fn parse_error(text: &str) -> ParseError {
    match ExprSurface::parse(text) {
        Ok(_) => panic!("'{text}' should not parse"),
        Err(e) => e,
    }
}

/// |a − b| ≤ tol · max(1, |a|, |b|), or both NaN, or the same infinity.
fn close(a: f64, b: f64, tol: f64) -> bool {
    if (a.is_nan() && b.is_nan()) || (a.is_infinite() && a == b) {
        return true;
    }
    (a - b).abs() <= tol * 1f64.max(a.abs()).max(b.abs())
}

/// Points of the default view: a fixed lattice plus random ones.
fn test_points(seed: u64) -> Vec<[f64; 2]> {
    let mut points = Vec::new();
    for i in 0..7 {
        for j in 0..7 {
            points.push([-3.0 + i as f64, -3.0 + j as f64]);
        }
    }
    let mut rng = Rng::new(seed);
    for _ in 0..200 {
        points.push([rng.uniform_in(-3.0, 3.0), rng.uniform_in(-3.0, 3.0)]);
    }
    points
}

type Closure = fn(f64, f64) -> f64;

fn sigmoid(u: f64) -> f64 {
    1.0 / (1.0 + (-u).exp())
}

#[test]
fn values_match_hand_written_closures() {
    let cases: Vec<(&str, Closure)> = vec![
        ("1 + 2 * 3", |_, _| 7.0),
        ("(1 + 2) * 3", |_, _| 9.0),
        ("2^3^2", |_, _| 512.0),
        ("(2^3)^2", |_, _| 64.0),
        ("-2^2", |_, _| -4.0),
        ("-x^2", |x, _| -(x * x)),
        ("(-x)^2", |x, _| x * x),
        ("2^-x", |x, _| 2f64.powf(-x)),
        ("x^-2", |x, _| 1.0 / (x * x)),
        ("x - y - 1", |x, y| (x - y) - 1.0),
        ("x - (y - 1)", |x, y| x - (y - 1.0)),
        ("x / y / 2", |x, y| (x / y) / 2.0),
        ("x*-y", |x, y| x * -y),
        ("--x", |x, _| x),
        ("+x - -y", |x, y| x + y),
        ("-x*y + 3", |x, y| -x * y + 3.0),
        ("2*x^2*y", |x, y| 2.0 * x * x * y),
        ("x^2 + y^2 / 4", |x, y| x * x + y * y / 4.0),
        ("sin(x)*cos(y)", |x, y| x.sin() * y.cos()),
        ("tan(x/4)", |x, _| (x / 4.0).tan()),
        ("asin(x/4) + acos(y/4) + atan(x*y)", |x, y| {
            (x / 4.0).asin() + (y / 4.0).acos() + (x * y).atan()
        }),
        ("sinh(x) - cosh(y) + tanh(x*y)", |x, y| {
            x.sinh() - y.cosh() + (x * y).tanh()
        }),
        ("exp(-x^2 - y^2)", |x, y| (-(x * x) - y * y).exp()),
        ("log(x^2 + 1) + ln(1 + y^2)", |x, y| {
            (x * x + 1.0).ln() + (1.0 + y * y).ln()
        }),
        ("log10(x^2 + 1) * log2(y^2 + 2)", |x, y| {
            (x * x + 1.0).log10() * (y * y + 2.0).log2()
        }),
        ("sqrt(x^2 + y^2 + 1)", |x, y| (x * x + y * y + 1.0).sqrt()),
        ("abs(x - y)", |x, y| (x - y).abs()),
        ("sigmoid(x) + softplus(y)", |x, y| {
            sigmoid(x) + (1.0 + y.exp()).ln()
        }),
        ("relu(x) - relu(-y)", |x, y| x.max(0.0) - (-y).max(0.0)),
        ("min(x, y) + 2*max(x, y)", |x, y| x.min(y) + 2.0 * x.max(y)),
        ("pow(x, 3) + pow(2, y)", |x, y| x * x * x + 2f64.powf(y)),
        ("pi*x + e^y", |x, y| std::f64::consts::PI * x + y.exp()),
        ("π·x − y", |x, y| std::f64::consts::PI * x - y),
        ("2 × x – y ÷ 4 ∗ 3 ⋅ 2", |x, y| {
            2.0 * x - y / 4.0 * 3.0 * 2.0
        }),
        ("x² + y³", |x, y| x * x + y * y * y),
        ("2**x", |x, _| 2f64.powf(x)),
        ("1e-3*x + 6.02E2 + 1.5e+1 + 2.5e−1", |x, _| {
            0.001 * x + 602.0 + 15.0 + 0.25
        }),
        (".5*x + 2.*y", |x, y| 0.5 * x + 2.0 * y),
        (" \t x\n+\u{a0}y ", |x, y| x + y),
        ("((((x))))", |x, _| x),
        ("x^0.5 + y^1.5", |x, y| x.powf(0.5) + y.powf(1.5)),
        ("x^y", |x, y| x.powf(y)),
        ("1/0", |_, _| f64::INFINITY),
        ("x^0", |_, _| 1.0),
        ("x^1 * y", |x, y| x * y),
    ];
    for (text, expected) in &cases {
        let s = surface(text);
        for p in test_points(1) {
            let got = s.value(p);
            let want = expected(p[0], p[1]);
            assert!(
                close(got, want, 1e-13),
                "{text} at {p:?}: got {got}, want {want}"
            );
        }
    }
}

#[test]
fn display_shows_how_the_text_was_read() {
    let cases = [
        ("-x^2", "-(x^2)"),
        ("2^3^2", "2^3^2"),
        ("(2^3)^2", "(2^3)^2"),
        ("x - (y - 1)", "x - (y - 1)"),
        ("x-y-1", "x - y - 1"),
        ("2*x²", "2*x^2"),
        ("1e-7*x + 0.5", "1e-7*x + 0.5"),
        ("ln(x)", "log(x)"),
        ("pow(x, y)", "x^y"),
        ("-(x*y)", "-(x*y)"),
        ("x^-y", "x^(-y)"),
    ];
    for (text, shown) in cases {
        let expr = parse_expression(text).unwrap();
        assert_eq!(expr.to_string(), shown, "display of {text}");
        assert_eq!(parse_expression(shown).unwrap(), expr, "reparse of {shown}");
    }
}

// ---------------------------------------------------------------------------
// Exact derivatives against hand-derived ones.

struct Analytic {
    text: &'static str,
    gradient: fn(f64, f64) -> [f64; 2],
    hessian: fn(f64, f64) -> [[f64; 2]; 2],
}

/// Rotation angle 0.5 and curvatures 3 and 0.5 of the rotated quadratic.
const ROT_C: f64 = 0.8775825618903728;
const ROT_S: f64 = 0.479425538604203;

fn rotated_hessian() -> [[f64; 2]; 2] {
    let (a, b) = (3.0, 0.5);
    let xx = 2.0 * (a * ROT_C * ROT_C + b * ROT_S * ROT_S);
    let xy = 2.0 * (a - b) * ROT_C * ROT_S;
    let yy = 2.0 * (a * ROT_S * ROT_S + b * ROT_C * ROT_C);
    [[xx, xy], [xy, yy]]
}

fn analytic_cases() -> Vec<Analytic> {
    vec![
        Analytic {
            text: "(1 - x)^2 + 100*(y - x^2)^2",
            gradient: |x, y| {
                [
                    -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
                    200.0 * (y - x * x),
                ]
            },
            hessian: |x, y| {
                let xy = -400.0 * x;
                [[2.0 - 400.0 * (y - x * x) + 800.0 * x * x, xy], [xy, 200.0]]
            },
        },
        Analytic {
            text: "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
            gradient: |x, y| {
                let mut g = [0.0; 2];
                for (i, c) in [(1, 1.5), (2, 2.25), (3, 2.625)] {
                    let fi = f64::from(i);
                    let a = c - x + x * y.powi(i);
                    g[0] += 2.0 * a * (y.powi(i) - 1.0);
                    g[1] += 2.0 * a * fi * x * y.powi(i - 1);
                }
                g
            },
            hessian: |x, y| {
                let mut h = [[0.0; 2]; 2];
                for (i, c) in [(1, 1.5), (2, 2.25), (3, 2.625)] {
                    let fi = f64::from(i);
                    let a = c - x + x * y.powi(i);
                    let ax = y.powi(i) - 1.0;
                    let ay = fi * x * y.powi(i - 1);
                    let axy = fi * y.powi(i - 1);
                    let ayy = if i >= 2 {
                        fi * (fi - 1.0) * x * y.powi(i - 2)
                    } else {
                        0.0
                    };
                    h[0][0] += 2.0 * ax * ax;
                    h[0][1] += 2.0 * (ay * ax + a * axy);
                    h[1][1] += 2.0 * (ay * ay + a * ayy);
                }
                h[1][0] = h[0][1];
                h
            },
        },
        Analytic {
            text: "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
            gradient: |x, y| {
                let (a, b) = (x * x + y - 11.0, x + y * y - 7.0);
                [4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b]
            },
            hessian: |x, y| {
                let (a, b) = (x * x + y - 11.0, x + y * y - 7.0);
                let xy = 4.0 * x + 4.0 * y;
                [
                    [4.0 * a + 8.0 * x * x + 2.0, xy],
                    [xy, 2.0 + 4.0 * b + 8.0 * y * y],
                ]
            },
        },
        Analytic {
            text: "x^2 - y^2",
            gradient: |x, y| [2.0 * x, -2.0 * y],
            hessian: |_, _| [[2.0, 0.0], [0.0, -2.0]],
        },
        Analytic {
            text: "3*(0.8775825618903728*x + 0.479425538604203*y)^2 \
                   + 0.5*(-0.479425538604203*x + 0.8775825618903728*y)^2",
            gradient: |x, y| {
                let h = rotated_hessian();
                [h[0][0] * x + h[0][1] * y, h[1][0] * x + h[1][1] * y]
            },
            hessian: |_, _| rotated_hessian(),
        },
        Analytic {
            text: "sin(x)*exp(y)",
            gradient: |x, y| [x.cos() * y.exp(), x.sin() * y.exp()],
            hessian: |x, y| {
                let xy = x.cos() * y.exp();
                [[-x.sin() * y.exp(), xy], [xy, x.sin() * y.exp()]]
            },
        },
        Analytic {
            text: "sigmoid(x*y) + tanh(x - 2*y)",
            gradient: |x, y| {
                let s = sigmoid(x * y);
                let s1 = s * (1.0 - s);
                let t = (x - 2.0 * y).tanh();
                let t1 = 1.0 - t * t;
                [s1 * y + t1, s1 * x - 2.0 * t1]
            },
            hessian: |x, y| {
                let s = sigmoid(x * y);
                let s1 = s * (1.0 - s);
                let s2 = s1 * (1.0 - 2.0 * s);
                let t = (x - 2.0 * y).tanh();
                let t1 = 1.0 - t * t;
                let t2 = -2.0 * t * t1;
                let xy = s2 * x * y + s1 - 2.0 * t2;
                [[s2 * y * y + t2, xy], [xy, s2 * x * x + 4.0 * t2]]
            },
        },
        Analytic {
            text: "tanh(sigmoid(x) + y)",
            gradient: |x, y| {
                let s = sigmoid(x);
                let t = (s + y).tanh();
                let t1 = 1.0 - t * t;
                [t1 * s * (1.0 - s), t1]
            },
            hessian: |x, y| {
                let s = sigmoid(x);
                let s1 = s * (1.0 - s);
                let s2 = s1 * (1.0 - 2.0 * s);
                let t = (s + y).tanh();
                let t1 = 1.0 - t * t;
                let t2 = -2.0 * t * t1;
                let xy = t2 * s1;
                [[t2 * s1 * s1 + t1 * s2, xy], [xy, t2]]
            },
        },
        Analytic {
            text: "x/(1 + y^2)",
            gradient: |x, y| {
                let d = 1.0 + y * y;
                [1.0 / d, -2.0 * x * y / (d * d)]
            },
            hessian: |x, y| {
                let d = 1.0 + y * y;
                let xy = -2.0 * y / (d * d);
                [
                    [0.0, xy],
                    [xy, -2.0 * x * (1.0 - 3.0 * y * y) / (d * d * d)],
                ]
            },
        },
        Analytic {
            text: "(x^2 + 1)^y",
            gradient: |x, y| {
                let u = x * x + 1.0;
                let f = u.powf(y);
                [f * y * 2.0 * x / u, f * u.ln()]
            },
            hessian: |x, y| {
                // f = exp(y L), L = ln u: f_x = f y L_x with L_x = 2x/u,
                // L_xx = 2(1 − x²)/u².
                let u = x * x + 1.0;
                let f = u.powf(y);
                let l = u.ln();
                let lx = 2.0 * x / u;
                let lxx = 2.0 * (1.0 - x * x) / (u * u);
                let xy = f * (l * y * lx + lx);
                [[f * (y * y * lx * lx + y * lxx), xy], [xy, f * l * l]]
            },
        },
    ]
}

#[test]
fn gradients_and_hessians_equal_hand_derived_ones() {
    for case in analytic_cases() {
        let s = surface(case.text);
        for p in test_points(2) {
            let [x, y] = p;
            let g = s.gradient(p);
            let h = s.hessian(p);
            let want_g = (case.gradient)(x, y);
            let want_h = (case.hessian)(x, y);
            for i in 0..2 {
                assert!(
                    close(g[i], want_g[i], 1e-12),
                    "{} gradient[{i}] at {p:?}: {} vs {}",
                    case.text,
                    g[i],
                    want_g[i]
                );
                for j in 0..2 {
                    assert!(
                        close(h[i][j], want_h[i][j], 1e-12),
                        "{} hessian[{i}][{j}] at {p:?}: {} vs {}",
                        case.text,
                        h[i][j],
                        want_h[i][j]
                    );
                }
            }
            // The three paths agree on the value itself.
            let jet = s.tape().hessian(x, y);
            assert!(close(jet.value, s.value(p), 1e-14), "{} value", case.text);
            assert_eq!(
                jet.gradient,
                s.tape().gradient(x, y).gradient,
                "{}",
                case.text
            );
        }
    }
}

#[test]
fn every_function_differentiates_like_finite_differences() {
    // Arguments kept inside every function's domain for the points used.
    let texts = [
        "sin(x + 0.3*y)",
        "cos(x*y)",
        "tan(0.3*x + 0.1*y)",
        "asin(0.2*x + 0.1*y)",
        "acos(0.2*x - 0.1*y)",
        "atan(x*y)",
        "sinh(x - y)",
        "cosh(0.5*x*y)",
        "tanh(x + y^2)",
        "exp(0.5*x - y)",
        "log(x^2 + y^2 + 1)",
        "log10(x^2 + 2 + y)",
        "log2(3 + x*y/3)",
        "sqrt(x^2 + y + 4)",
        "abs(x*y + 0.5)",
        "sigmoid(2*x - y)",
        "softplus(x*y)",
        "relu(x + y + 0.5)*y",
        "min(x^2, y + 1) + max(x*y, 0.25)",
        "(x^2 + 1)^(y/2)",
        "(x^2 + 1)^0.75 / (y^2 + 2)",
        "x^3*y^-2",
    ];
    let h = 1e-5;
    let mut rng = Rng::new(3);
    for text in texts {
        let s = surface(text);
        for _ in 0..60 {
            let p = [rng.uniform_in(-2.0, 2.0), rng.uniform_in(0.6, 2.0)];
            let g = s.gradient(p);
            let hess = s.hessian(p);
            for axis in 0..2 {
                let mut plus = p;
                let mut minus = p;
                plus[axis] += h;
                minus[axis] -= h;
                // Skip points whose stencil crosses a kink of abs/relu/min/max.
                let (gp, gm) = (s.gradient(plus), s.gradient(minus));
                let kink = (0..2).any(|k| (gp[k] - gm[k]).abs() > 1e3 * h * 1f64.max(g[k].abs()));
                if kink {
                    continue;
                }
                let fd = (s.value(plus) - s.value(minus)) / (2.0 * h);
                assert!(
                    (fd - g[axis]).abs() <= 1e-6 * 1f64.max(fd.abs()),
                    "{text} d/d{axis} at {p:?}: fd {fd} vs ad {}",
                    g[axis]
                );
                for k in 0..2 {
                    let fd2 = (gp[k] - gm[k]) / (2.0 * h);
                    assert!(
                        (fd2 - hess[axis][k]).abs() <= 1e-5 * 1f64.max(fd2.abs()),
                        "{text} hessian[{axis}][{k}] at {p:?}: fd {fd2} vs ad {}",
                        hess[axis][k]
                    );
                }
            }
        }
    }
}

#[test]
fn hessians_match_second_differences_of_values_alone() {
    // Independent of the automatic gradient: fxx, fyy and fxy from values
    // only, (f(x+h) − 2f(x) + f(x−h))/h² and the four-point cross stencil.
    let texts = [
        "x^2*y + 3*x*y^2 - y^3",
        "sin(x) * cos(2*y) + 0.1*x^2*y",
        "exp(0.3*x - 0.2*y) * (x^2 + 1)",
        "log(1 + x^2 + 3*y^2)",
        "sqrt(x^2 + y^2 + 1) * tanh(x - y)",
        "(x^2 + 1)^(y/2)",
        "sigmoid(2*x - y) + softplus(x*y)",
        "atan(x*y) + sinh(0.5*x) * cosh(0.3*y)",
    ];
    let h = 1e-4;
    let mut rng = Rng::new(17);
    for text in texts {
        let s = surface(text);
        let f = |x: f64, y: f64| s.value([x, y]);
        for _ in 0..40 {
            let (x, y) = (rng.uniform_in(-1.5, 1.5), rng.uniform_in(-1.5, 1.5));
            let fxx = (f(x + h, y) - 2.0 * f(x, y) + f(x - h, y)) / (h * h);
            let fyy = (f(x, y + h) - 2.0 * f(x, y) + f(x, y - h)) / (h * h);
            let fxy = (f(x + h, y + h) - f(x + h, y - h) - f(x - h, y + h) + f(x - h, y - h))
                / (4.0 * h * h);
            let ad = s.hessian([x, y]);
            let scale = 1f64
                .max(ad[0][0].abs())
                .max(ad[1][1].abs())
                .max(ad[0][1].abs());
            for (name, fd, got) in [
                ("fxx", fxx, ad[0][0]),
                ("fxy", fxy, ad[0][1]),
                ("fyx", fxy, ad[1][0]),
                ("fyy", fyy, ad[1][1]),
            ] {
                // Second differences of f64 values: ~1e-8/h² rounding, so 1e-3.
                assert!(
                    (fd - got).abs() <= 1e-3 * scale,
                    "{text} {name} at ({x}, {y}): differences {fd} vs {got}"
                );
            }
        }
    }
}

#[test]
fn constants_are_folded_and_constant_powers_specialised() {
    let ops = |text: &str| surface(text).tape().ops().to_vec();
    assert_eq!(
        ops("2*pi*x"),
        vec![Op::Constant(2.0 * std::f64::consts::PI), Op::X, Op::Mul]
    );
    assert_eq!(
        ops("sin(pi/2) + x^2"),
        vec![Op::Constant(1.0), Op::X, Op::PowInt(2), Op::Add]
    );
    assert_eq!(ops("x^1"), vec![Op::X]);
    assert_eq!(ops("(1+2)^x"), vec![Op::Constant(3.0), Op::X, Op::Pow]);
    assert_eq!(ops("y^(1/2)"), vec![Op::Y, Op::PowReal(0.5)]);
    assert_eq!(ops("-(2*3) + min(1, 2)"), vec![Op::Constant(-5.0)]);
    assert_eq!(surface("1 + 2*3").tape().as_constant(), Some(7.0));
    assert_eq!(surface("x - x").tape().as_constant(), None);
}

// ---------------------------------------------------------------------------
// Errors.

#[test]
fn malformed_inputs_report_exact_positions() {
    // (input, position in characters, part of the message or hint)
    let cases: &[(&str, usize, &str)] = &[
        ("x +", 3, "unexpected end"),
        ("(x", 0, "never closed"),
        ("x)", 1, "unexpected ')'"),
        ("(x + y))", 7, "unexpected ')'"),
        ("2***x", 3, "unexpected '*'"),
        ("foo(x)", 0, "unknown function 'foo'"),
        ("foo", 0, "unknown name 'foo'"),
        ("sin x", 4, "expected '(' after the function name 'sin'"),
        ("", 0, "empty"),
        ("   ", 0, "empty"),
        ("1e", 2, "exponent"),
        ("2exp(x)", 2, "exponent"),
        ("x ^", 3, "unexpected end"),
        (",", 0, "unexpected ','"),
        ("2x", 1, "write 2*x"),
        ("x y", 2, "write x*y"),
        ("(x+1)(x-1)", 5, "missing operator"),
        ("sin(x)cos(y)", 6, "missing operator"),
        ("sin(x", 3, "never closed"),
        ("((x)", 0, "never closed"),
        ("(x))", 3, "unexpected ')'"),
        ("x + @", 4, "unexpected character '@'"),
        ("x − ", 4, "unexpected end"),
        ("π × @", 4, "unexpected character '@'"),
        ("min(x)", 5, "two arguments"),
        ("sin(x, y)", 5, "one argument"),
        ("sin()", 4, "unexpected ')'"),
        ("X^2", 0, "write 'x'"),
        ("Sin(x)", 0, "write 'sin'"),
        ("xy", 0, "write x*y"),
        ("2 + pix", 4, "write pi*x"),
        ("x2 + 1", 0, "write x*2"),
        ("sin^2(x)", 3, "write sin(x)^2"),
        ("|x|", 0, "abs(x)"),
        ("log(x, 2)", 5, "one argument"),
        ("1e400", 0, "too large"),
        (".", 0, "not part of a number"),
        ("f(x) = x^2", 5, "only the right-hand side"),
        ("f(x)", 0, "unknown function 'f'"),
        ("x = 1", 2, "unexpected character '='"),
        ("[x]", 0, "round parentheses"),
        ("x +* y", 3, "unexpected '*'"),
        ("()", 1, "unexpected ')'"),
    ];
    for &(text, position, part) in cases {
        let error = parse_error(text);
        assert_eq!(error.position, position, "position for '{text}': {error}");
        let shown = error.to_string();
        assert!(
            shown.contains(part),
            "'{text}' gave '{shown}', expected '{part}'"
        );
        assert!(
            shown.contains(&format!("at position {position}")),
            "{shown}"
        );
    }
}

#[test]
fn error_messages_read_well_and_convert_to_crate_errors() {
    let error = parse_error("(x + y))");
    assert!(
        error
            .to_string()
            .starts_with("unexpected ')' at position 7"),
        "{error}"
    );
    let unknown = parse_error("foo(x)").to_string();
    for name in ["sin", "cos", "exp", "log", "sqrt", "tanh", "sigmoid", "max"] {
        assert!(unknown.contains(name), "'{unknown}' should list {name}");
    }
    let crate_error: trainlab::Error = parse_error("x +").into();
    assert!(
        crate_error.message().contains("at position 3"),
        "{crate_error}"
    );
}

// ---------------------------------------------------------------------------
// Limits.

#[test]
fn huge_and_deep_inputs_are_refused_at_the_limits() {
    // How fast they fail is a benchmark's business: `cargo run --release --example expr_bench`.
    let parens = "(".repeat(100_000);
    let error = parse_error(&parens);
    assert_eq!(error.position, MAX_INPUT_CHARS);
    assert!(error.message.contains("longer than"), "{error}");

    let megabyte = "x+".repeat(500_000);
    assert_eq!(megabyte.len(), 1_000_000);
    assert_eq!(parse_error(&megabyte).position, MAX_INPUT_CHARS);

    // Within the length limit but far too deep: every opener fits in 1000.
    let deep = format!("{}x{}", "(".repeat(600), ")".repeat(600));
    let error = parse_error(&deep[..MAX_INPUT_CHARS]);
    assert_eq!(error.position, MAX_DEPTH, "{error}");
    assert!(error.message.contains("nested"), "{error}");
    assert_eq!(parse_error(&"-".repeat(999)).position, MAX_DEPTH);
    let tower = vec!["2"; 400].join("^");
    assert!(parse_error(&tower).message.contains("nested"));
    let squares = format!("x{}", "²".repeat(900));
    assert!(parse_error(&squares).message.contains("parts"));
}

#[test]
fn inputs_just_inside_the_limits_work() {
    let nested = format!("{}x{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert_eq!(surface(&nested).value([1.5, 0.0]), 1.5);
    let too_deep = format!("({nested})");
    assert_eq!(parse_error(&too_deep).position, MAX_DEPTH);

    // 500 terms, 999 characters and nodes.
    let long_sum = vec!["x"; 500].join("+");
    assert_eq!(long_sum.len(), 999);
    assert_eq!(surface(&long_sum).value([0.5, 0.0]), 250.0);

    // Right-nested sums need a deep value stack (the heap path).
    let levels = 60;
    let mut text = String::from("y");
    for _ in 0..levels {
        text = format!("x+({text})");
    }
    let s = surface(&text);
    assert!(s.tape().max_stack() > 32, "stack {}", s.tape().max_stack());
    let p = [0.25, 3.0];
    assert_eq!(s.value(p), 3.0 + 0.25 * levels as f64);
    assert_eq!(s.gradient(p), [levels as f64, 1.0]);
    assert_eq!(s.hessian(p), [[0.0, 0.0], [0.0, 0.0]]);
}

// ---------------------------------------------------------------------------
// Fuzz: never a panic, positions inside the input, evaluation always safe.

const PIECES: &[&str] = &[
    "x", "y", "0", "1", "2", "3.5", ".", "e", "E", "1e-3", "2e", "pi", "π", "sin", "cos", "tan",
    "exp", "log", "ln", "sqrt", "abs", "tanh", "sigmoid", "min", "max", "pow", "relu", "s", "i",
    "n", "q", "(", "(", ")", ")", "+", "-", "*", "/", "^", "**", ",", " ", " ", "\t", "@", "#",
    "é", "−", "×", "·", "÷", "²", "³", "😀", "\u{0}", "_", "[", "=",
];

const VALID: &[&str] = &[
    "(1 - x)^2 + 100*(y - x^2)^2",
    "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    "sin(x)*exp(y) - -x^2",
    "sigmoid(x*y) + tanh(x - 2*y)",
    "log(1 + x^2) / sqrt(abs(y) + 1e-3)",
    "max(x, y)^2 + min(pow(x, 2), 3)",
    "2^-x^2 * pi − e × y²",
    "(x^2 + 1)^(y/2) + softplus(-x)",
];

fn random_text(rng: &mut Rng) -> String {
    let count = rng.below(24);
    (0..count)
        .map(|_| PIECES[rng.below(PIECES.len())])
        .collect()
}

fn mutated_valid(rng: &mut Rng) -> String {
    let mut chars: Vec<char> = VALID[rng.below(VALID.len())].chars().collect();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(chars.len() + 1);
        match rng.below(4) {
            0 if at < chars.len() => {
                chars.remove(at);
            }
            1 if at + 1 < chars.len() => chars.swap(at, at + 1),
            2 => {
                let piece = PIECES[rng.below(PIECES.len())];
                for (k, c) in piece.chars().enumerate() {
                    chars.insert(at + k, c);
                }
            }
            _ => {
                let end = (at + rng.below(6)).min(chars.len());
                let copy: Vec<char> = chars[at..end].to_vec();
                for (k, c) in copy.into_iter().enumerate() {
                    chars.insert(at + k, c);
                }
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn fuzzed_inputs_never_panic() {
    let mut rng = Rng::new(2024);
    let (mut parsed, mut rejected) = (0, 0);
    for round in 0..200_000 {
        let text = if round % 2 == 0 {
            random_text(&mut rng)
        } else {
            mutated_valid(&mut rng)
        };
        match ExprSurface::parse(&text) {
            Ok(s) => {
                parsed += 1;
                let p = [rng.uniform_in(-4.0, 4.0), rng.uniform_in(-4.0, 4.0)];
                let value = s.value(p);
                let jet = s.tape().hessian(p[0], p[1]);
                let _ = (s.gradient(p), s.hessian(p));
                // The chunked heatmap path computes the very same numbers.
                let xs = [p[0], -p[0], 0.5 * p[1]];
                let ys = [p[1], p[0], -1.0];
                let mut batch = [0.0; 3];
                s.tape().values_at(&xs, &ys, &mut batch);
                for i in 0..3 {
                    let single = s.value([xs[i], ys[i]]);
                    assert!(
                        batch[i] == single || (batch[i].is_nan() && single.is_nan()),
                        "'{text}' at ({}, {}): batch {} vs {single}",
                        xs[i],
                        ys[i],
                        batch[i]
                    );
                }
                if value.is_finite() && jet.value.is_finite() {
                    assert!(
                        close(value, jet.value, 1e-12),
                        "'{text}': {value} vs {}",
                        jet.value
                    );
                }
                // The printed form parses back to the same tree.
                let shown = s.expr().to_string();
                let again: Expr = parse_expression(&shown)
                    .unwrap_or_else(|e| panic!("'{text}' printed as '{shown}': {e}"));
                assert_eq!(&again, s.expr(), "'{text}' printed as '{shown}'");
            }
            Err(error) => {
                rejected += 1;
                assert!(
                    error.position <= text.chars().count(),
                    "'{text}': position {} past the end",
                    error.position
                );
                assert!(!error.message.is_empty());
            }
        }
    }
    println!("fuzz: {parsed} parsed, {rejected} rejected");
    // Both branches were exercised in earnest.
    assert!(
        parsed > 10_000 && rejected > 10_000,
        "{parsed} parsed, {rejected} rejected"
    );
}

// ---------------------------------------------------------------------------
// The surface.

#[test]
fn surface_reports_source_bounds_minima_and_start() {
    let s = surface("x^2 + 3*y^2");
    assert_eq!(s.source(), "x^2 + 3*y^2");
    assert_eq!(s.bounds(), DEFAULT_BOUNDS);
    assert!(s.minima().is_empty());
    let start = s.default_start();
    assert!(s.bounds().contains(start));
    assert!(
        start[0] < -1.0 && start[1] > 1.0,
        "upper-left inset, got {start:?}"
    );

    // log(x) is undefined for x < 0: the start moves to the right half.
    let log = surface("log(x) + y^2");
    assert!(log.default_start()[0] > 0.0);

    let view = Bounds {
        x_min: 1.0,
        x_max: 5.0,
        y_min: -1.0,
        y_max: 0.0,
    };
    let moved = surface("x^2 + y^2").with_bounds(view).unwrap();
    assert_eq!(moved.bounds(), view);
    assert!(view.contains(moved.default_start()));

    let objective: &dyn Objective = &moved;
    assert_eq!(objective.value([1.0, 2.0]), 5.0);
    assert_eq!(objective.gradient([1.0, 2.0]), [2.0, 4.0]);
    assert_eq!(objective.hessian([1.0, 2.0]), [[2.0, 0.0], [0.0, 2.0]]);

    let custom = surface("x").with_start([0.5, -0.5]).unwrap();
    assert_eq!(custom.default_start(), [0.5, -0.5]);
    assert!(surface("x").with_start([f64::NAN, 0.0]).is_err());
}

#[test]
fn bad_bounds_are_rejected_with_the_setting_named() {
    let b = DEFAULT_BOUNDS;
    let bad = [
        Bounds { x_min: 3.0, ..b },
        Bounds { y_max: -3.0, ..b },
        Bounds {
            x_max: f64::NAN,
            ..b
        },
        Bounds {
            y_min: f64::NEG_INFINITY,
            ..b
        },
        Bounds { x_max: 1e9, ..b },
    ];
    for bounds in bad {
        let error = surface("x").with_bounds(bounds).unwrap_err();
        assert!(error.message().starts_with("bounds:"), "{error}");
    }
}

#[test]
fn non_finite_views_are_measured_and_reported() {
    // Cell centres of an even grid: exactly half have x < 0.
    assert_eq!(
        surface("log(x)").non_finite_fraction(DEFAULT_BOUNDS, 64),
        0.5
    );
    assert_eq!(
        surface("sqrt(y)").non_finite_fraction(DEFAULT_BOUNDS, 10),
        0.5
    );
    assert_eq!(surface("1/0").non_finite_fraction(DEFAULT_BOUNDS, 8), 1.0);
    assert_eq!(
        surface("x^2 + y^2").non_finite_fraction(DEFAULT_BOUNDS, 8),
        0.0
    );
    assert_eq!(
        surface("log(x)").non_finite_fraction(DEFAULT_BOUNDS, 0),
        1.0
    ); // centre (0, 0)
       // x*y > 0 in two quadrants of four.
    assert_eq!(
        surface("log(x*y)").non_finite_fraction(DEFAULT_BOUNDS, 16),
        0.5
    );

    assert!(surface("log(x)").check_view().is_ok());
    let left = Bounds {
        x_min: -3.0,
        x_max: -1.0,
        y_min: -1.0,
        y_max: 1.0,
    };
    let error = surface("log(x)")
        .with_bounds(left)
        .unwrap()
        .check_view()
        .unwrap_err();
    let message = error.message();
    assert!(
        message.contains("not a finite number on 100% of the view"),
        "{message}"
    );
    assert!(message.contains("'log(x)'"), "{message}");
    let error = surface("1/0 + x").check_view().unwrap_err();
    assert!(error.message().contains("100%"), "{error}");
    assert!(surface("log(-x^2 - 1)").check_view().is_err());
    assert!(surface("(x^2 + y^2)^0.5").check_view().is_ok());
}

#[test]
fn grid_values_match_pointwise_values_top_row_first() {
    let s = surface("x + 10*y");
    let mut out = Vec::new();
    s.values_on_grid(4, 3, &mut out);
    assert_eq!(out.len(), 12);
    // Cell centres: x in {-2.25, -0.75, 0.75, 2.25}, y from 2 down to -2.
    assert_eq!(out[0], -2.25 + 20.0);
    assert_eq!(out[3], 2.25 + 20.0);
    assert_eq!(out[11], 2.25 - 20.0);
    for (i, v) in out.iter().enumerate() {
        let (row, column) = (i / 4, i % 4);
        let p = [-2.25 + 1.5 * column as f64, 2.0 - 2.0 * row as f64];
        assert!(close(*v, s.value(p), 1e-15));
    }
}

#[test]
fn batch_values_cover_many_chunks_and_uneven_lengths() {
    let s = surface("sin(3*x)*y^2 - max(x, y) + (x^2 + 1)^y + log(y)");
    let mut rng = Rng::new(9);
    let xs: Vec<f64> = (0..1000).map(|_| rng.uniform_in(-3.0, 3.0)).collect();
    let ys: Vec<f64> = (0..1003).map(|_| rng.uniform_in(-3.0, 3.0)).collect();
    let mut out = vec![7.0; 1010];
    s.tape().values_at(&xs, &ys, &mut out);
    for i in 0..1000 {
        let single = s.value([xs[i], ys[i]]);
        assert!(
            out[i] == single || (out[i].is_nan() && single.is_nan()),
            "point {i}"
        );
    }
    assert!(
        out[1000..].iter().all(|&v| v == 7.0),
        "only the common length is written"
    );

    let mut grid = Vec::new();
    s.values_on_grid(130, 7, &mut grid);
    assert_eq!(grid.len(), 130 * 7);
    let (dx, dy) = (6.0 / 130.0, 6.0 / 7.0);
    for (i, v) in grid.iter().enumerate() {
        let (row, column) = (i / 130, i % 130);
        let p = [
            -3.0 + (column as f64 + 0.5) * dx,
            3.0 - (row as f64 + 0.5) * dy,
        ];
        let single = s.value(p);
        assert!(*v == single || (v.is_nan() && single.is_nan()), "cell {i}");
    }
    s.values_on_grid(0, 5, &mut grid);
    assert!(grid.is_empty());
}

#[test]
fn the_batched_grid_is_the_pointwise_values() {
    // Timings of the same loops: `cargo run --release --example expr_bench`.
    let s = surface("(1 - x)^2 + 100*(y - x^2)^2");
    let n = 64;
    let mut grid = Vec::new();
    s.values_on_grid(n, n, &mut grid);
    assert_eq!(grid.len(), n * n);
    let view = s.bounds();
    for (i, &v) in grid.iter().enumerate() {
        let (row, column) = (i / n, i % n);
        let p = [
            view.x_min + (column as f64 + 0.5) * view.width() / n as f64,
            view.y_max - (row as f64 + 0.5) * view.height() / n as f64,
        ];
        assert!(
            close(v, s.value(p), 1e-12),
            "cell ({column}, {row}) at {p:?}: {v} vs {}",
            s.value(p)
        );
    }
}
