//! Endpoints and EndpointSlices at scale: slices of at most 100 endpoints (written only where
//! something changed), and Endpoints cut at 1,000 addresses with the over-capacity annotation.

use crate::harness::Cluster;

fn deployment_and_service(replicas: usize) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers: [{{name: c, image: nginx, ports: [{{containerPort: 80}}]}}]
---
apiVersion: v1
kind: Service
metadata: {{name: web}}
spec:
  selector: {{app: web}}
  ports: [{{port: 80}}]
"
    )
}

/// name, resourceVersion and endpoint count of each of the service's slices, sorted by name.
fn slices(c: &Cluster) -> Vec<(String, String, usize)> {
    let out = c.ok(&[
        "get",
        "endpointslices",
        "-l",
        "kubernetes.io/service-name=web,endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io",
        "-o",
        "jsonpath={range .items[*]}{.metadata.name} {.metadata.resourceVersion} {range .endpoints[*]}x{end}{\"\\n\"}{end}",
    ]);
    let mut rows: Vec<(String, String, usize)> = out
        .lines()
        .map(|l| {
            let mut f = l.split(' ');
            let name = f.next().unwrap_or_default().to_string();
            let rv = f.next().unwrap_or_default().to_string();
            (name, rv, f.next().unwrap_or_default().len())
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn slices_hold_at_most_100_endpoints_and_only_the_changed_one_is_rewritten() {
    let c = Cluster::new();
    let f = c.file("web.yaml", &deployment_and_service(250));
    c.ok(&["apply", "-f", &f]);
    let before = slices(&c);
    let mut counts: Vec<usize> = before.iter().map(|s| s.2).collect();
    counts.sort();
    assert_eq!(counts, [50, 100, 100], "{before:?}");
    for (name, _, _) in &before {
        assert!(name.starts_with("web-") && name.len() == "web-".len() + 5, "{name}");
    }
    let addresses = c.ok(&["get", "endpoints", "web", "-o", "jsonpath={range .subsets[*].addresses[*]}x{end}"]);
    assert_eq!(addresses.len(), 250);
    assert!(!c.ok(&["get", "endpoints", "web", "-o", "jsonpath={.metadata.annotations}"]).contains("over-capacity"));

    // A pod goes; its replacement takes its place in the same slice, and no other slice is written.
    let victim = c.ok(&["get", "endpointslice", &before[1].0, "-o", "jsonpath={.endpoints[0].targetRef.name}"]);
    c.ok(&["delete", "pod", &victim]);
    let after = slices(&c);
    assert_eq!(after.len(), 3);
    let changed: Vec<&str> = before.iter().zip(&after).filter(|(b, a)| b.1 != a.1).map(|(b, _)| b.0.as_str()).collect();
    assert_eq!(changed, [before[1].0.as_str()], "{before:?} -> {after:?}");
    assert_eq!(after.iter().map(|s| s.2).sum::<usize>(), 250);
    let listed = c.ok(&["get", "endpointslice", &before[1].0, "-o", "jsonpath={.endpoints[*].targetRef.name}"]);
    assert!(!listed.split(' ').any(|n| n == victim), "{listed}");

    // Scaling down empties and deletes slices rather than leaving them empty.
    c.ok(&["scale", "deployment", "web", "--replicas=30"]);
    let small = slices(&c);
    assert_eq!(small.iter().map(|s| s.2).sum::<usize>(), 30, "{small:?}");
    assert!(small.iter().all(|s| s.2 > 0), "{small:?}");
}

#[test]
fn endpoints_are_truncated_at_1000_addresses() {
    let c = Cluster::new();
    let mut init = c.command(&["get", "nodes"]);
    init.env("KSTATE_NODES", "10");
    assert!(init.output().expect("run kstate").status.success());
    let f = c.file("web.yaml", &deployment_and_service(1005));
    c.ok(&["apply", "-f", &f]);
    let count =
        |c: &Cluster| c.ok(&["get", "endpoints", "web", "-o", "jsonpath={range .subsets[*].addresses[*]}x{end}"]).len();
    assert_eq!(count(&c), 1000);
    assert_eq!(
        c.ok(&[
            "get",
            "endpoints",
            "web",
            "-o",
            "jsonpath={.metadata.annotations.endpoints\\.kubernetes\\.io/over-capacity}"
        ]),
        "truncated"
    );
    // The addresses kept are the first 1,000 by IP, as the controller sorts them.
    let ips = c.ok(&["get", "endpoints", "web", "-o", "jsonpath={.subsets[0].addresses[*].ip}"]);
    let ips: Vec<&str> = ips.split(' ').collect();
    let mut sorted = ips.clone();
    sorted.sort();
    assert_eq!(ips, sorted);
    let slice_total: usize = slices(&c).iter().map(|s| s.2).sum();
    assert_eq!(slice_total, 1005, "slices are not truncated");
    assert_eq!(slices(&c).len(), 11);
    c.ok(&["scale", "deployment", "web", "--replicas=999"]);
    assert_eq!(count(&c), 999);
    assert!(!c.ok(&["get", "endpoints", "web", "-o", "jsonpath={.metadata.annotations}"]).contains("over-capacity"));
}
