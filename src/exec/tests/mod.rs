//! Tests of the simulated container.
