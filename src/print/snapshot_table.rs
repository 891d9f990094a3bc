//! `kubectl get` columns of the snapshot CRDs (`snapshot.storage.k8s.io/v1`), as the API server's
//! CRD table convertor builds them from external-snapshotter v8's `additionalPrinterColumns`:
//! a missing field is `<none>`, a `date` column is an age. Also the storage.k8s.io attachment
//! kinds (CSIDriver, CSINode, VolumeAttachment), as pkg/printers/internalversion prints them.

use serde_json::Value;

use crate::api::ObjectExt;
use crate::clock::{parse_rfc3339, Instant};
use crate::print::age::age;

/// The columns of `kind` (none is wide-only). NAME comes first.
pub fn columns(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "VolumeSnapshotClass" => &["NAME", "DRIVER", "DELETIONPOLICY", "AGE"],
        "VolumeSnapshotContent" => &[
            "NAME",
            "READYTOUSE",
            "RESTORESIZE",
            "DELETIONPOLICY",
            "DRIVER",
            "VOLUMESNAPSHOTCLASS",
            "VOLUMESNAPSHOT",
            "VOLUMESNAPSHOTNAMESPACE",
            "AGE",
        ],
        "VolumeSnapshot" => &[
            "NAME",
            "READYTOUSE",
            "SOURCEPVC",
            "SOURCESNAPSHOTCONTENT",
            "RESTORESIZE",
            "SNAPSHOTCLASS",
            "SNAPSHOTCONTENT",
            "CREATIONTIME",
            "AGE",
        ],
        "CSIDriver" => &[
            "NAME",
            "ATTACHREQUIRED",
            "PODINFOONMOUNT",
            "STORAGECAPACITY",
            "TOKENREQUESTS",
            "REQUIRESREPUBLISH",
            "MODES",
            "AGE",
        ],
        "CSINode" => &["NAME", "DRIVERS", "AGE"],
        "VolumeAttachment" => &["NAME", "ATTACHER", "PV", "NODE", "ATTACHED", "AGE"],
        _ => return None,
    })
}

/// Every cell of one row of `kind`.
pub fn cells(kind: &str, obj: &Value, now: Instant) -> Option<Vec<String>> {
    let field = |path: &str| obj.at(path).map_or_else(|| "<none>".to_string(), scalar);
    let created = age(now, obj.created());
    let mut row = vec![obj.name().to_string()];
    match kind {
        "VolumeSnapshotClass" => row.extend([field("driver"), field("deletionPolicy")]),
        "VolumeSnapshotContent" => row.extend([
            field("status.readyToUse"),
            field("status.restoreSize"),
            field("spec.deletionPolicy"),
            field("spec.driver"),
            field("spec.volumeSnapshotClassName"),
            field("spec.volumeSnapshotRef.name"),
            field("spec.volumeSnapshotRef.namespace"),
        ]),
        "VolumeSnapshot" => {
            let taken = obj.at("status.creationTime").and_then(Value::as_str).and_then(parse_rfc3339);
            row.extend([
                field("status.readyToUse"),
                field("spec.source.persistentVolumeClaimName"),
                field("spec.source.volumeSnapshotContentName"),
                field("status.restoreSize"),
                field("spec.volumeSnapshotClassName"),
                field("status.boundVolumeSnapshotContentName"),
                taken.map_or_else(|| "<none>".to_string(), |t| age(now, Some(t))),
            ]);
        }
        "CSIDriver" => {
            let flag = |path: &str, unset: bool| obj.at(path).and_then(Value::as_bool).unwrap_or(unset).to_string();
            let tokens = match obj.at("spec.tokenRequests").and_then(Value::as_array) {
                Some(list) => list.iter().map(|t| t.str_at("audience")).collect::<Vec<_>>().join(","),
                None => "<unset>".to_string(),
            };
            let modes: Vec<&str> = obj.array_at("spec.volumeLifecycleModes").iter().filter_map(Value::as_str).collect();
            row.extend([
                flag("spec.attachRequired", true),
                flag("spec.podInfoOnMount", false),
                flag("spec.storageCapacity", false),
                tokens,
                flag("spec.requiresRepublish", false),
                if modes.is_empty() { "<none>".to_string() } else { modes.join(",") },
            ]);
        }
        "CSINode" => row.push(obj.array_at("spec.drivers").len().to_string()),
        "VolumeAttachment" => row.extend([
            obj.str_at("spec.attacher").to_string(),
            obj.str_at("spec.source.persistentVolumeName").to_string(),
            obj.str_at("spec.nodeName").to_string(),
            obj.at("status.attached").and_then(Value::as_bool).unwrap_or(false).to_string(),
        ]),
        _ => return None,
    }
    row.push(created);
    Some(row)
}

/// A JSONPath result as the CRD convertor prints it.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<none>".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unset_fields_print_none_and_times_print_ages() {
        let now = parse_rfc3339("2026-11-27T09:05:00Z").expect("time");
        let vs = json!({"metadata": {"name": "snap", "creationTimestamp": "2026-11-27T09:00:00Z"},
                        "spec": {"source": {"persistentVolumeClaimName": "data"}},
                        "status": {"readyToUse": true, "restoreSize": "20Gi", "creationTime": "2026-11-27T09:01:00Z"}});
        let row = cells("VolumeSnapshot", &vs, now).expect("row");
        assert_eq!(row, ["snap", "true", "data", "<none>", "20Gi", "<none>", "<none>", "4m", "5m"]);
        assert_eq!(row.len(), columns("VolumeSnapshot").map_or(0, <[_]>::len));
        let vsc = json!({"metadata": {"name": "c"}, "status": {"restoreSize": 21474836480_i64}});
        assert_eq!(cells("VolumeSnapshotContent", &vsc, now).expect("row")[2], "21474836480");
        assert!(cells("Pod", &vsc, now).is_none());
    }
}
