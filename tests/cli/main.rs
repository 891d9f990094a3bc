//! The integration-test crate: runs the real `kstate` binary against temporary state directories.

mod harness;
mod concurrency;
mod seed;
