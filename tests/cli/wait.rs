//! `kstate wait`: conditions hold at once (the cluster has converged) or time out at once.

use crate::harness::{seed_manifest, Cluster};

#[test]
fn wait_reports_met_conditions_and_times_out_on_the_rest() {
    let c = Cluster::new();
    let f = c.file("statefulset.yaml", seed_manifest());
    c.ok(&["create", "-f", &f]);
    assert_eq!(c.ok(&["wait", "--for=condition=Ready", "pod/web-0"]), "pod/web-0 condition met\n");
    assert_eq!(
        c.ok(&["wait", "--for=condition=Ready", "pod", "-l", "app=nginx", "--timeout=60s"]),
        "pod/web-0 condition met\npod/web-1 condition met\n"
    );
    assert_eq!(
        c.ok(&["wait", "--for=jsonpath={.status.readyReplicas}=2", "sts/web"]),
        "statefulset.apps/web condition met\n"
    );
    let stuck = c.run(&["wait", "--for=condition=Ready", "sts/web"]);
    assert_eq!(
        (stuck.stderr.as_str(), stuck.code),
        ("error: timed out waiting for the condition on statefulsets/web\n", 1)
    );
    c.ok(&["delete", "sts", "web"]);
    assert_eq!(c.ok(&["wait", "--for=delete", "pod/web-0"]), "");
    let none = c.run(&["wait", "--for=condition=Ready", "pod", "-l", "app=nginx"]);
    assert_eq!((none.stderr.as_str(), none.code), ("error: no matching resources found\n", 1));
}
