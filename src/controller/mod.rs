//! Controllers, run to a fixed point after every change.
