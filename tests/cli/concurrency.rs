//! Several kstate processes at once: they queue on the database's write lock, none fails, and the
//! cluster they leave is consistent.

use std::process::Stdio;

use crate::harness::{seed_manifest, Cluster};

fn service(i: usize) -> String {
    format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\nspec:\n  selector:\n    app: x{i}\n  ports:\n  - port: 80\n")
}

#[test]
fn eight_writers_at_once_all_succeed() {
    let c = Cluster::new();
    let manifest = c.file("statefulset.yaml", seed_manifest());
    c.ok(&["create", "-f", &manifest]);
    let files: Vec<String> = (0..8).map(|i| c.file(&format!("svc-{i}.yaml"), &service(i))).collect();
    let children: Vec<_> = (0..8)
        .map(|i| {
            let replicas = format!("--replicas={i}");
            let args: Vec<&str> =
                if i % 2 == 0 { vec!["create", "-f", &files[i]] } else { vec!["scale", "sts", "web", &replicas] };
            c.command(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a writer failed: {stderr}");
        assert!(!stderr.contains("locked"), "{stderr}");
    }
    let svcs = c.ok(&["get", "svc", "-o", "name"]);
    for i in (0..8).step_by(2) {
        assert!(svcs.contains(&format!("service/svc-{i}\n")), "{svcs}");
    }
    let replicas: usize = c.ok(&["get", "sts", "web", "-o", "jsonpath={.spec.replicas}"]).parse().expect("replicas");
    assert!([1, 3, 5, 7].contains(&replicas));
    let pods = c.ok(&["get", "pods", "-o", "name"]);
    let want: String = (0..replicas).map(|i| format!("pod/web-{i}\n")).collect();
    assert_eq!(pods, want, "pods follow the last scale");
    let ready = c.ok(&["get", "sts", "web", "-o", "jsonpath={.status.readyReplicas}"]);
    assert_eq!(ready, replicas.to_string());
}

#[test]
fn concurrent_first_commands_share_one_fresh_cluster() {
    let c = Cluster::new();
    let children: Vec<_> = (0..6)
        .map(|_| {
            c.command(&["get", "ns", "-o", "name"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n"
        );
    }
}

#[test]
fn sixteen_writers_lose_no_update() {
    let c = Cluster::new();
    let cm = c.file("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n");
    c.ok(&["create", "-f", &cm]);
    let children: Vec<_> = (0..16)
        .map(|i| {
            let pair = format!("writer-{i}=done");
            c.command(&["annotate", "configmap", "shared", &pair])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(out.status.success(), "a writer failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let annotations = c.ok(&[
        "get",
        "configmap",
        "shared",
        "-o",
        "go-template={{range $k, $v := .metadata.annotations}}{{$k}} {{end}}",
    ]);
    let mut want: Vec<String> = (0..16).map(|i| format!("writer-{i}")).collect();
    want.sort();
    assert_eq!(annotations, want.iter().map(|w| format!("{w} ")).collect::<String>());
}
