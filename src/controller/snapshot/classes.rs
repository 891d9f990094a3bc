//! The VolumeSnapshotClasses a fresh cluster of each profile has: ACK installs
//! `alibabacloud-disk-snapshot`, AKS `csi-azuredisk-vsc`; EKS, GKE and the local tools install
//! none (their users create one naming the driver).

use serde_json::{json, Value};

fn class(name: &str, driver: &str, parameters: Value) -> Value {
    let mut class = json!({
        "apiVersion": "snapshot.storage.k8s.io/v1",
        "kind": "VolumeSnapshotClass",
        "metadata": {"name": name},
        "driver": driver,
        "deletionPolicy": "Delete",
    });
    if parameters.as_object().is_some_and(|p| !p.is_empty()) {
        class["parameters"] = parameters;
    }
    class
}

/// The snapshot classes of a fresh cluster of `profile`.
pub fn for_profile(profile: &str) -> Vec<Value> {
    match profile {
        "ack" => vec![class(
            "alibabacloud-disk-snapshot",
            super::drivers::ACK_DISK,
            json!({"instantAccess": "true", "instantAccessRetentionDays": "1"}),
        )],
        "aks" => vec![class("csi-azuredisk-vsc", "disk.csi.azure.com", json!({"incremental": "true"}))],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_clouds_that_ship_a_class_have_one() {
        assert_eq!(super::for_profile("ack")[0]["metadata"]["name"], "alibabacloud-disk-snapshot");
        assert_eq!(super::for_profile("aks")[0]["driver"], "disk.csi.azure.com");
        assert!(super::for_profile("kind").is_empty());
    }
}
