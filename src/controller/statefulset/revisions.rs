//! ControllerRevisions: the history of a set's pod template (`controller/history`).

use std::rc::Rc;

use foldhash::{HashMap, HashSet, HashSetExt};
use serde_json::{json, Value};

use crate::api::kinds::CONTROLLERREVISION;
use crate::api::object::{controller_ref_to, set_at, set_label};
use crate::api::ObjectExt;
use crate::cluster::{Change, Cluster, Key, Propagation};
use crate::ids::NAME_ALPHABET;
use crate::Result;

/// One revision: its object name and pod template.
#[derive(Debug, Clone)]
pub struct Revision {
    pub name: String,
    pub template: Value,
}

/// The revisions a sync works with.
pub struct Revisions {
    pub current: Revision,
    pub update: Revision,
}

impl Revisions {
    /// The revision a new pod in `slot` (ordinal minus start) is built from.
    pub fn for_ordinal(&self, slot: i64, set: &Value) -> &Revision {
        if set.str_at("spec.updateStrategy.type") == "OnDelete" {
            return &self.update;
        }
        let current_side = match set.at("spec.updateStrategy.rollingUpdate") {
            Some(ru) => slot < ru.i64_at("partition").unwrap_or(0),
            None => slot < set.i64_at("status.currentReplicas").unwrap_or(0),
        };
        if current_side {
            &self.current
        } else {
            &self.update
        }
    }
}

/// What a revision stores: a patch that replaces the whole template (`getPatch`; the DaemonSet
/// controller's is the same).
pub fn patch_of(set: &Value) -> Value {
    let mut template = set.at("spec.template").cloned().unwrap_or_else(|| json!({}));
    template["$patch"] = json!("replace");
    json!({"spec": {"template": template}})
}

fn template_of(revision: &Value) -> Value {
    let mut t = revision.at("data.spec.template").cloned().unwrap_or_else(|| json!({}));
    if let Some(m) = t.as_object_mut() {
        m.remove("$patch");
    }
    t
}

/// `HashControllerRevision`: 32-bit FNV-1 of the data and the collision count, its decimal digits
/// mapped into the no-vowel alphabet (`rand.SafeEncodeString`).
pub fn revision_hash(data: &Value, collision_count: i64) -> String {
    let mut h: u32 = 0x811c_9dc5;
    let bytes = serde_json::to_string(data).unwrap_or_default();
    for b in bytes.bytes().chain(collision_count.to_string().bytes()) {
        h = h.wrapping_mul(0x0100_0193);
        h ^= u32::from(b);
    }
    h.to_string().bytes().map(|b| NAME_ALPHABET[b as usize % NAME_ALPHABET.len()] as char).collect()
}

fn to_revision(obj: &Value) -> Revision {
    Revision { name: obj.name().to_string(), template: template_of(obj) }
}

/// Finds or creates the update revision and picks the current one (`getStatefulSetRevisions`).
pub fn sync(cluster: &mut Cluster, set: &Value) -> Result<Revisions> {
    let mut history = cluster.list_by_ref(&CONTROLLERREVISION, set.uid())?;
    history.sort_by_key(|r| r.i64_at("revision").unwrap_or(0));
    let data = patch_of(set);
    let max = history.last().and_then(|r| r.i64_at("revision")).unwrap_or(0);
    let update = match history.iter().find(|r| r.get("data") == Some(&data)) {
        Some(existing) if existing.i64_at("revision") == Some(max) => to_revision(existing),
        Some(existing) => {
            let mut raised = existing.clone();
            raised["revision"] = json!(max + 1);
            to_revision(&*cluster.update_status(raised)?)
        }
        None => to_revision(&create(cluster, set, data, max + 1)?),
    };
    let wanted = set.str_at("status.currentRevision");
    let current = history.iter().find(|r| r.name() == wanted).map(to_revision).unwrap_or_else(|| update.clone());
    Ok(Revisions { current, update })
}

/// The revisions of the sets synced in this command, reused while what they were computed from
/// stays the same: a scale-up syncs its set once per pod, and would otherwise list, compare and
/// copy the set's history every time.
#[derive(Default)]
pub struct RevisionCache {
    /// Set uid → the pod template and `status.currentRevision` the revisions were found from.
    sets: HashMap<String, (Option<Value>, String, Rc<Revisions>)>,
    /// Set uid → how many revisions it owns, as [`truncate`] last counted them: every sync of a
    /// scale-up asks, and the answer changes only with a revision's write.
    counts: HashMap<String, usize>,
}

impl RevisionCache {
    /// Any revision written (our own creates and raises included) may be in a cached history.
    pub fn observe(&mut self, change: &Change) {
        if change.key.kind == "ControllerRevision" {
            self.sets.clear();
            self.counts.clear();
        }
    }

    /// [`sync`], or what it found last time for the same template, current revision and history.
    /// A sync that wrote a revision is not reused: its write clears the cache.
    pub fn sync(&mut self, cluster: &mut Cluster, set: &Value) -> Result<Rc<Revisions>> {
        let (template, current) = (set.at("spec.template"), set.str_at("status.currentRevision"));
        if let Some((t, c, revs)) = self.sets.get(set.uid()) {
            if t.as_ref() == template && c == current {
                return Ok(revs.clone());
            }
        }
        let revs = Rc::new(sync(cluster, set)?);
        self.sets.insert(set.uid().to_string(), (template.cloned(), current.to_string(), revs.clone()));
        Ok(revs)
    }
}

fn create(cluster: &mut Cluster, set: &Value, data: Value, number: i64) -> Result<Value> {
    let collisions = set.i64_at("status.collisionCount").unwrap_or(0);
    let hash = revision_hash(&data, collisions);
    // A revision left behind by an orphaning delete of this set is adopted, as the controller's
    // adoptOrphanRevisions does, instead of being created again.
    let key = Key::new(&CONTROLLERREVISION, set.namespace(), &format!("{}-{hash}", set.name()));
    if let Some(mut orphan) = cluster.get(&key)? {
        if orphan.controller_uid().is_empty() && orphan.get("data") == Some(&data) {
            let mut refs = orphan.array_at("metadata.ownerReferences").to_vec();
            refs.push(controller_ref_to(set));
            set_at(&mut orphan, "metadata.ownerReferences", Value::Array(refs));
            orphan["revision"] = json!(number);
            return Ok((*cluster.update_status(orphan)?).clone());
        }
    }
    let mut rev = json!({
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {"name": format!("{}-{hash}", set.name()), "namespace": set.namespace(),
                     "ownerReferences": [controller_ref_to(set)]},
        "data": data,
        "revision": number,
    });
    for (k, v) in set.map_at("spec.template.metadata.labels") {
        set_label(&mut rev, &k, &v);
    }
    set_label(&mut rev, "controller.kubernetes.io/hash", &hash);
    if let Some(a) = set.at("metadata.annotations") {
        set_at(&mut rev, "metadata.annotations", a.clone());
    }
    Ok((*cluster.create(rev, set.namespace())?).clone())
}

/// Deletes the oldest revisions no pod, current or update revision uses, beyond the history limit.
pub fn truncate(
    cluster: &mut Cluster,
    cache: &mut RevisionCache,
    set: &Value,
    revs: &Revisions,
    pods: &super::pods::Pods,
) -> Result<()> {
    let limit = set.i64_at("spec.revisionHistoryLimit").unwrap_or(10);
    // Current, update, and any pod's revision are live; pods are only ever at one of the first two
    // or at an older one the history still holds.
    let within = |count: usize| limit < 0 || count <= limit as usize + 1;
    if cache.counts.get(set.uid()).is_some_and(|n| within(*n)) {
        return Ok(());
    }
    let history = cluster.map_by_ref(&CONTROLLERREVISION, set.uid(), |r| {
        Some((r.i64_at("revision").unwrap_or(0), r.name().to_string(), r.namespace().to_string()))
    })?;
    cache.counts.insert(set.uid().to_string(), history.len());
    if within(history.len()) {
        return Ok(());
    }
    let mut live: HashSet<String> = HashSet::new();
    live.insert(revs.current.name.clone());
    live.insert(revs.update.name.clone());
    live.extend(pods.revisions().cloned());
    let mut old: Vec<(i64, String, String)> = history.into_iter().filter(|(_, n, _)| !live.contains(n)).collect();
    old.sort();
    let excess = old.len().saturating_sub(limit as usize);
    for (_, name, namespace) in old.into_iter().take(excess) {
        cluster.delete(&Key::new(&CONTROLLERREVISION, &namespace, &name), Propagation::Background, None)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_use_the_safe_alphabet_and_depend_on_collisions() {
        let data = json!({"spec": {"template": {"$patch": "replace"}}});
        let (a, b) = (revision_hash(&data, 0), revision_hash(&data, 1));
        assert_ne!(a, b);
        assert!(a.len() <= 10 && a.bytes().all(|c| NAME_ALPHABET.contains(&c)));
    }
}
