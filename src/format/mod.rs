//! printf-style formatting, one implementation for the container's `printf` (C's rules, as GNU
//! coreutils and dash apply them) and go-template's `printf` (Go's `fmt`).
//!
//! A conversion becomes a [`Field`]: sign and prefix, zeros, digits, more zeros, exponent.
//! Zeros and padding stay counts until they are written to a bounded [`Sink`], so `%.70000f`
//! or `%2147483647s` never allocate their width, and stop as soon as the sink is full.

pub mod c;
mod cnum;
mod field;
mod float;
pub mod go;
mod int;
mod sink;
mod spec;
#[cfg(test)]
mod tests;

pub use sink::{Capped, Full, Sink};
