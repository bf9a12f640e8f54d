//! Second-order methods: Newton and L-BFGS with a line search.
//!
//! First-order methods see only the slope; these also use curvature.
//! Newton's method jumps to the stationary point of the local quadratic
//! model (see [`model`]), which is why plain Newton is drawn to saddles;
//! damped Newton modifies an indefinite Hessian and searches along the
//! result. L-BFGS builds a curvature estimate from the last m steps and
//! gradient changes, without ever forming a Hessian.
//!
//! [`SecondOrderSolver`] runs one iteration per call, for the animated race,
//! and counts the value, gradient and Hessian evaluations each one spends.

pub mod bfgs;
mod counts;
pub mod lbfgs;
pub mod line_search;
pub mod model;
mod newton;
pub mod quasi_newton;
mod settings;
mod solver;
mod vec2;

pub use bfgs::BfgsMatrix;
pub use counts::StepCounts;
pub use lbfgs::{CurvaturePair, LbfgsMemory, CURVATURE_EPSILON};
pub use line_search::{AcceptedStep, LineFunction, WolfeConstants};
pub use model::{symmetric_eigen, Curvature, QuadraticModel, SymmetricEigen};
pub use newton::{
    newton_direction, NewtonDirection, EIGENVALUE_FLOOR_ABSOLUTE, EIGENVALUE_FLOOR_RELATIVE,
};
pub use settings::{
    Damping, LineSearchKind, SecondOrderSettings, DEFAULT_HISTORY, MAX_HISTORY,
    MAX_LEVENBERG_LAMBDA,
};
pub use solver::{SecondOrderSolver, StepReport, StepStatus, DEFAULT_GRADIENT_TOLERANCE};
