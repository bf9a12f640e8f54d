//! The expression tree flattened into a postfix tape, evaluated with a
//! small value stack: one tight loop per point, no allocation, no pointer
//! chasing, the same code for values, gradients and Hessians.
//!
//! Compiling folds every subtree without x and y into one constant and turns
//! powers with a constant exponent into `PowInt`/`PowReal`, whose derivatives
//! need no logarithm (so `(-2)^2` style bases keep exact derivatives).

use super::ast::{BinaryOp, Expr, Function, Selector, Variable};
use super::derivatives;
use super::number::{Dual, Jet, Scalar};

/// Value-stack sizes kept on the machine stack when evaluating one point;
/// deeper tapes (rare, heavily right-nested input) use a heap buffer.
const SMALL_STACK: usize = 8;
const INLINE_STACK: usize = 32;

/// Largest integer exponent evaluated by repeated multiplication.
const MAX_INTEGER_EXPONENT: f64 = 64.0;

/// One instruction of the tape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    /// Push a constant.
    Constant(f64),
    /// Push x.
    X,
    /// Push y.
    Y,
    /// Replace the top two values a, b by a + b.
    Add,
    /// … by a − b.
    Sub,
    /// … by a · b.
    Mul,
    /// … by a / b.
    Div,
    /// Negate the top value.
    Negate,
    /// a^b with both operands varying.
    Pow,
    /// a^n for a constant integer n.
    PowInt(i32),
    /// a^c for a constant non-integer c.
    PowReal(f64),
    /// A one-argument function of the top of the stack.
    Call(Function),
    /// Replace the top two values by the smaller one.
    Min,
    /// Replace the top two values by the larger one.
    Max,
}

/// A compiled expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Tape {
    ops: Vec<Op>,
    max_stack: usize,
}

impl Tape {
    /// Flattens `expr`, folding constant subtrees.
    pub fn compile(expr: &Expr) -> Tape {
        let mut ops = Vec::new();
        emit(expr, &mut ops);
        let mut depth: usize = 0;
        let mut max_stack = 0;
        for op in &ops {
            match op {
                Op::Constant(_) | Op::X | Op::Y => depth += 1,
                Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Pow | Op::Min | Op::Max => depth -= 1,
                Op::Negate | Op::PowInt(_) | Op::PowReal(_) | Op::Call(_) => {}
            }
            max_stack = max_stack.max(depth);
        }
        Tape { ops, max_stack }
    }

    /// The instructions, in execution order.
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// Deepest the value stack gets.
    pub fn max_stack(&self) -> usize {
        self.max_stack
    }

    /// The constant the whole expression folded to, if it has no x or y.
    pub fn as_constant(&self) -> Option<f64> {
        match self.ops.as_slice() {
            [Op::Constant(c)] => Some(*c),
            _ => None,
        }
    }

    /// f(x, y) in any [`Scalar`] type: `f64` for values, [`Dual`] for
    /// gradients, [`Jet`] for Hessians.
    pub fn evaluate<N: Scalar>(&self, x: f64, y: f64) -> N {
        // A stack sized to the tape: clearing it is part of every call.
        if self.max_stack <= SMALL_STACK {
            self.run(&mut [N::constant(0.0); SMALL_STACK], x, y)
        } else if self.max_stack <= INLINE_STACK {
            self.run(&mut [N::constant(0.0); INLINE_STACK], x, y)
        } else {
            self.run(&mut vec![N::constant(0.0); self.max_stack], x, y)
        }
    }

    /// f(x, y).
    pub fn value(&self, x: f64, y: f64) -> f64 {
        self.evaluate::<f64>(x, y)
    }

    /// f and its gradient at (x, y).
    pub fn gradient(&self, x: f64, y: f64) -> Dual {
        self.evaluate::<Dual>(x, y)
    }

    /// f, its gradient and its Hessian at (x, y).
    pub fn hessian(&self, x: f64, y: f64) -> Jet {
        self.evaluate::<Jet>(x, y)
    }

    /// Runs the tape; `stack` holds at least `max_stack` values, which
    /// compilation guarantees is enough, and the tape leaves one value.
    fn run<N: Scalar>(&self, stack: &mut [N], x: f64, y: f64) -> N {
        let mut top = 0;
        for op in &self.ops {
            match *op {
                Op::Constant(c) => {
                    stack[top] = N::constant(c);
                    top += 1;
                }
                Op::X => {
                    stack[top] = N::x(x);
                    top += 1;
                }
                Op::Y => {
                    stack[top] = N::y(y);
                    top += 1;
                }
                Op::Negate => stack[top - 1] = -stack[top - 1],
                Op::PowInt(n) => stack[top - 1] = pow_int(stack[top - 1], n),
                Op::PowReal(c) => stack[top - 1] = pow_real(stack[top - 1], c),
                Op::Call(function) => stack[top - 1] = call(function, stack[top - 1]),
                binary => {
                    top -= 1;
                    let (a, b) = (stack[top - 1], stack[top]);
                    stack[top - 1] = match binary {
                        Op::Add => a + b,
                        Op::Sub => a - b,
                        Op::Mul => a * b,
                        Op::Div => a / b,
                        Op::Pow => pow(a, b),
                        Op::Min => select(Selector::Min, a, b),
                        _ => select(Selector::Max, a, b),
                    };
                }
            }
        }
        stack[0]
    }
}

/// Appends the postfix code of `expr`, folding constants as it goes.
///
/// Folding relies on postfix code of a non-leaf always ending in an
/// operator: a subtree is constant exactly when its code is one `Constant`.
fn emit(expr: &Expr, ops: &mut Vec<Op>) {
    let start = ops.len();
    match expr {
        Expr::Number(value) => ops.push(Op::Constant(*value)),
        Expr::Constant(constant) => ops.push(Op::Constant(constant.value())),
        Expr::Variable(Variable::X) => ops.push(Op::X),
        Expr::Variable(Variable::Y) => ops.push(Op::Y),
        Expr::Negate(a) => {
            emit(a, ops);
            match constant_between(ops, start, ops.len()) {
                Some(c) => replace_with_constant(ops, start, -c),
                None => ops.push(Op::Negate),
            }
        }
        Expr::Call(function, a) => {
            emit(a, ops);
            match constant_between(ops, start, ops.len()) {
                Some(c) => replace_with_constant(ops, start, call(*function, c)),
                None => ops.push(Op::Call(*function)),
            }
        }
        Expr::Binary(op, a, b) => {
            emit(a, ops);
            let middle = ops.len();
            emit(b, ops);
            let left = constant_between(ops, start, middle);
            let right = constant_between(ops, middle, ops.len());
            match (left, right, op) {
                (Some(a), Some(b), _) => replace_with_constant(ops, start, binary(*op, a, b)),
                (None, Some(exponent), BinaryOp::Pow) => {
                    ops.truncate(middle);
                    emit_constant_power(exponent, ops);
                }
                _ => ops.push(match op {
                    BinaryOp::Add => Op::Add,
                    BinaryOp::Sub => Op::Sub,
                    BinaryOp::Mul => Op::Mul,
                    BinaryOp::Div => Op::Div,
                    BinaryOp::Pow => Op::Pow,
                }),
            }
        }
        Expr::Select(selector, a, b) => {
            emit(a, ops);
            let middle = ops.len();
            emit(b, ops);
            let left = constant_between(ops, start, middle);
            let right = constant_between(ops, middle, ops.len());
            match (left, right) {
                (Some(a), Some(b)) => replace_with_constant(ops, start, select(*selector, a, b)),
                _ => ops.push(match selector {
                    Selector::Min => Op::Min,
                    Selector::Max => Op::Max,
                }),
            }
        }
    }
}

/// The constant that `ops[start..end]` consists of, if it is exactly one.
fn constant_between(ops: &[Op], start: usize, end: usize) -> Option<f64> {
    match ops.get(start..end) {
        Some([Op::Constant(c)]) => Some(*c),
        _ => None,
    }
}

fn replace_with_constant(ops: &mut Vec<Op>, start: usize, value: f64) {
    ops.truncate(start);
    ops.push(Op::Constant(value));
}

/// Raising to a constant: x^1 is x itself, small integers multiply.
fn emit_constant_power(exponent: f64, ops: &mut Vec<Op>) {
    if exponent == 1.0 {
        return;
    }
    if exponent.fract() == 0.0 && exponent.abs() <= MAX_INTEGER_EXPONENT {
        ops.push(Op::PowInt(exponent as i32));
    } else {
        ops.push(Op::PowReal(exponent));
    }
}

fn binary(op: BinaryOp, a: f64, b: f64) -> f64 {
    match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        BinaryOp::Div => a / b,
        BinaryOp::Pow => a.powf(b),
    }
}

fn call<N: Scalar>(function: Function, u: N) -> N {
    if N::ORDER == 0 {
        N::constant(derivatives::value(function, u.value()))
    } else {
        let (f, first, second) = derivatives::with_derivatives(function, u.value());
        u.chain(f, first, second)
    }
}

/// The operand with the smaller (larger) value, derivatives and all; ties
/// and NaN pick the first argument.
fn select<N: Scalar>(selector: Selector, a: N, b: N) -> N {
    let take_second = match selector {
        Selector::Min => b.value() < a.value(),
        Selector::Max => b.value() > a.value(),
    };
    if take_second {
        b
    } else {
        a
    }
}

/// u^n: d/du = n u^(n−1), d²/du² = n (n−1) u^(n−2), with the vanishing
/// terms of n = 0 and n = 1 written as exact zeros (no 0·∞ at u = 0).
fn pow_int<N: Scalar>(u: N, n: i32) -> N {
    let a = u.value();
    if n == 2 {
        // The common square, without the general power loop.
        return if N::ORDER == 0 {
            N::constant(a * a)
        } else {
            u.chain(a * a, 2.0 * a, 2.0)
        };
    }
    let f = a.powi(n);
    if N::ORDER == 0 {
        return N::constant(f);
    }
    let first = if n == 0 {
        0.0
    } else {
        f64::from(n) * a.powi(n - 1)
    };
    let second = if n == 0 || n == 1 {
        0.0
    } else {
        f64::from(n) * f64::from(n - 1) * a.powi(n - 2)
    };
    u.chain(f, first, second)
}

/// u^c for a constant real c.
fn pow_real<N: Scalar>(u: N, c: f64) -> N {
    let a = u.value();
    let f = a.powf(c);
    if N::ORDER == 0 {
        return N::constant(f);
    }
    u.chain(f, c * a.powf(c - 1.0), c * (c - 1.0) * a.powf(c - 2.0))
}

/// a^b with both varying: exp(b ln a), defined for a > 0.
fn pow<N: Scalar>(a: N, b: N) -> N {
    let f = a.value().powf(b.value());
    if N::ORDER == 0 {
        return N::constant(f);
    }
    let base = a.value();
    let log_base = a.chain(base.ln(), 1.0 / base, -1.0 / (base * base));
    // exp is its own first and second derivative; use powf's value for it.
    (b * log_base).chain(f, f, f)
}
