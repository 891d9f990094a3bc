//! kubectl debug's profiles (`--profile`): what each changes in the debug pod for each way of
//! debugging (kubectl/pkg/cmd/debug/profiles.go, v1.32).

use serde_json::{json, Value};

use crate::api::object::set_at;
use crate::api::ObjectExt;
use crate::{Error, Result};

/// How the debug container is added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// An ephemeral container in the running pod.
    Ephemeral,
    /// A container of a copy of the pod.
    Copy,
    /// The container of a pod on a node, in its host namespaces.
    Node,
}

/// A profile and the `--keep-*` flags it honours for copies.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub name: String,
    pub keep: Keep,
}

/// The `--keep-*` flags.
#[derive(Debug, Clone, Default)]
pub struct Keep {
    pub labels: bool,
    pub annotations: bool,
    pub liveness: bool,
    pub readiness: bool,
    pub startup: bool,
    pub init_containers: bool,
}

impl Profile {
    /// kubectl's `NewProfileApplier`: an unknown name is refused.
    pub fn parse(name: &str, keep: Keep) -> Result<Profile> {
        match name {
            "legacy" | "general" | "baseline" | "restricted" | "netadmin" | "sysadmin" => {
                Ok(Profile { name: name.to_string(), keep })
            }
            other => Err(Error::cli(format!("unknown profile: {other}"))),
        }
    }

    /// Changes `pod` (the debug pod, or the pod with the new ephemeral container) for the
    /// container `name`.
    pub fn apply(&self, pod: &mut Value, name: &str, style: Style) {
        let copy = style == Style::Copy;
        match self.name.as_str() {
            "legacy" => match style {
                Style::Node => {
                    mount_root(pod, name);
                    host_namespaces(pod);
                }
                // The legacy profile drops a copy's labels whatever --keep-labels says.
                Style::Copy => remove_meta(pod, "labels"),
                Style::Ephemeral => {}
            },
            "general" => match style {
                Style::Node => {
                    mount_root(pod, name);
                    clear_security_context(pod, name);
                    host_namespaces(pod);
                }
                Style::Copy => {
                    self.strip_copy(pod);
                    add_capability(pod, name, "SYS_PTRACE");
                    share_processes(pod);
                }
                Style::Ephemeral => add_capability(pod, name, "SYS_PTRACE"),
            },
            "baseline" => {
                clear_security_context(pod, name);
                if copy {
                    self.strip_copy(pod);
                    share_processes(pod);
                }
            }
            "restricted" => {
                clear_security_context(pod, name);
                with_security_context(pod, name, |sc| {
                    sc["runAsNonRoot"] = json!(true);
                    sc["capabilities"] = json!({"drop": ["ALL"]});
                    sc["allowPrivilegeEscalation"] = json!(false);
                    sc["seccompProfile"] = json!({"type": "RuntimeDefault"});
                });
                if copy {
                    self.strip_copy(pod);
                    share_processes(pod);
                }
            }
            "netadmin" => {
                add_capability(pod, name, "NET_ADMIN");
                add_capability(pod, name, "NET_RAW");
                match style {
                    Style::Node => host_namespaces(pod),
                    Style::Copy => {
                        self.strip_copy(pod);
                        share_processes(pod);
                    }
                    Style::Ephemeral => {}
                }
            }
            // sysadmin
            _ => {
                with_security_context(pod, name, |sc| sc["privileged"] = json!(true));
                match style {
                    Style::Node => {
                        host_namespaces(pod);
                        mount_root(pod, name);
                    }
                    Style::Copy => {
                        self.strip_copy(pod);
                        share_processes(pod);
                    }
                    Style::Ephemeral => {}
                }
            }
        }
    }

    /// What the non-legacy profiles drop from a copy unless `--keep-*` says otherwise.
    fn strip_copy(&self, pod: &mut Value) {
        if !self.keep.labels {
            remove_meta(pod, "labels");
        }
        if !self.keep.annotations {
            remove_meta(pod, "annotations");
        }
        if let Some(list) = pod.pointer_mut("/spec/containers").and_then(Value::as_array_mut) {
            for c in list.iter_mut().filter_map(Value::as_object_mut) {
                for (keep, probe) in [
                    (self.keep.liveness, "livenessProbe"),
                    (self.keep.readiness, "readinessProbe"),
                    (self.keep.startup, "startupProbe"),
                ] {
                    if !keep {
                        c.remove(probe);
                    }
                }
            }
        }
        if !self.keep.init_containers {
            if let Some(spec) = pod.get_mut("spec").and_then(Value::as_object_mut) {
                spec.remove("initContainers");
            }
        }
    }
}

fn remove_meta(pod: &mut Value, field: &str) {
    if let Some(meta) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove(field);
    }
}

/// The node's root filesystem at `/host` in the container (a `hostPath` of `/`).
fn mount_root(pod: &mut Value, name: &str) {
    let mut volumes = pod.array_at("spec.volumes").to_vec();
    volumes.push(json!({"name": "host-root", "hostPath": {"path": "/"}}));
    set_at(pod, "spec.volumes", Value::Array(volumes));
    for field in ["initContainers", "containers"] {
        let Some(list) = pod.pointer_mut(&format!("/spec/{field}")).and_then(Value::as_array_mut) else { continue };
        for c in list.iter_mut().filter(|c| c.str_at("name") == name) {
            let mut mounts = c.array_at("volumeMounts").to_vec();
            mounts.push(json!({"mountPath": "/host", "name": "host-root"}));
            c["volumeMounts"] = Value::Array(mounts);
        }
    }
}

fn host_namespaces(pod: &mut Value) {
    for field in ["hostNetwork", "hostPID", "hostIPC"] {
        set_at(pod, &format!("spec.{field}"), json!(true));
    }
}

/// `shareProcessNamespace: true` unless the pod already says.
fn share_processes(pod: &mut Value) {
    if pod.at("spec.shareProcessNamespace").is_none() {
        set_at(pod, "spec.shareProcessNamespace", json!(true));
    }
}

/// The container `name` wherever it is (init, app or ephemeral containers).
fn container_mut<'a>(pod: &'a mut Value, name: &str) -> Option<&'a mut Value> {
    let spec = pod.get_mut("spec")?.as_object_mut()?;
    spec.iter_mut()
        .filter(|(k, _)| matches!(k.as_str(), "initContainers" | "containers" | "ephemeralContainers"))
        .filter_map(|(_, v)| v.as_array_mut())
        .flat_map(|l| l.iter_mut())
        .find(|c| c.str_at("name") == name)
}

fn clear_security_context(pod: &mut Value, name: &str) {
    if let Some(c) = container_mut(pod, name).and_then(Value::as_object_mut) {
        c.remove("securityContext");
    }
}

fn with_security_context(pod: &mut Value, name: &str, f: impl FnOnce(&mut Value)) {
    let Some(c) = container_mut(pod, name) else { return };
    if !c.get("securityContext").is_some_and(Value::is_object) {
        c["securityContext"] = json!({});
    }
    f(&mut c["securityContext"]);
}

fn add_capability(pod: &mut Value, name: &str, capability: &str) {
    with_security_context(pod, name, |sc| {
        if !sc.get("capabilities").is_some_and(Value::is_object) {
            sc["capabilities"] = json!({});
        }
        let mut add = sc["capabilities"].array_at("add").to_vec();
        add.push(json!(capability));
        sc["capabilities"]["add"] = Value::Array(add);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod() -> Value {
        json!({"metadata": {"name": "p", "labels": {"a": "b"}, "annotations": {"x": "y"}},
               "spec": {"containers": [{"name": "app", "livenessProbe": {}}, {"name": "dbg"}],
                        "initContainers": [{"name": "init"}]}})
    }

    #[test]
    fn legacy_copies_lose_their_labels_only() {
        let mut p = pod();
        Profile::parse("legacy", Keep { labels: true, ..Keep::default() }).unwrap().apply(&mut p, "dbg", Style::Copy);
        assert_eq!(p["metadata"], json!({"name": "p", "annotations": {"x": "y"}}));
        assert!(p.at("spec.initContainers").is_some() && p.at("spec.shareProcessNamespace").is_none());
    }

    #[test]
    fn general_copies_trace_processes_and_share_them() {
        let mut p = pod();
        Profile::parse("general", Keep::default()).unwrap().apply(&mut p, "dbg", Style::Copy);
        assert_eq!(p["metadata"], json!({"name": "p"}));
        assert_eq!(p["spec"]["containers"][0], json!({"name": "app"}));
        assert_eq!(p["spec"]["containers"][1]["securityContext"], json!({"capabilities": {"add": ["SYS_PTRACE"]}}));
        assert_eq!(p.at("spec.shareProcessNamespace"), Some(&json!(true)));
        assert!(p.at("spec.initContainers").is_none());
    }

    #[test]
    fn node_pods_get_the_host_root_and_namespaces() {
        let mut p = json!({"spec": {"containers": [{"name": "debugger"}]}});
        Profile::parse("sysadmin", Keep::default()).unwrap().apply(&mut p, "debugger", Style::Node);
        assert_eq!(p.at("spec.volumes"), Some(&json!([{"name": "host-root", "hostPath": {"path": "/"}}])));
        assert_eq!(p["spec"]["containers"][0]["volumeMounts"], json!([{"mountPath": "/host", "name": "host-root"}]));
        assert_eq!(p["spec"]["containers"][0]["securityContext"], json!({"privileged": true}));
        assert_eq!((p["spec"]["hostPID"].clone(), p["spec"]["hostNetwork"].clone()), (json!(true), json!(true)));
    }

    #[test]
    fn unknown_profiles_are_refused() {
        assert_eq!(Profile::parse("root", Keep::default()).unwrap_err().to_string(), "error: unknown profile: root");
    }
}
