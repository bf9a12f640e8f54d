//! Settings objects for the trainer (filled in by its own change).
