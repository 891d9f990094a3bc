//! kstate: a kubectl-compatible command line for a local, simulated Kubernetes cluster kept in one
//! SQLite file.
//!
//! Data flows one way: `cli` (argv → typed request) → `cmd` (one verb) → `cluster` (the API server
//! of one transaction, over `store`) → `controller` (run to a fixed point) → `print` (bytes).

pub mod api;
pub mod app;
pub mod base64;
pub mod cli;
pub mod clock;
pub mod cluster;
pub mod cmd;
pub mod controller;
pub mod error;
pub mod exec;
pub mod format;
#[cfg(test)]
mod fuzz;
pub mod ids;
pub mod kustomize;
pub mod manifest;
pub mod print;
pub mod progress;
pub mod replay;
pub mod serve;
pub mod store;
pub mod trace;

pub use error::{Error, Result};
