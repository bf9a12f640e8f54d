//! Typed-in loss functions: parser and forward-mode automatic differentiation (filled in by its own change).
