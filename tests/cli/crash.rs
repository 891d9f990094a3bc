//! kill -9 in the middle of mutating commands: every command commits whole or not at all, so the
//! cluster a killed command leaves is the one before it or the one after it, and consistent.
//! CI kills a few commands; `KSTATE_CRASH_ROUNDS=200` runs the campaign in docs/hardening.md.

use std::process::Stdio;
use std::time::Duration;

use crate::harness::{seed_manifest, Cluster};

fn rounds() -> u64 {
    std::env::var("KSTATE_CRASH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(6)
}

/// The StatefulSet's pods are exactly web-0..web-(replicas-1), all Running, and the files
/// written before the kills are intact.
fn assert_consistent(c: &Cluster) {
    let replicas: usize = c.ok(&["get", "sts", "web", "-o", "jsonpath={.spec.replicas}"]).parse().expect("replicas");
    let pods = c.ok(&["get", "pods", "-o", "name"]);
    let want: String = (0..replicas).map(|i| format!("pod/web-{i}\n")).collect();
    assert_eq!(pods, want);
    let phases = c.ok(&["get", "pods", "-o", "jsonpath={.items[*].status.phase}"]);
    assert!(phases.split_whitespace().all(|p| p == "Running"), "{phases}");
    assert_eq!(c.ok(&["exec", "web-0", "--", "cat", "/data/mark"]), "kept\n");
}

#[test]
fn killed_writers_leave_a_consistent_cluster() {
    let c = Cluster::new();
    let f = c.file("sts.yaml", seed_manifest());
    c.ok(&["create", "-f", &f]);
    c.ok(&["exec", "web-0", "--", "sh", "-c", "echo kept > /data/mark"]);
    for round in 0..rounds() {
        let replicas = format!("--replicas={}", 1 + round % 5);
        let args: Vec<&str> = match round % 3 {
            0 => vec!["scale", "sts", "web", &replicas],
            1 => vec!["exec", "web-0", "--", "sh", "-c", "head -c 3000000 /dev/zero > /data/big"],
            _ => vec!["delete", "pod", "web-1", "--ignore-not-found"],
        };
        let mut child = c.command(&args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
        // A different moment of the command each round: before, during and after its commit.
        std::thread::sleep(Duration::from_millis(round * 7 % 60));
        let _ = child.kill();
        let _ = child.wait();
        assert_consistent(&c);
    }
}
