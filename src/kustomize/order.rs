//! kustomize's default ("legacy") output order (`SortOrderTransformer`): kinds of a fixed
//! first list in that order, then every other kind by group, version and kind (the core group
//! last), then the webhook configurations; within a kind by namespace and name.

use std::cmp::Ordering;

use super::resource::Resource;

pub const ORDER_FIRST: [&str; 22] = [
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];
pub const ORDER_LAST: [&str; 2] = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

/// The kinds put first and last, in their order.
pub struct Lists<'a> {
    pub first: &'a [&'a str],
    pub last: &'a [&'a str],
}

pub const DEFAULT: Lists<'static> = Lists { first: &ORDER_FIRST, last: &ORDER_LAST };

/// `typeOrders`: a later entry of the same kind in a list wins, as in kustomize's map.
fn type_order(kind: &str, lists: &Lists) -> i64 {
    let mut order = 0;
    for (i, k) in lists.first.iter().enumerate() {
        if *k == kind {
            order = i as i64 - lists.first.len() as i64;
        }
    }
    for (i, k) in lists.last.iter().enumerate() {
        if *k == kind {
            order = i as i64 + 1;
        }
    }
    order
}

fn gvk_string(r: &Resource) -> String {
    let (g, v) = r.group_version();
    let or = |s: &str, d: &str| if s.is_empty() { d.to_string() } else { s.to_string() };
    format!("{}_{}_{}", or(g, "~G"), or(v, "~V"), or(r.kind(), "~K"))
}

fn id_string(r: &Resource) -> String {
    let or = |s: &str, d: &str| if s.is_empty() { d.to_string() } else { s.to_string() };
    let (g, v) = r.group_version();
    format!(
        "{}.{}.{}|{}|{}",
        or(r.kind(), "[noKind]"),
        or(v, "[noVer]"),
        or(g, "[noGrp]"),
        or(r.namespace(), "~X"),
        or(r.name(), "~N")
    )
}

/// `legacyIDSorter.Less` as an ordering (it is total, so any sort gives kustomize's order).
fn compare(a: &Resource, b: &Resource, lists: &Lists) -> Ordering {
    let (ga, gb) = (gvk_string(a), gvk_string(b));
    if ga != gb {
        let (oa, ob) = (type_order(a.kind(), lists), type_order(b.kind(), lists));
        if oa != ob {
            return oa.cmp(&ob);
        }
        let (a_group, b_group) = (a.group_version().0, b.group_version().0);
        if a.kind() == "Namespace" && b.kind() == "Namespace" && (a_group.is_empty() || b_group.is_empty()) {
            return gb.cmp(&ga);
        }
        return ga.cmp(&gb);
    }
    id_string(a).cmp(&id_string(b))
}

pub fn sort(resources: &mut [Resource], lists: &Lists) {
    resources.sort_by(|a, b| compare(a, b, lists));
}
