//! The seed walkthrough: every command, each a separate process, with the seed's manifest as
//! written; then the whole transcript byte for byte against the golden file.

use crate::harness::{assert_text, bin, seed_manifest, Cluster};

fn is_disk_id(s: &str) -> bool {
    s.len() == 22 && s.starts_with("d-") && s[2..].bytes().all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
}

/// Rows of a table as vectors of cells (split on runs of spaces), header dropped.
fn rows(table: &str) -> Vec<Vec<String>> {
    table.lines().skip(1).map(|l| l.split_whitespace().map(String::from).collect()).collect()
}

fn pvc_volume(c: &Cluster, name: &str) -> String {
    c.ok(&["get", "pvc", name, "-o", "jsonpath={.spec.volumeName}"])
}

#[test]
fn seed_walkthrough_behaves_like_the_document() {
    let mut c = Cluster::new();
    let manifest = c.file("statefulset.yaml", seed_manifest());
    let created = c.run(&["create", "-f", &manifest]);
    assert_eq!(created.code, 0, "{created:?}");
    assert_eq!(created.stdout, "service/nginx created\nstatefulset.apps/web created\n");
    assert_eq!(
        created.stderr,
        "Warning: apps/v1beta2 StatefulSet is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 StatefulSet\n"
    );

    c.at("2026-11-27T09:21:00Z");
    let pods = rows(&c.ok(&["get", "pod"]));
    assert_eq!(pods.len(), 2);
    for (i, row) in pods.iter().enumerate() {
        assert_eq!(row[..4], [format!("web-{i}"), "1/1".into(), "Running".into(), "0".into()]);
    }
    let pvcs = rows(&c.ok(&["get", "pvc"]));
    assert_eq!(pvcs.len(), 2);
    for (i, row) in pvcs.iter().enumerate() {
        assert_eq!(row[0], format!("disk-ssd-web-{i}"));
        assert_eq!(row[1], "Bound");
        assert!(is_disk_id(&row[2]), "{row:?}");
        assert_eq!(row[3..6], ["20Gi", "RWO", "alicloud-disk-ssd"]);
    }

    assert_eq!(c.ok(&["scale", "sts", "web", "--replicas=3"]), "statefulset.apps/web scaled\n");
    let pods = rows(&c.ok(&["get", "pod"]));
    assert_eq!(pods.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["web-0", "web-1", "web-2"]);
    assert!(pods.iter().all(|r| r[1] == "1/1" && r[2] == "Running"));
    let disk2 = pvc_volume(&c, "disk-ssd-web-2");
    assert!(is_disk_id(&disk2));
    assert_ne!(disk2, pvc_volume(&c, "disk-ssd-web-0"));

    assert_eq!(c.ok(&["scale", "sts/web", "--replicas=2"]), "statefulset.apps/web scaled\n");
    let pods = rows(&c.ok(&["get", "pod"]));
    assert_eq!(pods.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["web-0", "web-1"]);
    assert_eq!(c.ok(&["get", "pvc", "disk-ssd-web-2", "-o", "jsonpath={.status.phase}"]), "Bound");

    c.ok(&["scale", "sts", "web", "--replicas=3"]);
    assert_eq!(pvc_volume(&c, "disk-ssd-web-2"), disk2, "scaling up again reuses the claim and its disk");
    assert_eq!(rows(&c.ok(&["get", "pod"])).len(), 3);

    let described = c.ok(&["describe", "pod", "web-1"]);
    let claim_lines: Vec<&str> = described.lines().filter(|l| l.contains("ClaimName")).collect();
    assert_eq!(claim_lines, ["    ClaimName:  disk-ssd-web-1"]);

    let uid_before = c.ok(&["get", "pod", "web-1", "-o", "jsonpath={.metadata.uid}"]);
    assert_eq!(c.ok(&["delete", "pod", "web-1"]), "pod \"web-1\" deleted\n");
    let uid_after = c.ok(&["get", "pod", "web-1", "-o", "jsonpath={.metadata.uid}"]);
    assert_ne!(uid_before, uid_after, "web-1 comes back as a new pod");
    assert!(c.ok(&["describe", "pod", "web-1"]).contains("    ClaimName:  disk-ssd-web-1\n"));

    let ls = c.run(&["exec", "web-1", "ls", "/data"]);
    assert_eq!((ls.stdout.as_str(), ls.code), ("lost+found\n", 0), "{ls:?}");
    assert!(ls.stderr.contains("DEPRECATED"), "{ls:?}");
    assert_eq!(c.run(&["exec", "web-1", "touch", "/data/statefulset"]).code, 0);
    assert_eq!(c.run(&["exec", "web-1", "ls", "/data"]).stdout, "lost+found\nstatefulset\n");
    c.ok(&["delete", "pod", "web-1"]);
    assert_eq!(c.run(&["exec", "web-1", "ls", "/data"]).stdout, "lost+found\nstatefulset\n");
    assert_eq!(c.ok(&["exec", "web-1", "--", "ls", "/data"]), "lost+found\nstatefulset\n");

    assert_eq!(c.ok(&["delete", "sts", "web"]), "statefulset.apps \"web\" deleted\n");
    let none = c.run(&["get", "pods"]);
    assert_eq!((none.stdout.as_str(), none.stderr.as_str()), ("", "No resources found in default namespace.\n"));
    let pvcs = rows(&c.ok(&["get", "pvc"]));
    assert_eq!(pvcs.len(), 3);
    assert!(pvcs.iter().all(|r| r[1] == "Bound"));
    let pvs = rows(&c.ok(&["get", "pv"]));
    assert_eq!(pvs.len(), 3);
    assert!(pvs.iter().all(|r| is_disk_id(&r[0]) && r[4] == "Bound"), "{pvs:?}");
}

fn transcript() -> String {
    let out = std::process::Command::new("bash")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/seed/walkthrough.sh"))
        .env("KSTATE_BIN", bin())
        .output()
        .expect("run the walkthrough script");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 transcript")
}

#[test]
fn seed_transcript_matches_the_golden_file_on_every_run() {
    let golden = include_str!("../golden/seed-walkthrough.txt");
    let first = transcript();
    assert_text(&first, golden);
    assert_text(&transcript(), &first);
}
