//! Learning-rate schedules as pure functions of the step (filled in by its own change).
