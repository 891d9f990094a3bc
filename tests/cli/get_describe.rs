//! `get` and `describe` against kubectl v1.32 (checked with the real kubectl over the oracle):
//! how names, selectors and several kinds combine, and what describe shows for a service.

use crate::harness::{assert_text, seed_manifest, Cluster};

const NAMED_PORT_SERVICE: &str = "apiVersion: v1
kind: Service
metadata:
  name: web-np
spec:
  type: NodePort
  selector:
    app: nginx
  ports:
  - port: 80
    targetPort: web
";

fn seeded() -> Cluster {
    let c = Cluster::new();
    let manifest = c.file("statefulset.yaml", seed_manifest());
    assert_eq!(c.run(&["create", "-f", &manifest]).code, 0);
    c
}

#[test]
fn a_single_missing_name_prints_only_the_error() {
    let c = seeded();
    for format in ["yaml", "json", "name", "jsonpath={.metadata.name}"] {
        let o = c.run(&["get", "pod", "nope", "-o", format]);
        assert_eq!((o.stdout.as_str(), o.code), ("", 1), "-o {format}");
        assert_eq!(o.stderr, "Error from server (NotFound): pods \"nope\" not found\n");
    }
    // Two names: the (empty) list is still printed.
    let o = c.run(&["get", "pods", "nope", "nope2", "-o", "yaml"]);
    assert_text(&o.stdout, "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n");
    assert_eq!(o.code, 1);
}

#[test]
fn names_and_a_selector_do_not_mix() {
    let c = seeded();
    for verb in ["get", "describe"] {
        let o = c.run(&[verb, "pods", "web-0", "-l", "app=nginx"]);
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str(), o.code),
            ("", "error: name cannot be provided when a selector is specified\n", 1)
        );
        let o = c.run(&[verb, "pod/web-0", "-l", "app=nginx"]);
        assert_eq!(
            o.stderr, "error: selectors and the all flag cannot be used when passing resource/name arguments\n",
            "{verb}"
        );
    }
}

#[test]
fn the_kind_prefix_counts_only_kinds_that_were_found() {
    let c = seeded();
    let o = c.run(&["get", "pod/web-0", "svc/missing"]);
    assert_text(&o.stdout, "NAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          0s\n");
    assert_eq!(o.stderr, "Error from server (NotFound): services \"missing\" not found\n");
}

#[test]
fn type_name_arguments_keep_their_order() {
    let c = seeded();
    assert_text(
        &c.ok(&["get", "pod/web-0", "sts/web", "pod/web-1", "-o", "name"]),
        "pod/web-0\nstatefulset.apps/web\npod/web-1\n",
    );
    assert_text(
        &c.ok(&["get", "pod/web-0", "sts/web", "pod/web-1"]),
        "NAME        READY   STATUS    RESTARTS   AGE
pod/web-0   1/1     Running   0          0s

NAME                   READY   AGE
statefulset.apps/web   2/2     0s

NAME        READY   STATUS    RESTARTS   AGE
pod/web-1   1/1     Running   0          0s
",
    );
}

#[test]
fn no_headers_leaves_no_blank_line_between_kinds() {
    let c = seeded();
    assert_text(
        &c.ok(&["get", "pods,sts", "--no-headers"]),
        "pod/web-0   1/1   Running   0     0s\npod/web-1   1/1   Running   0     0s\nstatefulset.apps/web   2/2   0s\n",
    );
}

#[test]
fn describe_service_resolves_named_target_ports() {
    let c = seeded();
    let svc = c.file("svc.yaml", NAMED_PORT_SERVICE);
    c.ok(&["create", "-f", &svc]);
    let ips = c.ok(&["get", "pods", "-o", "jsonpath={.items[*].status.podIP}"]);
    let want: Vec<String> = ips.split(' ').map(|ip| format!("{ip}:80")).collect();
    let described = c.ok(&["describe", "svc", "web-np"]);
    let endpoints: Vec<&str> = described.lines().filter(|l| l.starts_with("Endpoints:")).collect();
    assert_eq!(endpoints, [format!("Endpoints:                {}", want.join(","))]);
}
