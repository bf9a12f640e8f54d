//! Each built-in surface typed as an expression: the automatic derivatives
//! of the expression must agree with the hand-written value, gradient and
//! Hessian of the built-in to 1e-12 (relative, floored at 1).

use trainlab::objective::expr::ExprSurface;
use trainlab::objective::{Objective, Surface};
use trainlab::rng::Rng;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

fn assert_agree(name: &str, builtin: &Surface, typed: &ExprSurface) {
    let view = builtin.bounds();
    let mut rng = Rng::new(11);
    for _ in 0..300 {
        let p = [
            rng.uniform_in(view.x_min, view.x_max),
            rng.uniform_in(view.y_min, view.y_max),
        ];
        let (v1, v2) = (builtin.value(p), typed.value(p));
        assert!(close(v1, v2), "{name} value at {p:?}: {v1} vs {v2}");
        let (g1, g2) = (builtin.gradient(p), typed.gradient(p));
        for i in 0..2 {
            assert!(
                close(g1[i], g2[i]),
                "{name} gradient at {p:?}: {g1:?} vs {g2:?}"
            );
        }
        let (h1, h2) = (builtin.hessian(p), typed.hessian(p));
        for i in 0..2 {
            for j in 0..2 {
                assert!(
                    close(h1[i][j], h2[i][j]),
                    "{name} Hessian at {p:?}: {h1:?} vs {h2:?}"
                );
            }
        }
    }
}

#[test]
fn typed_built_ins_agree_with_their_hand_written_derivatives() {
    let formulas = [
        ("rosenbrock", "(1 - x)^2 + 100*(y - x^2)^2"),
        (
            "beale",
            "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
        ),
        ("himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"),
        ("saddle", "x^2 - y^2"),
        ("monkey", "x^3 - 3*x*y^2 + 0.75*(x^2 + y^2)^2"),
        (
            "bumpy",
            "0.1*(x^2 + y^2) + 0.35*(2 - cos(pi*x) - cos(pi*y))",
        ),
        (
            "plateau",
            "0.5*(1 - tanh(x/0.4)) + 0.01*((x - 1.5)^2 + y^2)",
        ),
    ];
    for (name, formula) in formulas {
        let builtin = Surface::from_name(name).unwrap();
        let typed = ExprSurface::parse(formula).unwrap();
        assert_agree(name, &builtin, &typed);
    }
}

#[test]
fn the_rotated_quadratic_typed_from_its_hessian_agrees() {
    for (condition, rotation) in [(1.0, 0.0), (20.0, 30.0), (1000.0, -75.0)] {
        let builtin = Surface::quadratic(condition, rotation).unwrap();
        let [[a, b], [_, c]] = builtin.hessian([0.0, 0.0]);
        // `{:?}` prints the shortest text that reads back as the same f64.
        let formula = format!("0.5*(({a:?})*x^2 + 2*({b:?})*x*y + ({c:?})*y^2)");
        let typed = ExprSurface::parse(&formula).unwrap();
        assert_agree(&formula, &builtin, &typed);
    }
}
