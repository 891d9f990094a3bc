//! Golden tests: each `testdata/CASE.json` is a `kind: List` whose first item is described; the
//! expected `CASE.txt` is what the real kubectl v1.32 printed for the very same objects (served by
//! `kubectl-oracle.py`) at the instant in `CASE.now`.

use serde_json::Value;

use super::{describe, Related};
use crate::api::kinds::{by_kind, Kind};
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::clock::parse_rfc3339;

fn of_kind<'a>(items: &'a [Value], k: &'static str) -> impl Iterator<Item = Value> + 'a {
    items.iter().filter(move |i| i.kind() == k).cloned()
}

/// The related objects kubectl would have fetched from the oracle for `obj`.
fn related_for(obj: &Value, items: &[Value]) -> Related {
    let is_node = obj.kind() == "Node";
    let events = of_kind(items, "Event")
        .filter(|e| {
            let uid = e.str_at("involvedObject.uid");
            e.str_at("involvedObject.name") == obj.name() && (uid == obj.uid() || (is_node && uid == obj.name()))
        })
        .collect();
    let pods = match obj.kind() {
        "StatefulSet" => {
            let sel = obj.at("spec.selector").and_then(|s| Selector::from_label_selector(s).ok()).unwrap_or_default();
            of_kind(items, "Pod").filter(|p| p.namespace() == obj.namespace() && sel.matches_object(p)).collect()
        }
        "PersistentVolumeClaim" => of_kind(items, "Pod").filter(|p| p.namespace() == obj.namespace()).collect(),
        "Node" => of_kind(items, "Pod")
            .filter(|p| p.str_at("spec.nodeName") == obj.name())
            .filter(|p| !matches!(p.str_at("status.phase"), "Succeeded" | "Failed"))
            .collect(),
        _ => Vec::new(),
    };
    let endpoint_slices = of_kind(items, "EndpointSlice")
        .filter(|s| s.namespace() == obj.namespace())
        .filter(|s| s.labels().get("kubernetes.io/service-name").map(String::as_str) == Some(obj.name()))
        .collect();
    let lease = of_kind(items, "Lease").find(|l| obj.kind() == "Node" && l.name() == obj.name());
    Related { events, pods, endpoint_slices, lease, owned: Vec::new(), services: Vec::new() }
}

fn check(json: &str, expected: &str, now: &str) {
    let list: Value = serde_json::from_str(json).expect("fixture is JSON");
    let items = list.array_at("items");
    let obj = &items[0];
    // EndpointSlice is no kstate Kind: an empty `kind` makes `describe` go by the object's own.
    static OTHER: Kind =
        Kind { kind: "", plural: "", singular: "", short: &[], group: "", version: "v1", namespaced: true };
    let kind = by_kind(obj.kind()).unwrap_or(&OTHER);
    let now = parse_rfc3339(now.trim()).expect("fixture time");
    let got = describe(kind, obj, &related_for(obj, items), now);
    pretty_assertions::assert_eq!(got, expected);
}

macro_rules! golden {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            check(
                include_str!(concat!("testdata/", stringify!($name), ".json")),
                include_str!(concat!("testdata/", stringify!($name), ".txt")),
                include_str!(concat!("testdata/", stringify!($name), ".now")),
            );
        }
    )*};
}

golden!(
    pod_running,
    pod_complex,
    pod_pending,
    sts,
    pvc,
    pvc_pending,
    pv,
    pv_csi,
    pv_local,
    svc_headless,
    svc_nodeport,
    svc_empty,
    sc,
    sc_full,
    ns,
    ns_terminating,
    node,
    node_bare,
    cr,
    event,
    ep,
    ep_empty,
    eps,
    pod_edge,
    sts_edge,
);

/// Objects may lack any field: every describer must still answer, ending with a newline.
#[test]
fn empty_and_odd_objects_do_not_panic() {
    let odd = serde_json::json!({
        "kind": "X", "metadata": {"labels": 5, "annotations": null},
        "spec": {"containers": [{"resources": {"limits": {"cpu": "bogus"}}, "ports": [{}]}], "volumes": [{}], "ports": [{}]},
        "status": {"containerStatuses": [{}], "capacity": {"cpu": "x"}}
    });
    for kind in crate::api::kinds::ALL.iter() {
        for obj in [serde_json::json!({}), odd.clone()] {
            let related =
                Related { pods: vec![odd.clone()], events: vec![serde_json::json!({})], ..Default::default() };
            let out = describe(kind, &obj, &related, 0);
            assert!(out.ends_with('\n'), "{}: {out:?}", kind.kind);
        }
    }
}
