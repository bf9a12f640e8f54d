//! The few plane-vector operations the methods need.

use crate::objective::Point;

pub(crate) fn dot(a: Point, b: Point) -> f64 {
    a[0] * b[0] + a[1] * b[1]
}

pub(crate) fn norm(a: Point) -> f64 {
    a[0].hypot(a[1])
}

/// a + t·b
pub(crate) fn add_scaled(a: Point, t: f64, b: Point) -> Point {
    [a[0] + t * b[0], a[1] + t * b[1]]
}

pub(crate) fn sub(a: Point, b: Point) -> Point {
    [a[0] - b[0], a[1] - b[1]]
}

pub(crate) fn scale(t: f64, a: Point) -> Point {
    [t * a[0], t * a[1]]
}

pub(crate) fn is_finite(a: Point) -> bool {
    a[0].is_finite() && a[1].is_finite()
}
