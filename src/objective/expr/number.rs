//! Number types for forward-mode automatic differentiation in two variables.
//!
//! A [`Dual`] carries a value and its gradient; a [`Jet`] carries a value,
//! its gradient and its Hessian (a second-order Taylor jet). Every
//! arithmetic operation applies the exact chain, product and quotient rules
//! to these coefficients, so derivatives are exact up to floating-point
//! rounding: no step size, no truncation error. Plain `f64` is the
//! value-only member of the family.

use std::ops::{Add, Div, Mul, Neg, Sub};

/// Arithmetic the compiled tape needs from a number type.
pub trait Scalar:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// Highest derivative order carried (0, 1 or 2); lets the evaluator skip
    /// computing derivatives nobody reads.
    const ORDER: u8;

    /// A constant: all derivatives zero.
    fn constant(value: f64) -> Self;

    /// The variable x at `value`: gradient (1, 0).
    fn x(value: f64) -> Self;

    /// The variable y at `value`: gradient (0, 1).
    fn y(value: f64) -> Self;

    /// The value, without derivatives.
    fn value(&self) -> f64;

    /// f(self), given f, f' and f'' at `self.value()` (chain rule).
    fn chain(self, f: f64, first: f64, second: f64) -> Self;

    /// The value replaced, derivatives kept.
    fn with_value(self, value: f64) -> Self;
}

impl Scalar for f64 {
    const ORDER: u8 = 0;

    fn constant(value: f64) -> Self {
        value
    }

    fn x(value: f64) -> Self {
        value
    }

    fn y(value: f64) -> Self {
        value
    }

    fn value(&self) -> f64 {
        *self
    }

    fn chain(self, f: f64, _first: f64, _second: f64) -> Self {
        f
    }

    fn with_value(self, value: f64) -> Self {
        value
    }
}

/// A value with its gradient (first-order forward mode).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dual {
    /// f
    pub value: f64,
    /// (∂f/∂x, ∂f/∂y)
    pub gradient: [f64; 2],
}

impl Scalar for Dual {
    const ORDER: u8 = 1;

    fn constant(value: f64) -> Self {
        Dual {
            value,
            gradient: [0.0, 0.0],
        }
    }

    fn x(value: f64) -> Self {
        Dual {
            value,
            gradient: [1.0, 0.0],
        }
    }

    fn y(value: f64) -> Self {
        Dual {
            value,
            gradient: [0.0, 1.0],
        }
    }

    fn value(&self) -> f64 {
        self.value
    }

    fn chain(self, f: f64, first: f64, _second: f64) -> Self {
        Dual {
            value: f,
            gradient: [first * self.gradient[0], first * self.gradient[1]],
        }
    }

    fn with_value(self, value: f64) -> Self {
        Dual { value, ..self }
    }
}

impl Add for Dual {
    type Output = Dual;
    fn add(self, other: Dual) -> Dual {
        Dual {
            value: self.value + other.value,
            gradient: [
                self.gradient[0] + other.gradient[0],
                self.gradient[1] + other.gradient[1],
            ],
        }
    }
}

impl Sub for Dual {
    type Output = Dual;
    fn sub(self, other: Dual) -> Dual {
        Dual {
            value: self.value - other.value,
            gradient: [
                self.gradient[0] - other.gradient[0],
                self.gradient[1] - other.gradient[1],
            ],
        }
    }
}

impl Mul for Dual {
    type Output = Dual;
    fn mul(self, other: Dual) -> Dual {
        Dual {
            value: self.value * other.value,
            gradient: [
                self.gradient[0] * other.value + self.value * other.gradient[0],
                self.gradient[1] * other.value + self.value * other.gradient[1],
            ],
        }
    }
}

impl Div for Dual {
    type Output = Dual;
    /// Quotient rule: q = a/b, q' = (a' − q b') / b.
    fn div(self, other: Dual) -> Dual {
        let q = self.value / other.value;
        Dual {
            value: q,
            gradient: [
                (self.gradient[0] - q * other.gradient[0]) / other.value,
                (self.gradient[1] - q * other.gradient[1]) / other.value,
            ],
        }
    }
}

impl Neg for Dual {
    type Output = Dual;
    fn neg(self) -> Dual {
        Dual {
            value: -self.value,
            gradient: [-self.gradient[0], -self.gradient[1]],
        }
    }
}

/// A value with its gradient and Hessian (second-order forward mode).
///
/// The Hessian is stored as its three distinct entries (xx, xy, yy).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Jet {
    /// f
    pub value: f64,
    /// (∂f/∂x, ∂f/∂y)
    pub gradient: [f64; 2],
    /// (∂²f/∂x², ∂²f/∂x∂y, ∂²f/∂y²)
    pub hessian: [f64; 3],
}

impl Jet {
    /// The Hessian as a full symmetric matrix.
    pub fn hessian_matrix(&self) -> [[f64; 2]; 2] {
        let [xx, xy, yy] = self.hessian;
        [[xx, xy], [xy, yy]]
    }
}

/// The symmetric product a⊗b + b⊗a of two gradients, as (xx, xy, yy).
fn symmetric_outer(a: [f64; 2], b: [f64; 2]) -> [f64; 3] {
    [
        2.0 * a[0] * b[0],
        a[0] * b[1] + a[1] * b[0],
        2.0 * a[1] * b[1],
    ]
}

impl Scalar for Jet {
    const ORDER: u8 = 2;

    fn constant(value: f64) -> Self {
        Jet {
            value,
            gradient: [0.0; 2],
            hessian: [0.0; 3],
        }
    }

    fn x(value: f64) -> Self {
        Jet {
            value,
            gradient: [1.0, 0.0],
            hessian: [0.0; 3],
        }
    }

    fn y(value: f64) -> Self {
        Jet {
            value,
            gradient: [0.0, 1.0],
            hessian: [0.0; 3],
        }
    }

    fn value(&self) -> f64 {
        self.value
    }

    /// (f∘u)'' = f'(u) u'' + f''(u) u'⊗u'.
    fn chain(self, f: f64, first: f64, second: f64) -> Self {
        let [gx, gy] = self.gradient;
        let [hxx, hxy, hyy] = self.hessian;
        Jet {
            value: f,
            gradient: [first * gx, first * gy],
            hessian: [
                first * hxx + second * gx * gx,
                first * hxy + second * gx * gy,
                first * hyy + second * gy * gy,
            ],
        }
    }

    fn with_value(self, value: f64) -> Self {
        Jet { value, ..self }
    }
}

impl Add for Jet {
    type Output = Jet;
    fn add(self, o: Jet) -> Jet {
        Jet {
            value: self.value + o.value,
            gradient: [
                self.gradient[0] + o.gradient[0],
                self.gradient[1] + o.gradient[1],
            ],
            hessian: [
                self.hessian[0] + o.hessian[0],
                self.hessian[1] + o.hessian[1],
                self.hessian[2] + o.hessian[2],
            ],
        }
    }
}

impl Sub for Jet {
    type Output = Jet;
    fn sub(self, o: Jet) -> Jet {
        Jet {
            value: self.value - o.value,
            gradient: [
                self.gradient[0] - o.gradient[0],
                self.gradient[1] - o.gradient[1],
            ],
            hessian: [
                self.hessian[0] - o.hessian[0],
                self.hessian[1] - o.hessian[1],
                self.hessian[2] - o.hessian[2],
            ],
        }
    }
}

impl Mul for Jet {
    type Output = Jet;
    /// (ab)'' = a'' b + a b'' + a'⊗b' + b'⊗a'.
    fn mul(self, o: Jet) -> Jet {
        let (a, b) = (self.value, o.value);
        let cross = symmetric_outer(self.gradient, o.gradient);
        Jet {
            value: a * b,
            gradient: [
                self.gradient[0] * b + a * o.gradient[0],
                self.gradient[1] * b + a * o.gradient[1],
            ],
            hessian: [
                self.hessian[0] * b + a * o.hessian[0] + cross[0],
                self.hessian[1] * b + a * o.hessian[1] + cross[1],
                self.hessian[2] * b + a * o.hessian[2] + cross[2],
            ],
        }
    }
}

impl Div for Jet {
    type Output = Jet;
    /// From a = q b: q' = (a' − q b') / b and
    /// q'' = (a'' − q b'' − q'⊗b' − b'⊗q') / b.
    fn div(self, o: Jet) -> Jet {
        let b = o.value;
        let q = self.value / b;
        let gradient = [
            (self.gradient[0] - q * o.gradient[0]) / b,
            (self.gradient[1] - q * o.gradient[1]) / b,
        ];
        let cross = symmetric_outer(gradient, o.gradient);
        Jet {
            value: q,
            gradient,
            hessian: [
                (self.hessian[0] - q * o.hessian[0] - cross[0]) / b,
                (self.hessian[1] - q * o.hessian[1] - cross[1]) / b,
                (self.hessian[2] - q * o.hessian[2] - cross[2]) / b,
            ],
        }
    }
}

impl Neg for Jet {
    type Output = Jet;
    fn neg(self) -> Jet {
        Jet {
            value: -self.value,
            gradient: [-self.gradient[0], -self.gradient[1]],
            hessian: [-self.hessian[0], -self.hessian[1], -self.hessian[2]],
        }
    }
}
