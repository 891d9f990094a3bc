//! The cluster's VolumeAttachments by node, built once per command (when a node changes) and
//! kept current from the change stream: a node's every status update must not walk every
//! attachment of the cluster. A volume's attachments are found through the store's index
//! (see `index_ref`).

use std::collections::BTreeMap;

use foldhash::HashMap;
use serde_json::Value;

use crate::api::kinds::VOLUMEATTACHMENT;
use crate::api::ObjectExt;
use crate::cluster::Cluster;
use crate::Result;

#[derive(Default)]
pub struct Attachments {
    /// Node name → its attachments' names → their volumes, exactly as the cluster holds them.
    by_node: HashMap<String, BTreeMap<String, String>>,
}

fn volume_of(va: &Value) -> &str {
    va.str_at("spec.source.persistentVolumeName")
}

/// Where an attachment is indexed: its node and its volume.
fn place(va: &Value) -> (&str, &str) {
    (va.str_at("spec.nodeName"), volume_of(va))
}

impl Attachments {
    pub fn build(cluster: &mut Cluster) -> Result<Attachments> {
        cluster.load(&VOLUMEATTACHMENT, None)?;
        let mut index = Attachments::default();
        for va in cluster.iter(&VOLUMEATTACHMENT, None) {
            index.add(va.name(), va);
        }
        Ok(index)
    }

    fn add(&mut self, name: &str, va: &Value) {
        let on_node = self.by_node.entry(va.str_at("spec.nodeName").to_string()).or_default();
        on_node.insert(name.to_string(), volume_of(va).to_string());
    }

    /// Follows one write of the attachment `name`.
    pub fn observe(&mut self, name: &str, old: Option<&Value>, new: Option<&Value>) {
        // The attacher's updates (most writes) keep the node and the volume: nothing to move.
        if old.zip(new).is_some_and(|(old, new)| place(old) == place(new)) {
            return;
        }
        if let Some(on_node) = old.and_then(|old| self.by_node.get_mut(old.str_at("spec.nodeName"))) {
            on_node.remove(name);
        }
        if let Some(va) = new {
            self.add(name, va);
        }
    }

    /// The volumes attached to a node, in the order of their attachments' names.
    pub fn on_node<'a>(&'a self, node: &str) -> impl Iterator<Item = &'a String> + 'a {
        self.by_node.get(node).into_iter().flat_map(|vas| vas.values())
    }
}
