//! `new Optimizer({kind: "bfgs", lineSearch})` from JS: every documented
//! line search parses and anything else is refused by name; without a line
//! search `stepOn` walks the hand-computed path with the evaluation counts
//! the method needs; with one, it converges and reports what it spent.

use crate::bfgs_by_hand::{counts_without_line_search, path_without_line_search};
use crate::js::{get, json, message, number};
use trainlab::api::{JsOptimizer, JsSurface};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn bfgs_settings_parse_every_line_search_and_refuse_the_rest() {
    for line_search in ["strong_wolfe", "backtracking", "none"] {
        let text = format!(r#"{{"kind": "bfgs", "lineSearch": "{line_search}"}}"#);
        let mut opt = JsOptimizer::new(json(&text)).unwrap();
        assert_eq!(opt.kind(), "bfgs");
        assert!(opt.lr().is_nan(), "no learning rate for BFGS");
        assert!(opt.velocity().is_empty());
        let err = message(opt.step(&mut [0.0, 0.0], &[1.0, 1.0]));
        assert!(err.contains("stepOn"), "{err}");
    }
    assert_eq!(
        JsOptimizer::new(json(r#"{"kind": "bfgs"}"#))
            .unwrap()
            .kind(),
        "bfgs"
    );
    let cases = [
        (r#"{"kind": "bfgs", "lineSearch": "wolfe"}"#, "lineSearch"),
        (r#"{"kind": "bfgs", "lineSearch": 3}"#, "lineSearch"),
        (r#"{"kind": "bfgs", "history": 5}"#, "'history'"),
        (r#"{"kind": "bfgs", "lr": 0.1}"#, "'lr'"),
    ];
    for (text, needle) in cases {
        let err = message(JsOptimizer::new(json(text)));
        assert!(err.contains(needle), "{text}: {err}");
    }
}

#[wasm_bindgen_test]
fn bfgs_without_line_search_walks_the_hand_computed_path() {
    // The built-in bowl with κ = 4, unrotated: f = ½(x²/4 + y²).
    let surface = JsSurface::new(json(r#"{"name": "quadratic", "condition": 4}"#)).unwrap();
    let mut opt = JsOptimizer::new(json(r#"{"kind": "bfgs", "lineSearch": "none"}"#)).unwrap();
    let path = path_without_line_search([2.0, 1.0], 6);
    let mut x = [2.0, 1.0];
    for (k, want) in path.iter().enumerate().skip(1) {
        let report = opt.step_on(&surface, &mut x).unwrap();
        assert_eq!(get(&report, "status").as_string().unwrap(), "moved");
        let (values, gradients) = counts_without_line_search(k - 1);
        assert_eq!(number(&report, "evaluations"), values as f64, "step {k}");
        assert_eq!(number(&report, "gradients"), gradients as f64, "step {k}");
        assert_eq!(number(&report, "hessians"), 0.0);
        let error = (x[0] - want[0]).abs().max((x[1] - want[1]).abs());
        assert!(error < 1e-14, "step {k}: {x:?} vs {want:?}");
        assert_eq!(opt.steps(), k as f64);
    }
    // Reset forgets the curvature: the next step is the first one again.
    opt.reset();
    let mut again = [2.0, 1.0];
    let report = opt.step_on(&surface, &mut again).unwrap();
    assert_eq!(number(&report, "evaluations"), 2.0);
    assert!((again[0] - path[1][0]).abs() < 1e-15 && (again[1] - path[1][1]).abs() < 1e-15);
}

#[wasm_bindgen_test]
fn bfgs_with_a_line_search_converges_and_counts_no_hessians() {
    let surface = JsSurface::new(json(r#""rosenbrock""#)).unwrap();
    for line_search in ["strong_wolfe", "backtracking"] {
        let text = format!(r#"{{"kind": "bfgs", "lineSearch": "{line_search}"}}"#);
        let mut opt = JsOptimizer::new(json(&text)).unwrap();
        let mut x = [-1.2, 1.0];
        let (mut values, mut gradients, mut moved) = (0.0, 0.0, 0);
        let mut last = f64::INFINITY;
        for _ in 0..300 {
            let report = opt.step_on(&surface, &mut x).unwrap();
            let status = get(&report, "status").as_string().unwrap();
            values += number(&report, "evaluations");
            gradients += number(&report, "gradients");
            assert_eq!(number(&report, "hessians"), 0.0);
            if status == "converged" {
                break;
            }
            assert_eq!(status, "moved", "{line_search}");
            moved += 1;
            // Every accepted step lowers the loss (sufficient decrease).
            let loss = surface.value(x[0], x[1]);
            assert!(loss < last, "{line_search}: {loss} after {last}");
            last = loss;
        }
        assert!(
            (x[0] - 1.0).abs() < 1e-5 && (x[1] - 1.0).abs() < 1e-5,
            "{line_search}: {x:?}"
        );
        assert_eq!(opt.steps(), moved as f64);
        // At least one value and one gradient per step, and far from one
        // evaluation per trial of a naive search.
        assert!(
            values >= moved as f64 && gradients >= moved as f64,
            "{line_search}"
        );
        assert!(
            values <= 4.0 * moved as f64,
            "{line_search}: {values} values in {moved} steps"
        );
    }
}
