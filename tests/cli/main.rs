//! The integration-test crate: runs the real `kstate` binary against temporary state directories.

mod concurrency;
mod errors;
mod get_describe;
mod harness;
mod replay;
mod seed;
