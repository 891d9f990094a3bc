//! `kstate tree KIND/NAME`: the ownership tree, with claims and volumes under their pods.

use crate::harness::{assert_text, seed_manifest, Cluster};

#[test]
fn statefulset_tree_shows_revisions_pods_claims_and_volumes() {
    let mut c = Cluster::new();
    let web = c.file("web.yaml", seed_manifest());
    c.ok(&["create", "-f", &web]);
    c.at("2026-11-27T09:05:00Z");
    let volumes: Vec<String> = c
        .ok(&["get", "pvc", "-o", "jsonpath={range .items[*]}{.spec.volumeName}{\"\\n\"}{end}"])
        .lines()
        .map(String::from)
        .collect();
    let revision = c
        .ok(&["get", "controllerrevisions", "-o", "name"])
        .trim()
        .trim_start_matches("controllerrevision.apps/")
        .to_string();
    let want = format!(
        "NAMESPACE   NAME                                            READY   REASON   STATUS    AGE
default     StatefulSet/web                                 -                          5m
default     ├─ControllerRevision/{revision}             -                          5m
default     ├─Pod/web-0                                     True             Running   5m
default     │ └─PersistentVolumeClaim/disk-ssd-web-0        -                Bound     5m
            │   └─PersistentVolume/{}   -                Bound     5m
default     └─Pod/web-1                                     True             Running   5m
default       └─PersistentVolumeClaim/disk-ssd-web-1        -                Bound     5m
                └─PersistentVolume/{}   -                Bound     5m
",
        volumes[0], volumes[1]
    );
    assert_text(&c.ok(&["tree", "statefulset/web"]), &want);
    let missing = c.run(&["tree", "sts/nope"]);
    assert_eq!(
        (missing.stderr.as_str(), missing.code),
        ("Error from server (NotFound): statefulsets.apps \"nope\" not found\n", 1)
    );
}
