//! Typed-in loss functions: "your own loss function".
//!
//! A student types f(x, y); it is lexed, parsed into a tree ([`Expr`], by
//! [`parse_expression`]), compiled into a flat postfix [`Tape`] with constant
//! folding, and evaluated either as plain `f64` values, as [`Dual`] numbers
//! (value and gradient) or as [`Jet`]s (value, gradient and Hessian). The
//! derivatives come from forward-mode automatic differentiation, so they
//! are exact up to rounding, not finite differences. [`ExprSurface`] wraps
//! it all as an [`Objective`](crate::objective::Objective).
//!
//! What can be typed:
//! - numbers: `3`, `0.5`, `.5`, `2.`, `1e-3`, `6.02E23`;
//! - variables `x`, `y`; constants `pi` (or `π`) and `e`;
//! - `+ - * / ^`, with `^` right-associative (`2^3^2` = 2^9) and binding
//!   tighter than unary minus (`-x^2` = −(x²)); `**` means `^`, and `²`,
//!   `³` after an operand square or cube it;
//! - parentheses, and the functions `sin cos tan asin acos atan sinh cosh
//!   tanh exp log ln log10 log2 sqrt abs sigmoid softplus relu` (`log` and
//!   `ln` are both natural) and `min(a, b)`, `max(a, b)`, `pow(a, b)`;
//! - pasted typography: `−` and `–` for minus, `×`, `·`, `⋅`, `∗` for times,
//!   `÷` for divide; any whitespace.
//!
//! Implicit multiplication (`2x`, `x y`, `(x+1)(x-1)`) is rejected with a
//! hint to write the `*`: `2e` would otherwise be ambiguous with `2e3`.
//!
//! Limits, all reported as a [`ParseError`]: at most [`MAX_INPUT_CHARS`]
//! characters, [`MAX_DEPTH`] levels of nesting (parentheses, calls, signs,
//! exponents) and [`MAX_NODES`] tree nodes, so no input can hang or
//! overflow the stack.

pub mod ast;
mod batch;
mod derivatives;
mod error;
mod lexer;
pub mod number;
mod parser;
mod surface;
pub mod tape;

pub use ast::Expr;
pub use error::ParseError;
pub use number::{Dual, Jet, Scalar};
pub use parser::parse_expression;
pub use surface::{ExprSurface, DEFAULT_BOUNDS, MAX_NON_FINITE_FRACTION, MAX_VIEW_EXTENT};
pub use tape::Tape;

/// Longest accepted input, in characters.
pub const MAX_INPUT_CHARS: usize = 1000;

/// Deepest accepted nesting of parentheses, calls, signs and exponents.
pub const MAX_DEPTH: usize = 64;

/// Most nodes an expression tree may have.
pub const MAX_NODES: usize = 1000;
