//! Second-order methods: Newton and L-BFGS with a line search.
