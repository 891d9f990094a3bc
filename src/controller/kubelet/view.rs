//! A container as the simulated runtime sees it: its image, its environment, its user, its
//! writable layer and its mounts, each backed by a volume in the store. `exec` and the kubelet's
//! probes both run commands in it. The view is rebuilt at each use, so what the kubelet keeps up
//! to date in a real pod (downward API files, ConfigMap and Secret volumes) is current here too.

use serde_json::Value;

use super::runtime::Runtime;
use crate::api::ObjectExt;
use crate::cluster::Cluster;
use crate::exec::{Container, PidNamespace};
use crate::Result;

mod atomic;
pub(super) mod downward;
mod mounts;
mod ownership;
mod payload;
pub(super) mod sources;

pub use mounts::SERVICE_ACCOUNT_DIR;

/// The store volume of a container's writable layer (gone when the container restarts).
pub fn layer_volume(pod: &Value, container: &str) -> String {
    format!("layer/{}/{container}", pod.uid())
}

/// What the store holds of a container's start: the environment and command line it started
/// with (none before its first start).
#[derive(Debug, Clone, Default)]
pub struct Started {
    pub env: Option<Vec<(String, String)>>,
    pub argv: Vec<String>,
}

impl Started {
    /// From a runtime state as loaded from the store.
    pub fn of(rt: &Runtime) -> Started {
        Started { env: rt.env.clone(), argv: rt.process.as_ref().map(|p| p.argv.clone()).unwrap_or_default() }
    }
}

/// The runtime view of `container` (a `spec.containers[]` entry) of `pod`.
pub fn container_view(cluster: &mut Cluster, pod: &Value, container: &Value) -> Result<Container> {
    let rt = super::runtime::load(cluster, pod.uid(), container.str_at("name"))?;
    let started = Started { env: rt.env, argv: rt.process.map(|p| p.argv).unwrap_or_default() };
    started_view(cluster, pod, container, started)
}

/// [`container_view`] from what the caller already read of the container's stored start.
pub fn started_view(cluster: &mut Cluster, pod: &Value, container: &Value, started: Started) -> Result<Container> {
    let name = container.str_at("name").to_string();
    // A started container keeps the environment and command line it started with.
    let env = match started.env {
        Some(env) => env,
        None => environment(cluster, pod, container)?,
    };
    // An attached container (`stdin: true`) starts no process of its own; `ps` still shows
    // its command line as PID 1.
    let main = match started.argv.is_empty() {
        true => super::sync::main_argv(container, &env),
        false => started.argv,
    };
    let user = User::of(pod, container);
    let mut mounts = mounts::mounts(cluster, pod, container, &env, user.fs_group)?;
    mounts.push(super::termination::mount(pod, container));
    let layer = layer_volume(pod, &name);
    cluster.note_new_volume(pod.uid(), &layer);
    let mut view = Container {
        pod_name: pod.name().to_string(),
        namespace: pod.namespace().to_string(),
        // A pod in the node's network namespace has the node's host name.
        hostname: match pod.str_at("spec.hostname") {
            _ if super::host_network(pod) => pod.str_at("spec.nodeName").to_string(),
            "" => pod.name().to_string(),
            h => h.to_string(),
        },
        subdomain: pod.str_at("spec.subdomain").to_string(),
        pod_ip: pod.str_at("status.podIP").to_string(),
        container_name: name.clone(),
        image: container.str_at("image").to_string(),
        env,
        layer,
        mounts,
        now: cluster.clock.now(),
        tty: false,
        uid: user.uid,
        gid: user.gid,
        groups: user.groups,
        read_only_root: user.read_only_root,
        main,
        memory_limit: memory_limit(cluster, pod, container)?,
        pids: None,
    };
    view.pids = pid_namespace(cluster, pod, &view)?;
    Ok(view)
}

/// The PID namespace `own` shares with the pod's other containers: all of the pod's running
/// containers behind the sandbox's `/pause` with `shareProcessNamespace`; the target's, whose
/// main process is PID 1, for an ephemeral container with `targetContainerName` (and for the
/// target, which sees those ephemeral containers' processes); else none.
fn pid_namespace(cluster: &mut Cluster, pod: &Value, own: &Container) -> Result<Option<PidNamespace>> {
    if pod.at("spec.shareProcessNamespace").and_then(Value::as_bool) != Some(true) {
        let ephemeral =
            pod.array_at("spec.ephemeralContainers").iter().find(|c| c.str_at("name") == own.container_name);
        let target = ephemeral.map(|c| c.str_at("targetContainerName")).unwrap_or_default();
        let spec = pod
            .array_at("spec.containers")
            .iter()
            .chain(pod.array_at("spec.initContainers"))
            .find(|c| !target.is_empty() && c.str_at("name") == target);
        if let Some(spec) = spec {
            let members = [process_view(cluster, pod, spec)?, own.clone()];
            return Ok(Some(crate::exec::shared_namespace(false, &members, 1)));
        }
        // A container that ephemeral containers target sees their processes after its own.
        let mut members = vec![own.clone()];
        for e in pod.array_at("spec.ephemeralContainers") {
            if e.str_at("targetContainerName") == own.container_name && running(pod, e.str_at("name")) {
                members.push(process_view(cluster, pod, e)?);
            }
        }
        if members.len() == 1 {
            return Ok(None);
        }
        return Ok(Some(crate::exec::shared_namespace(false, &members, 0)));
    }
    let sidecars = pod.array_at("spec.initContainers").iter().filter(|c| c.str_at("restartPolicy") == "Always");
    let specs: Vec<&Value> =
        sidecars.chain(pod.array_at("spec.containers")).chain(pod.array_at("spec.ephemeralContainers")).collect();
    let mut members = Vec::new();
    let mut index = 0;
    for spec in specs {
        let name = spec.str_at("name");
        if name == own.container_name {
            index = members.len();
            members.push(own.clone());
        } else if running(pod, name) {
            members.push(process_view(cluster, pod, spec)?);
        }
    }
    Ok(Some(crate::exec::shared_namespace(true, &members, index)))
}

/// Whether the pod's status shows the container running.
fn running(pod: &Value, name: &str) -> bool {
    ["status.initContainerStatuses", "status.containerStatuses", "status.ephemeralContainerStatuses"]
        .iter()
        .flat_map(|f| pod.array_at(f))
        .any(|s| s.str_at("name") == name && s.at("state.running").is_some())
}

/// Just enough of another container for `ps` to list its main process: image, command line, user.
fn process_view(cluster: &mut Cluster, pod: &Value, spec: &Value) -> Result<Container> {
    let rt = super::runtime::load(cluster, pod.uid(), spec.str_at("name"))?;
    let main = match rt.process {
        Some(p) => p.argv,
        None => super::sync::main_argv(spec, rt.env.as_deref().unwrap_or_default()),
    };
    let user = User::of(pod, spec);
    Ok(Container { image: spec.str_at("image").to_string(), main, uid: user.uid, ..Container::default() })
}

/// The bytes the container may use before the OOM killer ends it: its memory limit, else its
/// node's allocatable memory (what the node's cgroups leave to pods); 0 when neither is known.
fn memory_limit(cluster: &mut Cluster, pod: &Value, container: &Value) -> Result<u64> {
    use crate::api::quantity::Quantity;
    let amount = match container.at("resources.limits.memory").and_then(Quantity::from_json) {
        Some(q) => Some(q),
        None => {
            let key = crate::cluster::Key::new(&crate::api::kinds::NODE, "", pod.str_at("spec.nodeName"));
            cluster.get_ref(&key)?.and_then(|n| n.at("status.allocatable.memory").and_then(Quantity::from_json))
        }
    };
    Ok(amount.map_or(0, |q| u64::try_from(q.value_ceil()).unwrap_or(0)))
}

/// The environment the container started with. A container whose environment cannot be built
/// never starts (CreateContainerConfigError); should a command reach it anyway, it sees its
/// literal values only.
fn environment(cluster: &mut Cluster, pod: &Value, container: &Value) -> Result<Vec<(String, String)>> {
    Ok(super::env::container_env(cluster, pod, container)?.unwrap_or_else(|_| {
        container
            .array_at("env")
            .iter()
            .filter(|e| e.get("value").is_some())
            .map(|e| (e.str_at("name").to_string(), e.str_at("value").to_string()))
            .collect()
    }))
}

/// Who the container's processes are, from the pod's and the container's `securityContext`
/// (the container's fields win).
struct User {
    uid: u32,
    gid: u32,
    groups: Vec<u32>,
    fs_group: Option<u32>,
    read_only_root: bool,
}

impl User {
    fn of(pod: &Value, container: &Value) -> User {
        let id = |field: &str| {
            container
                .at(&format!("securityContext.{field}"))
                .or_else(|| pod.at(&format!("spec.securityContext.{field}")))
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
        };
        let fs_group =
            pod.at("spec.securityContext.fsGroup").and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok());
        let supplemental = pod
            .array_at("spec.securityContext.supplementalGroups")
            .iter()
            .filter_map(|g| g.as_u64().and_then(|n| u32::try_from(n).ok()));
        User {
            // The image's own USER is root for every catalogued image.
            uid: id("runAsUser").unwrap_or(0),
            // Without runAsGroup the primary group is root's, as the security-context task says.
            gid: id("runAsGroup").unwrap_or(0),
            groups: fs_group.into_iter().chain(supplemental).collect(),
            fs_group,
            read_only_root: container.at("securityContext.readOnlyRootFilesystem").and_then(Value::as_bool)
                == Some(true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_container_security_context_overrides_the_pods() {
        let pod = json!({"spec": {"securityContext": {"runAsUser": 1000, "runAsGroup": 3000, "fsGroup": 2000,
                                                      "supplementalGroups": [4000, 5000]}}});
        let plain = User::of(&pod, &json!({}));
        assert_eq!(
            (plain.uid, plain.gid, plain.groups, plain.fs_group),
            (1000, 3000, vec![2000, 4000, 5000], Some(2000))
        );
        assert!(!plain.read_only_root);
        let own = User::of(&pod, &json!({"securityContext": {"runAsUser": 2000, "readOnlyRootFilesystem": true}}));
        assert_eq!((own.uid, own.gid), (2000, 3000));
        assert!(own.read_only_root);
        let root = User::of(&json!({"spec": {"securityContext": {"runAsUser": -1}}}), &json!({}));
        assert_eq!((root.uid, root.gid, root.groups), (0, 0, vec![]));
    }
}
