//! The integration-test crate: runs the real `kstate` binary against temporary state directories.

mod apply;
mod concurrency;
mod config;
mod environment;
mod errors;
mod get_describe;
mod harness;
mod inside;
mod network;
mod node_ops;
mod patch;
mod processes;
mod profiles;
mod replay;
mod replay_docs;
mod replay_kubectl;
mod rollout;
mod run_logs_cp;
mod scenarios;
mod scheduling;
mod seed;
mod selectors;
mod statefulset;
mod surface;
mod wait;
mod watch;
