//! Line searches along a descent direction: the strong Wolfe search of
//! Nocedal & Wright (Algorithms 3.5 and 3.6) and Armijo backtracking.
//!
//! Both work on a one-dimensional [`LineFunction`] φ(α) = f(x + α p), so they
//! can be tested on plain 1-D functions. Neither can loop forever: every
//! search stops after [`MAX_LINE_SEARCH_EVALUATIONS`] evaluations of φ.

/// At most this many φ evaluations per search (the bracketing phase and zoom
/// share the budget).
pub const MAX_LINE_SEARCH_EVALUATIONS: u32 = 40;

/// The sufficient-decrease constant c₁ of the Armijo condition.
pub const DEFAULT_C1: f64 = 1e-4;

/// The curvature constant c₂ of the strong Wolfe condition (the usual
/// choice for quasi-Newton methods).
pub const DEFAULT_C2: f64 = 0.9;

/// The bracketing phase never tries steps longer than this.
pub const DEFAULT_MAX_STEP: f64 = 1e8;

/// A function of the step length α along a ray.
pub trait LineFunction {
    /// φ(α).
    fn value(&mut self, alpha: f64) -> f64;
    /// φ′(α). The searches only ask for it right after `value(alpha)` at the
    /// same α, so an implementation may share work between the two.
    fn slope(&mut self, alpha: f64) -> f64;
}

/// The constants of the Wolfe conditions, with 0 < c₁ < c₂ < 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WolfeConstants {
    /// Sufficient decrease: φ(α) ≤ φ(0) + c₁ α φ′(0).
    pub c1: f64,
    /// Strong curvature: |φ′(α)| ≤ c₂ |φ′(0)|.
    pub c2: f64,
    /// The longest step the bracketing phase may try.
    pub max_step: f64,
}

impl Default for WolfeConstants {
    fn default() -> Self {
        WolfeConstants {
            c1: DEFAULT_C1,
            c2: DEFAULT_C2,
            max_step: DEFAULT_MAX_STEP,
        }
    }
}

/// A step a search accepted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AcceptedStep {
    /// The step length α.
    pub alpha: f64,
    /// φ(α).
    pub value: f64,
    /// φ′(α), when the search evaluated it (always, for a strong Wolfe step).
    pub slope: Option<f64>,
    /// Whether both strong Wolfe conditions hold at α (otherwise only
    /// sufficient decrease is guaranteed).
    pub strong_wolfe: bool,
    /// How many times φ was evaluated.
    pub evaluations: u32,
}

/// Finds a step satisfying the strong Wolfe conditions (N&W Algorithm 3.5,
/// with zoom from Algorithm 3.6 and safeguarded cubic/quadratic
/// interpolation).
///
/// `value0` and `slope0` are φ(0) and φ′(0) (which must be negative);
/// `initial` is the first trial step. If the budget runs out, the best step
/// found with sufficient decrease is returned with `strong_wolfe: false`;
/// `None` means no step with sufficient decrease was found (or the inputs
/// were unusable), and the caller should not move.
pub fn strong_wolfe(
    phi: &mut dyn LineFunction,
    value0: f64,
    slope0: f64,
    initial: f64,
    constants: WolfeConstants,
) -> Option<AcceptedStep> {
    let WolfeConstants { c1, c2, max_step } = constants;
    if !(value0.is_finite() && slope0 < 0.0 && initial > 0.0 && initial.is_finite()) {
        return None;
    }
    let sufficient =
        |alpha: f64, value: f64| value.is_finite() && value <= value0 + c1 * alpha * slope0;
    let flat_enough = |slope: f64| slope.abs() <= -c2 * slope0;
    let mut evaluations = 0u32;
    // The previous trial (α₀ = 0 at first) and its value and slope.
    let mut previous = Sample {
        alpha: 0.0,
        value: value0,
        slope: Some(slope0),
    };
    let mut alpha = initial.min(max_step);
    let mut first = true;
    while evaluations < MAX_LINE_SEARCH_EVALUATIONS {
        let value = phi.value(alpha);
        evaluations += 1;
        if !sufficient(alpha, value) || (!first && value >= previous.value) {
            let high = Sample {
                alpha,
                value,
                slope: None,
            };
            return zoom(phi, previous, high, value0, slope0, constants, evaluations);
        }
        let slope = phi.slope(alpha);
        if !slope.is_finite() {
            // A finite value with a broken slope: treat the point as too far.
            let high = Sample {
                alpha,
                value,
                slope: None,
            };
            return zoom(phi, previous, high, value0, slope0, constants, evaluations);
        }
        let current = Sample {
            alpha,
            value,
            slope: Some(slope),
        };
        if flat_enough(slope) {
            return Some(current.accept(true, evaluations));
        }
        if slope >= 0.0 {
            return zoom(
                phi,
                current,
                previous,
                value0,
                slope0,
                constants,
                evaluations,
            );
        }
        if alpha >= max_step {
            // Still descending at the longest allowed step: take it.
            return Some(current.accept(false, evaluations));
        }
        previous = current;
        alpha = (2.0 * alpha).min(max_step);
        first = false;
    }
    // The budget ran out while still bracketing: `previous` has sufficient
    // decrease unless it is α = 0.
    (previous.alpha > 0.0).then(|| previous.accept(false, evaluations))
}

/// One evaluated trial step.
#[derive(Clone, Copy, Debug)]
struct Sample {
    alpha: f64,
    value: f64,
    slope: Option<f64>,
}

impl Sample {
    fn accept(self, strong_wolfe: bool, evaluations: u32) -> AcceptedStep {
        AcceptedStep {
            alpha: self.alpha,
            value: self.value,
            slope: self.slope,
            strong_wolfe,
            evaluations,
        }
    }
}

/// N&W Algorithm 3.6: `low` satisfies sufficient decrease and has the lowest
/// value seen; the interval between `low` and `high` contains strong Wolfe
/// steps. Shrinks it until one is found.
fn zoom(
    phi: &mut dyn LineFunction,
    mut low: Sample,
    mut high: Sample,
    value0: f64,
    slope0: f64,
    constants: WolfeConstants,
    mut evaluations: u32,
) -> Option<AcceptedStep> {
    let WolfeConstants { c1, c2, .. } = constants;
    while evaluations < MAX_LINE_SEARCH_EVALUATIONS {
        let width = (high.alpha - low.alpha).abs();
        if width <= f64::EPSILON * low.alpha.abs().max(high.alpha.abs()) {
            break;
        }
        let alpha = interpolate(low, high);
        let value = phi.value(alpha);
        evaluations += 1;
        if !value.is_finite() || value > value0 + c1 * alpha * slope0 || value >= low.value {
            high = Sample {
                alpha,
                value,
                slope: None,
            };
            continue;
        }
        let slope = phi.slope(alpha);
        if !slope.is_finite() {
            high = Sample {
                alpha,
                value,
                slope: None,
            };
            continue;
        }
        let trial = Sample {
            alpha,
            value,
            slope: Some(slope),
        };
        if slope.abs() <= -c2 * slope0 {
            return Some(trial.accept(true, evaluations));
        }
        if slope * (high.alpha - low.alpha) >= 0.0 {
            high = low;
        }
        low = trial;
    }
    (low.alpha > 0.0).then(|| low.accept(false, evaluations))
}

/// A trial step strictly inside the interval: the minimizer of the cubic
/// through both ends (when both slopes are known) or of the quadratic
/// through φ(low), φ′(low) and φ(high), kept at least a tenth of the width
/// away from either end; bisection when the fit is unusable.
fn interpolate(low: Sample, high: Sample) -> f64 {
    let (a, b) = (low.alpha, high.alpha);
    let width = b - a;
    let low_slope = low.slope.unwrap_or(0.0);
    let fitted = match high.slope {
        Some(high_slope) => cubic_minimizer(a, low.value, low_slope, b, high.value, high_slope),
        None => quadratic_minimizer(a, low.value, low_slope, b, high.value),
    };
    let margin = 0.1 * width.abs();
    let (left, right) = (a.min(b), a.max(b));
    match fitted {
        Some(t) if t.is_finite() && t >= left + margin && t <= right - margin => t,
        _ => 0.5 * (a + b),
    }
}

/// Minimizer of the cubic matching values and slopes at a and b (N&W 3.59).
fn cubic_minimizer(a: f64, fa: f64, da: f64, b: f64, fb: f64, db: f64) -> Option<f64> {
    let d1 = da + db - 3.0 * (fa - fb) / (a - b);
    let discriminant = d1 * d1 - da * db;
    if discriminant.is_nan() || discriminant < 0.0 || !fb.is_finite() {
        return None;
    }
    let d2 = (b - a).signum() * discriminant.sqrt();
    let denominator = db - da + 2.0 * d2;
    if denominator == 0.0 {
        return None;
    }
    Some(b - (b - a) * (db + d2 - d1) / denominator)
}

/// Minimizer of the parabola with value fa and slope da at a and value fb at b.
fn quadratic_minimizer(a: f64, fa: f64, da: f64, b: f64, fb: f64) -> Option<f64> {
    let h = b - a;
    let curvature = fb - fa - da * h;
    if !fb.is_finite() || curvature <= 0.0 {
        return None;
    }
    Some(a - da * h * h / (2.0 * curvature))
}

/// Armijo backtracking from α = `initial`: shrinks α (by a safeguarded
/// quadratic fit, between 0.1α and 0.5α) until φ(α) ≤ φ(0) + c₁ α φ′(0).
/// Never evaluates φ′. `None` if the budget runs out first.
pub fn backtracking(
    phi: &mut dyn LineFunction,
    value0: f64,
    slope0: f64,
    initial: f64,
    c1: f64,
) -> Option<AcceptedStep> {
    if !(value0.is_finite() && slope0 < 0.0 && initial > 0.0 && initial.is_finite()) {
        return None;
    }
    let mut alpha = initial;
    for evaluations in 1..=MAX_LINE_SEARCH_EVALUATIONS {
        let value = phi.value(alpha);
        if value.is_finite() && value <= value0 + c1 * alpha * slope0 {
            return Some(AcceptedStep {
                alpha,
                value,
                slope: None,
                strong_wolfe: false,
                evaluations,
            });
        }
        let fitted = quadratic_minimizer(0.0, value0, slope0, alpha, value);
        alpha = match fitted {
            Some(t) if t.is_finite() => t.clamp(0.1 * alpha, 0.5 * alpha),
            _ => 0.5 * alpha,
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{cubic_minimizer, quadratic_minimizer};

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    #[test]
    fn the_cubic_fit_finds_a_cubics_and_a_parabolas_minimizer_from_either_end() {
        // φ(t) = t³ − 3t: φ′ = 3t² − 3, local minimum at t = 1.
        let phi = |t: f64| t * t * t - 3.0 * t;
        let slope = |t: f64| 3.0 * t * t - 3.0;
        assert!(close(
            cubic_minimizer(0.0, phi(0.0), slope(0.0), 2.0, phi(2.0), slope(2.0)),
            1.0
        ));
        assert!(close(
            cubic_minimizer(2.0, phi(2.0), slope(2.0), 0.0, phi(0.0), slope(0.0)),
            1.0
        ));
        assert!(close(
            cubic_minimizer(0.5, phi(0.5), slope(0.5), 1.5, phi(1.5), slope(1.5)),
            1.0
        ));
        // A parabola is a cubic too: (t − 0.3)², from 0 and 1.
        let q = |t: f64| (t - 0.3) * (t - 0.3);
        let dq = |t: f64| 2.0 * (t - 0.3);
        assert!(close(
            cubic_minimizer(0.0, q(0.0), dq(0.0), 1.0, q(1.0), dq(1.0)),
            0.3
        ));
        // No real minimizer, or an unusable value: none.
        assert_eq!(cubic_minimizer(0.0, 0.0, -1.0, 1.0, f64::NAN, 1.0), None);
    }

    #[test]
    fn the_quadratic_fit_uses_two_values_and_one_slope() {
        // (t − 0.3)²: φ(0) = 0.09, φ′(0) = −0.6, φ(1) = 0.49.
        assert!(close(quadratic_minimizer(0.0, 0.09, -0.6, 1.0, 0.49), 0.3));
        // Scaled and from the other side: 2(t − 1.5)², a = 2, b = 0.
        let q = |t: f64| 2.0 * (t - 1.5) * (t - 1.5);
        assert!(close(
            quadratic_minimizer(2.0, q(2.0), 4.0 * 0.5, 0.0, q(0.0)),
            1.5
        ));
        // A value that is not finite or a fit that is not convex: none.
        assert_eq!(
            quadratic_minimizer(0.0, 0.09, -0.6, 1.0, f64::INFINITY),
            None
        );
        assert_eq!(quadratic_minimizer(0.0, 0.0, -1.0, 1.0, -2.0), None);
    }
}
