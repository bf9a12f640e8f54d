//! One iteration per call, for the animated race: [`SecondOrderSolver`].

use crate::error::{check_positive, Error, Result};
use crate::objective::{Objective, Point};

use super::bfgs::BfgsMatrix;
use super::counts::{Counted, StepCounts};
use super::lbfgs::LbfgsMemory;
use super::line_search::{
    backtracking, strong_wolfe, AcceptedStep, LineFunction, WolfeConstants, DEFAULT_C1,
};
use super::newton::newton_direction;
use super::quasi_newton::CurvatureMemory;
use super::settings::{Damping, LineSearchKind, SecondOrderSettings};
use super::vec2::{add_scaled, dot, is_finite, norm, scale, sub};

/// A step with ‖∇f(x)‖ at or below this does nothing and reports
/// [`StepStatus::Converged`] (see [`SecondOrderSolver::set_gradient_tolerance`]).
pub const DEFAULT_GRADIENT_TOLERANCE: f64 = 1e-8;

/// What a call of [`SecondOrderSolver::step`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepStatus {
    /// x moved to a new point.
    Moved,
    /// ‖∇f(x)‖ ≤ tolerance: x is left as it is.
    Converged,
    /// No acceptable step length was found within the evaluation budget:
    /// x is left as it is. L-BFGS drops its pairs first, so the next call
    /// retries from steepest descent; if that fails too, it stays here.
    LineSearchFailed,
    /// The (plain or Levenberg-shifted) Hessian is singular, so the Newton
    /// step is undefined: x is left as it is.
    SingularHessian,
    /// The surface's value, gradient or Hessian is not finite at x, or at
    /// the point an unsafeguarded step would move to: x is left as it is.
    NotFinite,
}

impl StepStatus {
    /// A short machine name for the UI.
    pub fn name(&self) -> &'static str {
        match self {
            StepStatus::Moved => "moved",
            StepStatus::Converged => "converged",
            StepStatus::LineSearchFailed => "line_search_failed",
            StepStatus::SingularHessian => "singular_hessian",
            StepStatus::NotFinite => "not_finite",
        }
    }
}

/// Everything one iteration did, for the race's read-outs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepReport {
    /// What happened.
    pub status: StepStatus,
    /// Evaluations this call spent.
    pub counts: StepCounts,
    /// ‖∇f‖ at the point the step started from (NaN if it was not finite).
    pub gradient_norm: f64,
    /// The search direction p (zero when none was computed).
    pub direction: Point,
    /// The step length α taken along p (0 unless the status is `Moved`).
    pub step_length: f64,
    /// Damped Newton: the Hessian was not safely positive definite and was
    /// modified (or shifted by λI) before solving.
    pub hessian_modified: bool,
    /// L-BFGS: the new (s, y) pair failed the curvature check and was dropped.
    pub pair_skipped: bool,
    /// L-BFGS with the strong Wolfe search: the accepted step satisfies both
    /// conditions (false when the search fell back to a sufficient-decrease
    /// step at the end of its budget, or another search was used).
    pub strong_wolfe: bool,
}

impl StepReport {
    fn new(status: StepStatus, gradient_norm: f64) -> Self {
        StepReport {
            status,
            counts: StepCounts::default(),
            gradient_norm,
            direction: [0.0, 0.0],
            step_length: 0.0,
            hessian_modified: false,
            pair_skipped: false,
            strong_wolfe: false,
        }
    }
}

/// What the solver already knows about the point it left x at.
#[derive(Clone, Copy, Debug)]
struct Known {
    point: Point,
    value: Option<f64>,
    gradient: Option<Point>,
    /// A final report for this point: stepping again would repeat it.
    final_report: Option<StepReport>,
}

/// Newton or L-BFGS, stepped one iteration at a time on any [`Objective`].
///
/// The solver remembers where it left x. If the caller moves x in between
/// (a new start point), the next step starts afresh there: L-BFGS forgets
/// its pairs, and nothing cached is reused. Totals are kept until
/// [`SecondOrderSolver::reset`]. What it caches is keyed by the point only,
/// so call `reset` when the surface changes under an unchanged x.
#[derive(Clone, Debug)]
pub struct SecondOrderSolver {
    settings: SecondOrderSettings,
    gradient_tolerance: f64,
    memory: LbfgsMemory,
    bfgs: BfgsMatrix,
    known: Option<Known>,
    iterations: u64,
    totals: StepCounts,
}

impl SecondOrderSolver {
    /// A solver with validated settings and the default gradient tolerance.
    pub fn new(settings: SecondOrderSettings) -> Result<Self> {
        settings.validate()?;
        let history = match settings {
            SecondOrderSettings::Lbfgs { history, .. } => history,
            SecondOrderSettings::Newton { .. } | SecondOrderSettings::Bfgs { .. } => 1,
        };
        Ok(SecondOrderSolver {
            settings,
            gradient_tolerance: DEFAULT_GRADIENT_TOLERANCE,
            memory: LbfgsMemory::new(history),
            bfgs: BfgsMatrix::new(),
            known: None,
            iterations: 0,
            totals: StepCounts::default(),
        })
    }

    /// The settings it was made with.
    pub fn settings(&self) -> &SecondOrderSettings {
        &self.settings
    }

    /// The ‖∇f‖ at or below which a step reports convergence.
    pub fn gradient_tolerance(&self) -> f64 {
        self.gradient_tolerance
    }

    /// Changes the convergence tolerance on ‖∇f‖ (positive and finite).
    pub fn set_gradient_tolerance(&mut self, tolerance: f64) -> Result<()> {
        check_positive("gradient tolerance", tolerance)?;
        self.gradient_tolerance = tolerance;
        Ok(())
    }

    /// Forgets everything: pairs, cached evaluations, totals and skip counts.
    pub fn reset(&mut self) {
        self.memory.reset();
        self.bfgs.reset();
        self.known = None;
        self.iterations = 0;
        self.totals = StepCounts::default();
    }

    /// Steps that moved x since creation or the last reset.
    pub fn iterations(&self) -> u64 {
        self.iterations
    }

    /// All evaluations spent since creation or the last reset.
    pub fn total_counts(&self) -> StepCounts {
        self.totals
    }

    /// L-BFGS or BFGS pairs rejected by the curvature check since the last reset.
    pub fn skipped_pairs(&self) -> u64 {
        self.memory.skipped() + self.bfgs.skipped()
    }

    /// The L-BFGS memory (unused, and empty, for Newton and BFGS).
    pub fn memory(&self) -> &LbfgsMemory {
        &self.memory
    }

    /// One iteration from `x`, moving it in place. Only a non-finite `x` is
    /// an error; everything else is reported in [`StepReport::status`].
    pub fn step(&mut self, objective: &dyn Objective, x: &mut Point) -> Result<StepReport> {
        if !is_finite(*x) {
            return Err(Error::new(format!(
                "the start point must be finite, got ({}, {})",
                x[0], x[1]
            )));
        }
        let mut known = match self.known {
            Some(k) if k.point == *x => k,
            _ => {
                self.memory.clear_pairs();
                self.bfgs.clear_pairs();
                Known {
                    point: *x,
                    value: None,
                    gradient: None,
                    final_report: None,
                }
            }
        };
        if let Some(report) = known.final_report {
            // Deterministic: the same call would fail the same way again.
            return Ok(StepReport {
                counts: StepCounts::default(),
                ..report
            });
        }
        let f = Counted::new(objective);
        let (mut report, may_retry) = match self.settings {
            SecondOrderSettings::Newton { damping } => {
                let report = newton_step(&f, &mut known, damping, self.gradient_tolerance);
                (report, false)
            }
            SecondOrderSettings::Lbfgs { line_search, .. } => quasi_newton_step(
                &f,
                &mut known,
                &mut self.memory,
                line_search,
                self.gradient_tolerance,
            ),
            SecondOrderSettings::Bfgs { line_search } => quasi_newton_step(
                &f,
                &mut known,
                &mut self.bfgs,
                line_search,
                self.gradient_tolerance,
            ),
        };
        report.counts = f.counts();
        self.totals += report.counts;
        if report.status == StepStatus::Moved {
            self.iterations += 1;
            *x = known.point;
        } else if !may_retry {
            known.final_report = Some(report);
        }
        self.known = Some(known);
        Ok(report)
    }
}

/// f(x), from the cache when the last step already evaluated it.
fn value_at(f: &Counted, known: &mut Known) -> f64 {
    *known.value.get_or_insert_with(|| f.value(known.point))
}

/// ∇f(x), from the cache when the last step already evaluated it.
fn gradient_at(f: &Counted, known: &mut Known) -> Point {
    *known
        .gradient
        .get_or_insert_with(|| f.gradient(known.point))
}

/// Moves the cached point to `point`, with whatever is known there.
fn move_to(known: &mut Known, point: Point, value: Option<f64>, gradient: Option<Point>) {
    *known = Known {
        point,
        value,
        gradient,
        final_report: None,
    };
}

fn newton_step(f: &Counted, known: &mut Known, damping: Damping, tolerance: f64) -> StepReport {
    let x = known.point;
    let g = gradient_at(f, known);
    if !is_finite(g) {
        return StepReport::new(StepStatus::NotFinite, f64::NAN);
    }
    let gradient_norm = norm(g);
    if gradient_norm <= tolerance {
        return StepReport::new(StepStatus::Converged, gradient_norm);
    }
    let h = f.hessian(x);
    if !is_finite(h[0]) || !is_finite(h[1]) {
        return StepReport::new(StepStatus::NotFinite, gradient_norm);
    }
    let Some(newton) = newton_direction(&h, g, damping) else {
        return StepReport::new(StepStatus::SingularHessian, gradient_norm);
    };
    let mut report = StepReport::new(StepStatus::Moved, gradient_norm);
    report.direction = newton.direction;
    report.hessian_modified = newton.modified;
    let p = newton.direction;
    if damping != Damping::LineSearch {
        let next = add_scaled(x, 1.0, p);
        if !is_finite(next) || next == x {
            report.status = StepStatus::NotFinite;
            return report;
        }
        report.step_length = 1.0;
        move_to(known, next, None, None);
        return report;
    }
    let value = value_at(f, known);
    if !value.is_finite() {
        report.status = StepStatus::NotFinite;
        return report;
    }
    let mut ray = Ray::new(f, x, p);
    match backtracking(&mut ray, value, dot(g, p), 1.0, DEFAULT_C1) {
        Some(accepted) if add_scaled(x, accepted.alpha, p) != x => {
            report.step_length = accepted.alpha;
            move_to(
                known,
                add_scaled(x, accepted.alpha, p),
                Some(accepted.value),
                None,
            );
        }
        _ => report.status = StepStatus::LineSearchFailed,
    }
    report
}

/// One L-BFGS or BFGS iteration: direction from the curvature memory, a
/// line search along it, then the new (s, y) pair offered to the memory.
fn quasi_newton_step(
    f: &Counted,
    known: &mut Known,
    memory: &mut dyn CurvatureMemory,
    kind: LineSearchKind,
    tolerance: f64,
) -> (StepReport, bool) {
    let x = known.point;
    let g = gradient_at(f, known);
    if !is_finite(g) {
        return (StepReport::new(StepStatus::NotFinite, f64::NAN), false);
    }
    let gradient_norm = norm(g);
    if gradient_norm <= tolerance {
        return (StepReport::new(StepStatus::Converged, gradient_norm), false);
    }
    let value = value_at(f, known);
    if !value.is_finite() {
        return (StepReport::new(StepStatus::NotFinite, gradient_norm), false);
    }
    let mut p = scale(-1.0, memory.apply_inverse_hessian(g));
    let mut slope0 = dot(g, p);
    if !(slope0 < 0.0 && slope0.is_finite()) {
        // Cannot happen with positive pairs short of rounding; restart.
        memory.clear_pairs();
        p = scale(-1.0, g);
        slope0 = -gradient_norm * gradient_norm;
    }
    // Without pairs the direction has no scale: make the first trial step
    // of length at most 1 (as N&W and SciPy do).
    let initial = if memory.is_empty() {
        (1.0 / gradient_norm).min(1.0)
    } else {
        1.0
    };
    let mut report = StepReport::new(StepStatus::Moved, gradient_norm);
    report.direction = p;
    let mut ray = Ray::new(f, x, p);
    let accepted = match kind {
        LineSearchKind::StrongWolfe => {
            strong_wolfe(&mut ray, value, slope0, initial, WolfeConstants::default())
        }
        LineSearchKind::Backtracking => backtracking(&mut ray, value, slope0, initial, DEFAULT_C1),
        LineSearchKind::None => {
            let trial = ray.value(initial);
            if !trial.is_finite() {
                report.status = StepStatus::NotFinite;
                return (report, false);
            }
            Some(AcceptedStep {
                alpha: initial,
                value: trial,
                slope: None,
                strong_wolfe: false,
                evaluations: 1,
            })
        }
    };
    let next = accepted.map(|a| (a, add_scaled(x, a.alpha, p)));
    let Some((accepted, next)) = next.filter(|(_, next)| *next != x) else {
        report.status = StepStatus::LineSearchFailed;
        // With pairs, the next call retries from steepest descent (stale
        // pairs may be the problem); without, there is nothing left to try.
        let retry = !memory.is_empty();
        memory.clear_pairs();
        return (report, retry);
    };
    let g_next = match ray.gradient_at(accepted.alpha) {
        Some(g_next) => g_next,
        None => f.gradient(next),
    };
    if !is_finite(g_next) {
        report.status = StepStatus::NotFinite;
        return (report, false);
    }
    report.step_length = accepted.alpha;
    report.strong_wolfe = accepted.strong_wolfe;
    report.pair_skipped = !memory.offer(sub(next, x), sub(g_next, g));
    move_to(known, next, Some(accepted.value), Some(g_next));
    (report, false)
}

/// φ(α) = f(x + α p), remembering the last gradient it evaluated.
struct Ray<'a, 'b> {
    f: &'a Counted<'b>,
    origin: Point,
    direction: Point,
    last_gradient: Option<(f64, Point)>,
}

impl<'a, 'b> Ray<'a, 'b> {
    fn new(f: &'a Counted<'b>, origin: Point, direction: Point) -> Self {
        Ray {
            f,
            origin,
            direction,
            last_gradient: None,
        }
    }

    /// ∇f(x + α p) if it was the last gradient evaluated along the ray.
    fn gradient_at(&self, alpha: f64) -> Option<Point> {
        self.last_gradient
            .filter(|(a, _)| *a == alpha)
            .map(|(_, g)| g)
    }
}

impl LineFunction for Ray<'_, '_> {
    fn value(&mut self, alpha: f64) -> f64 {
        self.f.value(add_scaled(self.origin, alpha, self.direction))
    }

    fn slope(&mut self, alpha: f64) -> f64 {
        let g = self
            .f
            .gradient(add_scaled(self.origin, alpha, self.direction));
        self.last_gradient = Some((alpha, g));
        dot(g, self.direction)
    }
}
