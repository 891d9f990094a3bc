//! The Priority admission plugin (plugin/pkg/admission/priority): a new pod's
//! `priorityClassName` (or the global default class) becomes its `spec.priority` and
//! `spec.preemptionPolicy`; an update keeps what creation set; at most one PriorityClass is the
//! global default.

use serde_json::{json, Value};

use super::Cluster;
use crate::api::kinds::{POD, PRIORITYCLASS};
use crate::api::object::set_at;
use crate::api::ObjectExt;
use crate::{Error, Result};

impl Cluster {
    /// The global default class: of several (a race on a real server), the lowest value.
    fn default_priority_class(&mut self) -> Result<Option<Value>> {
        self.load(&PRIORITYCLASS, None)?;
        let mut best: Option<&Value> = None;
        for pc in self.iter(&PRIORITYCLASS, None) {
            if pc.at("globalDefault").and_then(Value::as_bool) == Some(true)
                && best.is_none_or(|b| b.i64_at("value") > pc.i64_at("value"))
            {
                best = Some(pc);
            }
        }
        Ok(best.cloned())
    }

    /// A pod on create: its class's value and preemption policy, refused when the class does not
    /// exist or when the pod states a priority or policy other than its class gives.
    pub(super) fn admit_priority(&mut self, pod: &mut Value) -> Result<()> {
        // `admission.NewForbidden` names the object by its generateName until it has a name.
        let forbidden = |pod: &Value, msg: String| {
            let name = if pod.name().is_empty() { pod.str_at("metadata.generateName") } else { pod.name() };
            Error::Forbidden(format!("{} \"{name}\" is forbidden: {msg}", POD.resource()))
        };
        let class_name = pod.str_at("spec.priorityClassName").to_string();
        let class = if class_name.is_empty() {
            self.default_priority_class()?
        } else {
            let key = super::Key::new(&PRIORITYCLASS, "", &class_name);
            match self.get(&key)? {
                Some(pc) => Some(pc),
                None => return Err(forbidden(pod, format!("no PriorityClass with name {class_name} was found"))),
            }
        };
        let (priority, policy) = match &class {
            Some(pc) => {
                if class_name.is_empty() {
                    set_at(pod, "spec.priorityClassName", json!(pc.name()));
                }
                (pc.i64_at("value").unwrap_or(0), pc.str_at("preemptionPolicy").to_string())
            }
            None => (0, "PreemptLowerPriority".to_string()),
        };
        if let Some(given) = pod.i64_at("spec.priority").filter(|p| *p != priority) {
            return Err(forbidden(pod, format!("the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name")));
        }
        set_at(pod, "spec.priority", json!(priority));
        if !policy.is_empty() {
            let given = pod.str_at("spec.preemptionPolicy");
            if !given.is_empty() && given != policy {
                return Err(forbidden(pod, format!("the string value of PreemptionPolicy ({given}) must not be provided in pod spec; priority admission controller computed {policy} from the given PriorityClass name")));
            }
            set_at(pod, "spec.preemptionPolicy", json!(policy));
        }
        Ok(())
    }

    /// A PriorityClass that would be a second global default is refused.
    pub(super) fn admit_priority_class(&mut self, pc: &Value, create: bool) -> Result<()> {
        if pc.at("globalDefault").and_then(Value::as_bool) != Some(true) {
            return Ok(());
        }
        if let Some(current) = self.default_priority_class()? {
            if create || current.name() != pc.name() {
                return Err(Error::Forbidden(format!(
                    "{} \"{}\" is forbidden: PriorityClass {} is already marked as default. Only one default can exist",
                    PRIORITYCLASS.resource(),
                    pc.name(),
                    current.name()
                )));
            }
        }
        Ok(())
    }
}

/// What the plugin does to a pod update: priority and preemption policy stay as creation set them.
pub fn keep_priority(old: &Value, new: &mut Value) {
    for field in ["priority", "preemptionPolicy"] {
        if let Some(v) = old.at(&format!("spec.{field}")) {
            set_at(new, &format!("spec.{field}"), v.clone());
        }
    }
}
