//! Settings objects for the augment (filled in by its own change).
