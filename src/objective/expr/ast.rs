//! The expression tree a parse produces, and the names it knows.

use std::fmt;

/// One of the two variables of the plane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variable {
    /// The horizontal coordinate.
    X,
    /// The vertical coordinate.
    Y,
}

/// A named mathematical constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Constant {
    /// π = 3.14159…, typed `pi` or `π`.
    Pi,
    /// Euler's number e = 2.71828…, typed `e`.
    E,
}

impl Constant {
    /// The constant's value.
    pub fn value(self) -> f64 {
        match self {
            Constant::Pi => std::f64::consts::PI,
            Constant::E => std::f64::consts::E,
        }
    }
}

/// A binary operator written between its operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `a + b`
    Add,
    /// `a - b`
    Sub,
    /// `a * b`
    Mul,
    /// `a / b`
    Div,
    /// `^` (also `**`, and the function `pow(a, b)`).
    Pow,
}

/// A function of one argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    /// The sine.
    Sin,
    /// The cosine.
    Cos,
    /// The tangent.
    Tan,
    /// The arcsine.
    Asin,
    /// The arccosine.
    Acos,
    /// The arctangent.
    Atan,
    /// The hyperbolic sine.
    Sinh,
    /// The hyperbolic cosine.
    Cosh,
    /// The hyperbolic tangent.
    Tanh,
    /// The exponential e^u.
    Exp,
    /// The natural logarithm (typed `log` or `ln`).
    Ln,
    /// The base-10 logarithm.
    Log10,
    /// The base-2 logarithm.
    Log2,
    /// The square root.
    Sqrt,
    /// The absolute value.
    Abs,
    /// The logistic function 1 / (1 + e^−u).
    Sigmoid,
    /// log(1 + e^u), a smooth ReLU.
    Softplus,
    /// max(u, 0).
    Relu,
}

/// A function of two arguments that picks one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selector {
    /// `min(a, b)`: the smaller argument.
    Min,
    /// `max(a, b)`: the larger argument.
    Max,
}

/// Names of one-argument functions as typed, with aliases.
pub const FUNCTION_NAMES: &[(&str, Function)] = &[
    ("sin", Function::Sin),
    ("cos", Function::Cos),
    ("tan", Function::Tan),
    ("asin", Function::Asin),
    ("acos", Function::Acos),
    ("atan", Function::Atan),
    ("sinh", Function::Sinh),
    ("cosh", Function::Cosh),
    ("tanh", Function::Tanh),
    ("exp", Function::Exp),
    ("log", Function::Ln),
    ("ln", Function::Ln),
    ("log10", Function::Log10),
    ("log2", Function::Log2),
    ("sqrt", Function::Sqrt),
    ("abs", Function::Abs),
    ("sigmoid", Function::Sigmoid),
    ("softplus", Function::Softplus),
    ("relu", Function::Relu),
];

/// Names of the two-argument functions: min, max and pow.
pub const TWO_ARGUMENT_NAMES: &[&str] = &["min", "max", "pow"];

impl Function {
    /// The function's name in printed expressions.
    pub fn name(self) -> &'static str {
        FUNCTION_NAMES
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(name, _)| *name)
            .unwrap_or("?")
    }

    /// The function called `name`, if any.
    pub fn from_name(name: &str) -> Option<Function> {
        FUNCTION_NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }
}

/// A parsed expression in x and y.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A literal number (never negative: `-2` is a negation).
    Number(f64),
    /// x or y.
    Variable(Variable),
    /// pi or e.
    Constant(Constant),
    /// Unary minus.
    Negate(Box<Expr>),
    /// An operator with its left and right operands.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// A one-argument function applied to its argument.
    Call(Function, Box<Expr>),
    /// min or max of two arguments.
    Select(Selector, Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Number of nodes of the tree.
    pub fn node_count(&self) -> usize {
        match self {
            Expr::Number(_) | Expr::Variable(_) | Expr::Constant(_) => 1,
            Expr::Negate(a) | Expr::Call(_, a) => 1 + a.node_count(),
            Expr::Binary(_, a, b) | Expr::Select(_, a, b) => 1 + a.node_count() + b.node_count(),
        }
    }

    /// Binding strength when printed: higher binds tighter.
    fn precedence(&self) -> u8 {
        match self {
            Expr::Binary(BinaryOp::Add | BinaryOp::Sub, _, _) => 1,
            Expr::Binary(BinaryOp::Mul | BinaryOp::Div, _, _) => 2,
            Expr::Negate(_) => 3,
            Expr::Binary(BinaryOp::Pow, _, _) => 4,
            _ => 5,
        }
    }
}

fn write_grouped(f: &mut fmt::Formatter<'_>, expr: &Expr, parenthesize: bool) -> fmt::Result {
    if parenthesize {
        write!(f, "({expr})")
    } else {
        write!(f, "{expr}")
    }
}

/// Prints with the fewest parentheses that parse back to the same tree,
/// except that a power inside a negation is shown as `-(x^2)` to make the
/// precedence visible to students.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Whole numbers without ".0"; others in Rust's shortest
            // round-trip form, which switches to 1e-7 style when long.
            Expr::Number(v) if v.fract() == 0.0 && v.abs() < 1e15 => write!(f, "{v}"),
            Expr::Number(v) => write!(f, "{v:?}"),
            Expr::Variable(Variable::X) => f.write_str("x"),
            Expr::Variable(Variable::Y) => f.write_str("y"),
            Expr::Constant(Constant::Pi) => f.write_str("pi"),
            Expr::Constant(Constant::E) => f.write_str("e"),
            Expr::Negate(a) => {
                f.write_str("-")?;
                write_grouped(f, a, a.precedence() <= 4)
            }
            Expr::Binary(op, a, b) => {
                let own = self.precedence();
                let symbol = match op {
                    BinaryOp::Add => " + ",
                    BinaryOp::Sub => " - ",
                    BinaryOp::Mul => "*",
                    BinaryOp::Div => "/",
                    BinaryOp::Pow => "^",
                };
                // Powers group to the right, everything else to the left.
                let (left_parens, right_parens) = if *op == BinaryOp::Pow {
                    (a.precedence() <= own, b.precedence() < own)
                } else {
                    (a.precedence() < own, b.precedence() <= own)
                };
                write_grouped(f, a, left_parens)?;
                f.write_str(symbol)?;
                write_grouped(f, b, right_parens)
            }
            Expr::Call(function, a) => write!(f, "{}({a})", function.name()),
            Expr::Select(selector, a, b) => {
                let name = match selector {
                    Selector::Min => "min",
                    Selector::Max => "max",
                };
                write!(f, "{name}({a}, {b})")
            }
        }
    }
}
