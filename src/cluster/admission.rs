//! What the API server does to a request before it stores anything: namespace checks, names,
//! defaulting, validation, uids, timestamps, generation, finalizers, deletion semantics.

use serde_json::{json, Value};

use super::{Cluster, Key};
use crate::api::custom;
use crate::api::kinds::{self, Kind};
use crate::api::object::{remove_at, set_at};
use crate::api::{defaults, managed, strategy, validate, ObjectExt};
use crate::error::FieldError;
use crate::{Error, Result};

/// What happens to the dependents of a deleted object (`--cascade`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

const DS_TEMPLATE_GENERATION: &str = "deprecated.daemonset.template.generation";

/// Does the update change what `metadata.generation` counts? The spec for built-in kinds; for
/// custom resources everything but metadata (and status, when it has its own subresource).
fn generation_changes(old: &Value, new: &Value) -> bool {
    if !custom::is_custom(old.kind()) {
        return old.get("spec") != new.get("spec");
    }
    let skip = |k: &str| k == "metadata" || (k == "status" && custom::has_status(old.kind()));
    let strip = |v: &Value| -> Vec<(String, Value)> {
        v.as_object()
            .map(|m| m.iter().filter(|(k, _)| !skip(k)).map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    };
    strip(old) != strip(new)
}

/// Kinds whose spec changes bump `metadata.generation`.
fn has_generation(kind: &str) -> bool {
    matches!(
        kind,
        "StatefulSet"
            | "Deployment"
            | "ReplicaSet"
            | "ReplicationController"
            | "DaemonSet"
            | "Job"
            | "CronJob"
            | "CustomResourceDefinition"
            | "NetworkPolicy"
            | "Ingress"
            | "IngressClass"
    ) || kind.starts_with("VolumeSnapshot")
        || custom::is_custom(kind)
}

impl Cluster {
    /// The kind of an object, or the error kubectl shows for a kind kstate does not serve.
    pub fn kind_of(obj: &Value) -> Result<&'static Kind> {
        kinds::by_kind(obj.kind())
            .ok_or_else(|| Error::cli(format!("the server doesn't have a resource type \"{}\"", obj.kind())))
    }

    /// Creates an object as `POST` does: returns the stored object.
    pub fn create(&mut self, mut obj: Value, namespace: &str) -> Result<std::rc::Rc<Value>> {
        let kind = Cluster::kind_of(&obj)?;
        self.record_change_cause(&mut obj);
        self.admit_namespace(kind, &mut obj, namespace)?;
        if kind.kind == "Pod" {
            // Mutating admission sees the object before its name is generated.
            self.admit_service_account(&obj)?;
            self.admit_priority(&mut obj)?;
        }
        self.generate_name(&mut obj);
        defaults::apply(&mut obj);
        if kind.kind == "PersistentVolumeClaim" {
            defaults::normalize_data_sources(&mut obj);
        }
        if kind.kind == "Pod" {
            self.limit_ranger_defaults(&mut obj)?;
        }
        validate::validate_create(&obj)?;
        custom::to_preferred_version(&mut obj);
        let key = Key::new(kind, obj.namespace(), obj.name());
        if self.get_ref(&key)?.is_some() {
            return Err(Error::AlreadyExists { resource: kind.resource(), name: key.name });
        }
        self.stamp_new(kind, &mut obj);
        // The API server's create handler records the writer's fields before mutating admission
        // and the storage strategy run: what they add (the token volume, tolerations, a cluster
        // IP, finalizers) belongs to no manager, so a server-side apply never removes it.
        self.record_manager(None, &mut obj);
        self.initial_state(kind, &mut obj)?;
        // The validating admission plugins, ResourceQuota last: they see the generated name.
        self.limit_ranger_check(kind, &obj)?;
        self.admit_quota(kind, &obj)?;
        let created = self.store_object(obj, Propagation::Background)?;
        if kind.kind == "Namespace" {
            self.publish_root_ca(created.name())?;
        }
        Ok(created)
    }

    /// The root-CA publisher puts the cluster's CA bundle into every namespace.
    fn publish_root_ca(&mut self, namespace: &str) -> Result<()> {
        let bundle = "-----BEGIN CERTIFICATE-----\nkstate simulated cluster CA\n-----END CERTIFICATE-----\n";
        let cm = json!({
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "kube-root-ca.crt",
                         "annotations": {"kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."}},
            "data": {"ca.crt": bundle},
        });
        self.create(cm, namespace)?;
        Ok(())
    }

    fn admit_namespace(&mut self, kind: &Kind, obj: &mut Value, namespace: &str) -> Result<()> {
        if !kind.namespaced {
            remove_at(obj, "metadata.namespace");
            return Ok(());
        }
        let given = obj.namespace().to_string();
        if !given.is_empty() && given != namespace {
            return Err(Error::cli(format!(
                "the namespace from the provided object \"{given}\" does not match the namespace \"{namespace}\". You must pass '--namespace={given}' to perform this operation."
            )));
        }
        set_at(obj, "metadata.namespace", Value::String(namespace.to_string()));
        let ns = self.get_ref(&Key::new(&kinds::NAMESPACE, "", namespace))?;
        match ns {
            None => Err(Error::not_found("namespaces", namespace)),
            Some(ns) if ns.is_deleting() => Err(Error::Forbidden(format!(
                "{} \"{}\" is forbidden: unable to create new content in namespace {namespace} because it is being terminated",
                kind.resource(),
                obj.name()
            ))),
            Some(_) => Ok(()),
        }
    }

    fn generate_name(&mut self, obj: &mut Value) {
        let prefix = obj.str_at("metadata.generateName").to_string();
        if obj.name().is_empty() && !prefix.is_empty() {
            let name = format!("{prefix}{}", self.ids.name_suffix());
            set_at(obj, "metadata.name", Value::String(name));
        }
    }

    /// uid, creationTimestamp, generation: what every new object gets.
    fn stamp_new(&mut self, kind: &Kind, obj: &mut Value) {
        let uid = self.ids.uid();
        self.note_created(&uid);
        set_at(obj, "metadata.uid", Value::String(uid));
        set_at(obj, "metadata.creationTimestamp", Value::String(self.clock.now_rfc3339()));
        remove_at(obj, "metadata.resourceVersion");
        remove_at(obj, "metadata.deletionTimestamp");
        if has_generation(kind.kind) {
            set_at(obj, "metadata.generation", json!(1));
        }
        if obj.get("apiVersion").and_then(Value::as_str).is_none() {
            obj["apiVersion"] = Value::String(kind.api_version());
        }
    }

    /// The status a new object starts with, and what admission plugins add.
    fn initial_state(&mut self, kind: &Kind, obj: &mut Value) -> Result<()> {
        match kind.kind {
            "Pod" => {
                self.mount_service_account(obj)?;
                add_default_tolerations(obj);
                obj["status"] = json!({"phase": "Pending", "qosClass": qos_class(obj)});
                // The pod strategy's `applySchedulingGatedCondition` (times left unset).
                if !obj.array_at("spec.schedulingGates").is_empty() {
                    obj["status"]["conditions"] = json!([{"lastProbeTime": null, "lastTransitionTime": null,
                        "message": "Scheduling is blocked due to non-empty scheduling gates",
                        "reason": "SchedulingGated", "status": "False", "type": "PodScheduled"}]);
                }
            }
            "PersistentVolumeClaim" => {
                add_finalizer(obj, "kubernetes.io/pvc-protection");
                self.default_storage_class(obj)?;
                obj["status"] = json!({"phase": "Pending"});
            }
            "PersistentVolume" => {
                add_finalizer(obj, "kubernetes.io/pv-protection");
                obj["status"] = json!({"phase": "Pending"});
            }
            "Namespace" => {
                obj["status"] = json!({"phase": "Active"});
            }
            "StatefulSet" => {
                obj["status"] = json!({"availableReplicas": 0, "replicas": 0});
            }
            "Job" => crate::api::defaults::job_selector(obj),
            // The counts without `omitempty` in their Go structs show as 0 from the start.
            "Deployment" | "CronJob" | "HorizontalPodAutoscaler" => {
                obj["status"] = json!({});
            }
            "ReplicaSet" | "ReplicationController" => {
                obj["status"] = json!({"replicas": 0});
            }
            "DaemonSet" => {
                obj["status"] = json!({"currentNumberScheduled": 0, "desiredNumberScheduled": 0,
                    "numberMisscheduled": 0, "numberReady": 0});
                crate::api::object::set_annotation(obj, DS_TEMPLATE_GENERATION, "1");
            }
            "Service" => self.allocate_cluster_ip(obj)?,
            "PriorityClass" => {
                self.admit_priority_class(obj, true)?;
                set_at(obj, "metadata.generation", json!(1));
            }
            "Secret" => secret_data(obj),
            // The quota controller fills in status (`PrepareForCreate` clears it).
            "ResourceQuota" => {
                remove_at(obj, "status");
            }
            "Ingress" => {
                self.default_ingress_class(obj)?;
                obj["status"] = json!({"loadBalancer": {}});
            }
            "CustomResourceDefinition" => custom::admit_definition(obj, &self.clock.now_rfc3339(), None),
            other if custom::has_status(other) => {
                // The main resource of a kind with the status subresource cannot set status.
                if let Some(m) = obj.as_object_mut() {
                    m.remove("status");
                }
            }
            "PodDisruptionBudget" => {
                set_at(obj, "metadata.generation", json!(1));
                obj["status"] =
                    json!({"currentHealthy": 0, "desiredHealthy": 0, "disruptionsAllowed": 0, "expectedPods": 0});
            }
            _ => {}
        }
        Ok(())
    }

    /// The DefaultIngressClass admission plugin: an Ingress naming no class (neither
    /// `ingressClassName` nor the legacy annotation) gets the default IngressClass, the newest
    /// when several claim to be it.
    fn default_ingress_class(&mut self, ing: &mut Value) -> Result<()> {
        let named = ing.at("spec.ingressClassName").is_some_and(|v| !v.is_null())
            || ing.annotation("kubernetes.io/ingress.class").is_some();
        if named {
            return Ok(());
        }
        let default = self
            .list(&kinds::INGRESSCLASS, None)?
            .into_iter()
            .filter(|c| c.annotation("ingressclass.kubernetes.io/is-default-class") == Some("true"))
            .max_by(|a, b| a.str_at("metadata.creationTimestamp").cmp(b.str_at("metadata.creationTimestamp")));
        if let Some(class) = default {
            set_at(ing, "spec.ingressClassName", json!(class.name()));
        }
        Ok(())
    }

    /// The ServiceAccount admission plugin: the `default` account and its projected token volume,
    /// mounted read-only into every container.
    fn mount_service_account(&mut self, pod: &mut Value) -> Result<()> {
        if pod.str_at("spec.serviceAccountName").is_empty() {
            set_at(pod, "spec.serviceAccountName", json!("default"));
        }
        let account = pod.str_at("spec.serviceAccountName").to_string();
        set_at(pod, "spec.serviceAccount", json!(account));
        let sa = self.get_ref(&Key::new(&kinds::SERVICEACCOUNT, pod.namespace(), &account))?.cloned();
        // The account's pull secrets, when the pod names none.
        let pull = sa.as_ref().map(|sa| sa.array_at("imagePullSecrets").to_vec()).unwrap_or_default();
        if pod.array_at("spec.imagePullSecrets").is_empty() && !pull.is_empty() {
            set_at(pod, "spec.imagePullSecrets", Value::Array(pull));
        }
        // `shouldAutomount`: the pod's own setting, else the account's, else true.
        let automount = pod
            .at("spec.automountServiceAccountToken")
            .or_else(|| sa.as_ref().and_then(|sa| sa.at("automountServiceAccountToken")))
            .and_then(Value::as_bool);
        if automount == Some(false) {
            return Ok(());
        }
        // A pod that already has a token volume (a copy made by `kubectl debug --copy-to`) gets
        // its containers mounted from it; only a pod without one gets a new volume.
        let existing = pod
            .array_at("spec.volumes")
            .iter()
            .map(|v| v.str_at("name"))
            .find(|n| n.starts_with("kube-api-access-"))
            .map(String::from);
        let name = match &existing {
            Some(n) => n.clone(),
            None => format!("kube-api-access-{}", self.ids.name_suffix()),
        };
        let volume = json!({
            "name": name,
            "projected": {
                "defaultMode": 420,
                "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                    {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}},
                ],
            },
        });
        if existing.is_none() {
            let mut volumes = pod.array_at("spec.volumes").to_vec();
            volumes.push(volume);
            set_at(pod, "spec.volumes", Value::Array(volumes));
        }
        let mount =
            json!({"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": name, "readOnly": true});
        for list in ["/spec/initContainers", "/spec/containers"] {
            let Some(containers) = pod.pointer_mut(list).and_then(Value::as_array_mut) else { continue };
            for c in containers {
                let mut mounts = c.array_at("volumeMounts").to_vec();
                if !mounts.iter().any(|m| m.str_at("mountPath") == "/var/run/secrets/kubernetes.io/serviceaccount") {
                    mounts.push(mount.clone());
                    c["volumeMounts"] = Value::Array(mounts);
                }
            }
        }
        Ok(())
    }

    /// The ServiceAccount admission plugin's check: the pod's account must exist. The `default`
    /// account is taken on trust: the service accounts controller makes it with its namespace,
    /// in the same command's controller pass (a real server waits for it the same way).
    fn admit_service_account(&mut self, pod: &Value) -> Result<()> {
        let account = match pod.str_at("spec.serviceAccountName") {
            "" => "default",
            a => a,
        };
        if account == crate::controller::serviceaccount::DEFAULT_ACCOUNT {
            return Ok(());
        }
        let key = Key::new(&kinds::SERVICEACCOUNT, pod.namespace(), account);
        if self.get_ref(&key)?.is_some() {
            return Ok(());
        }
        let name = match pod.name() {
            "" => pod.str_at("metadata.generateName"),
            n => n,
        };
        Err(Error::Forbidden(format!(
            "pods \"{name}\" is forbidden: error looking up service account {}/{account}: serviceaccount \"{account}\" not found",
            pod.namespace()
        )))
    }

    /// The DefaultStorageClass admission plugin: an absent class becomes the default one.
    fn default_storage_class(&mut self, pvc: &mut Value) -> Result<()> {
        if pvc.at("spec.storageClassName").is_some() {
            return Ok(());
        }
        if let Some(name) = self.default_class_name()? {
            set_at(pvc, "spec.storageClassName", Value::String(name));
        }
        Ok(())
    }

    /// The default StorageClass: the newest one annotated default, ties broken by name.
    pub fn default_class_name(&mut self) -> Result<Option<String>> {
        self.load(&kinds::STORAGECLASS, None)?;
        let mut best: Option<(i64, String)> = None;
        for sc in self.iter(&kinds::STORAGECLASS, None) {
            let default =
                ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"]
                    .iter()
                    .any(|k| sc.annotation(k) == Some("true"));
            if !default {
                continue;
            }
            let created = sc.created().unwrap_or(0);
            let better = match &best {
                None => true,
                Some((t, n)) => created > *t || (created == *t && sc.name() < n.as_str()),
            };
            if better {
                best = Some((created, sc.name().to_string()));
            }
        }
        Ok(best.map(|(_, n)| n))
    }

    fn allocate_cluster_ip(&mut self, svc: &mut Value) -> Result<()> {
        let requested = svc.str_at("spec.clusterIP").to_string();
        if requested == "None" {
            set_at(svc, "spec.clusterIPs", json!(["None"]));
        } else if svc.str_at("spec.type") != "ExternalName" {
            let ip = if requested.is_empty() { self.free_service_ip()? } else { requested };
            set_at(svc, "spec.clusterIP", Value::String(ip.clone()));
            set_at(svc, "spec.clusterIPs", json!([ip]));
        }
        if matches!(svc.str_at("spec.type"), "NodePort" | "LoadBalancer") {
            self.allocate_node_ports(svc)?;
        }
        svc["status"] = json!({"loadBalancer": {}});
        Ok(())
    }

    /// Gives every port of a NodePort or LoadBalancer service a free port in 30000-32767.
    fn allocate_node_ports(&mut self, svc: &mut Value) -> Result<()> {
        self.load(&kinds::SERVICE, None)?;
        let (ns, own) = (svc.namespace().to_string(), svc.name().to_string());
        // Other services' ports: on an update the service's own stored ports are its to keep.
        let mut used: foldhash::HashSet<i64> = self
            .iter(&kinds::SERVICE, None)
            .filter(|s| s.namespace() != ns || s.name() != own)
            .flat_map(|s| {
                let ports = s.array_at("spec.ports").iter().filter_map(|p| p.i64_at("nodePort"));
                ports.chain(s.i64_at("spec.healthCheckNodePort")).collect::<Vec<_>>()
            })
            .collect();
        let name = svc.name().to_string();
        let Some(ports) = svc.pointer_mut("/spec/ports").and_then(Value::as_array_mut) else { return Ok(()) };
        // The requested ports first, as the registry's `initNodePorts` does: the first one out of
        // range or taken by another service refuses the create.
        let mut requested = foldhash::HashSet::default();
        for (i, port) in ports.iter().enumerate() {
            let Some(n) = port.i64_at("nodePort").filter(|n| *n != 0) else { continue };
            let problem = if !(30_000..=32_767).contains(&n) {
                "provided port is not in the valid range. The range of valid ports is 30000-32767"
            } else if used.contains(&n) && !requested.contains(&n) {
                "provided port is already allocated"
            } else {
                requested.insert(n);
                continue;
            };
            let cause = crate::error::FieldError::invalid(format!("spec.ports[{i}].nodePort"), &n.to_string(), problem);
            return Err(Error::Invalid { kind: "Service".into(), group: String::new(), name, causes: vec![cause] });
        }
        used.extend(requested);
        for port in ports {
            if port.i64_at("nodePort").is_some_and(|n| n != 0) {
                continue;
            }
            let free = (0..10_000).map(|_| 30_000 + self.ids.below(2_768) as i64).find(|n| !used.contains(n));
            let n = free.ok_or_else(|| {
                Error::Raw("Internal error occurred: failed to allocate a nodePort: range is full".into())
            })?;
            used.insert(n);
            port["nodePort"] = json!(n);
        }
        // A LoadBalancer with `externalTrafficPolicy: Local` gets a port for the load balancer's
        // health checks too (`allocHealthCheckNodePort`).
        if crate::api::strategy::needs_health_check_port(svc)
            && svc.i64_at("spec.healthCheckNodePort").unwrap_or(0) == 0
        {
            let free = (0..10_000).map(|_| 30_000 + self.ids.below(2_768) as i64).find(|n| !used.contains(n));
            let n = free.ok_or_else(|| {
                Error::Raw("Internal error occurred: failed to allocate a nodePort: range is full".into())
            })?;
            set_at(svc, "spec.healthCheckNodePort", json!(n));
        }
        Ok(())
    }

    /// A free address in the service range 10.96.0.0/16, picked at random as the allocator does.
    fn free_service_ip(&mut self) -> Result<String> {
        self.load(&kinds::SERVICE, None)?;
        let used: foldhash::HashSet<String> =
            self.iter(&kinds::SERVICE, None).map(|s| s.str_at("spec.clusterIP").to_string()).collect();
        for _ in 0..10_000 {
            let n = self.ids.below(65_534) + 1;
            let ip = format!("10.96.{}.{}", n / 256, n % 256);
            if n % 256 != 0 && n % 256 != 255 && n > 10 && !used.contains(&ip) {
                return Ok(ip);
            }
        }
        Err(Error::Raw("Internal error occurred: failed to allocate a serviceIP: range is full".into()))
    }

    /// Replaces an object as `PUT` does, keeping identity and bumping generation on spec changes.
    pub fn update(&mut self, mut obj: Value) -> Result<Value> {
        let kind = Cluster::kind_of(&obj)?;
        self.record_change_cause(&mut obj);
        let key = Key::new(kind, obj.namespace(), obj.name());
        let old = self.get(&key)?.ok_or_else(|| Error::not_found(&kind.resource(), &key.name))?;
        // The registry parses the version as a number: 0 (or none) is an unconditional update,
        // which the built-in kinds' strategies allow (AllowUnconditionalUpdate).
        let precondition = obj.str_at("metadata.resourceVersion");
        let unconditional = precondition.is_empty() || precondition == "0";
        if !unconditional && precondition != old.str_at("metadata.resourceVersion") {
            return Err(Error::Conflict { resource: kind.resource(), name: key.name });
        }
        strategy::prepare_update(&old, &mut obj);
        if kind.kind == "Pod" {
            super::priority::keep_priority(&old, &mut obj);
        }
        defaults::apply(&mut obj);
        validate::validate_update(&old, &obj)?;
        // A service that becomes NodePort or LoadBalancer gets node ports for the ports that
        // have none (the registry's `allocateUpdate`).
        if kind.kind == "Service" && matches!(obj.str_at("spec.type"), "NodePort" | "LoadBalancer") {
            self.allocate_node_ports(&mut obj)?;
        }
        if kind.kind == "PriorityClass" {
            self.admit_priority_class(&obj, false)?;
        }
        custom::to_preferred_version(&mut obj);
        if kind.kind == "PersistentVolumeClaim" {
            crate::controller::admit_resize(self, &old, &obj)?;
        }
        for field in ["uid", "creationTimestamp", "deletionTimestamp", "generation"] {
            match old.at(&format!("metadata.{field}")) {
                Some(v) => set_at(&mut obj, &format!("metadata.{field}"), v.clone()),
                None => {
                    remove_at(&mut obj, &format!("metadata.{field}"));
                }
            }
        }
        if kind.kind == custom::CRD {
            custom::admit_definition(&mut obj, &self.clock.now_rfc3339(), Some(&old));
        }
        if has_generation(kind.kind) && generation_changes(&old, &obj) {
            let next = old.i64_at("metadata.generation").unwrap_or(0) + 1;
            set_at(&mut obj, "metadata.generation", json!(next));
            // The DaemonSet strategy records the generation of each new pod template.
            if kind.kind == "DaemonSet" && old.at("spec.template") != obj.at("spec.template") {
                crate::api::object::set_annotation(&mut obj, DS_TEMPLATE_GENERATION, &next.to_string());
            }
        }
        // An update that changes nothing is no write at all (no new resourceVersion, no watch
        // event), as the API server's GuaranteedUpdate finds: controllers have nothing to react to.
        if unchanged(&old, &obj) {
            return Ok(old);
        }
        self.record_manager(Some(&old), &mut obj);
        // The registry's ShouldDeleteDuringUpdate: an object waiting for its finalizers whose
        // update removes the last of them is deleted by that update.
        let finished = obj.is_deleting()
            && obj.finalizers().is_empty()
            && !old.finalizers().is_empty()
            && old.i64_at("metadata.deletionGracePeriodSeconds") == Some(0);
        let written = self.write(obj, Propagation::Background)?;
        if finished {
            self.erase(&key, Propagation::Background)?;
        }
        Ok(written)
    }

    /// `--record`: kubectl's recorder sets the annotation on every object the command sends.
    fn record_change_cause(&self, obj: &mut Value) {
        if let Some(cause) = &self.change_cause {
            crate::api::object::set_annotation(obj, "kubernetes.io/change-cause", cause);
        }
    }

    /// managedFields: the command's field manager owns what it wrote; a write without a manager
    /// (a controller's, or a server-side apply that computed them) keeps what it carries, else
    /// what the stored object had.
    fn record_manager(&self, old: Option<&Value>, obj: &mut Value) {
        match self.field_manager.as_deref() {
            Some(manager) => {
                let api_version = obj.str_at("apiVersion").to_string();
                let time = self.clock.now_rfc3339();
                let writer = managed::Writer { manager, api_version: &api_version, time: &time };
                managed::record_update(old, obj, writer);
            }
            None => {
                let kept = old.and_then(|o| o.pointer("/metadata/managedFields")).cloned();
                if let (Some(list), None) = (kept, obj.pointer("/metadata/managedFields")) {
                    set_at(obj, "metadata.managedFields", list);
                }
            }
        }
    }

    /// An update through a pod's `ephemeralcontainers` subresource: only `spec.ephemeralContainers`
    /// is taken from `updated` (the rest of the spec cannot change this way); existing ephemeral
    /// containers cannot change or go, new ones get the API server's defaults and checks.
    pub fn update_ephemeral_containers(&mut self, live: &Value, updated: &Value) -> Result<std::rc::Rc<Value>> {
        let old = live.array_at("spec.ephemeralContainers");
        let mut list = updated.array_at("spec.ephemeralContainers").to_vec();
        let regular: Vec<&str> = live
            .array_at("spec.containers")
            .iter()
            .chain(live.array_at("spec.initContainers"))
            .map(|c| c.str_at("name"))
            .collect();
        // The new spec is validated first (names, targets), then what changed in the old list.
        let mut causes = Vec::new();
        let mut seen: Vec<String> = regular.iter().map(|n| n.to_string()).collect();
        for (i, c) in list.iter_mut().enumerate() {
            let name = c.str_at("name").to_string();
            let field = format!("spec.ephemeralContainers[{i}]");
            if seen.contains(&name) {
                causes.push(FieldError {
                    field: format!("{field}.name"),
                    detail: format!("Duplicate value: \"{name}\""),
                });
            }
            seen.push(name.clone());
            if old.iter().any(|o| o.str_at("name") == name) {
                continue;
            }
            let target = c.str_at("targetContainerName").to_string();
            if !target.is_empty() && !regular.contains(&target.as_str()) {
                causes.push(FieldError::not_found(format!("{field}.targetContainerName"), &format!("\"{target}\"")));
            }
            if c.str_at("image").is_empty() {
                causes.push(FieldError::required(format!("{field}.image"), ""));
            }
            defaults::ephemeral_container(c);
        }
        for o in old {
            let name = o.str_at("name");
            match list.iter().find(|c| c.str_at("name") == name) {
                None => causes.push(FieldError::forbidden(
                    "spec.ephemeralContainers",
                    &format!("existing ephemeral containers \"{name}\" may not be removed"),
                )),
                Some(c) if !same_container(c, o) => causes.push(FieldError::forbidden(
                    "spec.ephemeralContainers",
                    &format!("existing ephemeral containers \"{name}\" may not be changed"),
                )),
                Some(_) => {}
            }
        }
        if !causes.is_empty() {
            return Err(Error::Invalid {
                kind: "Pod".into(),
                group: String::new(),
                name: live.name().to_string(),
                causes,
            });
        }
        let mut pod = live.clone();
        set_at(&mut pod, "spec.ephemeralContainers", Value::Array(list));
        self.update_status(pod)
    }

    /// Writes an object a controller changed (status or metadata), without re-validating the spec.
    pub fn update_status(&mut self, obj: Value) -> Result<std::rc::Rc<Value>> {
        self.store_object(obj, Propagation::Background)
    }

    /// Deletes as `DELETE` does. Objects with finalizers, and pods (graceful termination), get a
    /// deletionTimestamp and stay until their finalizers are gone; the rest are removed at once.
    pub fn delete(&mut self, key: &Key, propagation: Propagation, grace_seconds: Option<i64>) -> Result<Value> {
        let kind = kinds::by_kind(key.kind).ok_or_else(|| Error::cli("unknown kind"))?;
        // The NamespaceLifecycle plugin's immortal namespaces.
        if key.kind == "Namespace" && matches!(key.name.as_str(), "default" | "kube-system" | "kube-public") {
            return Err(Error::Forbidden(format!(
                "namespaces \"{}\" is forbidden: this namespace may not be deleted",
                key.name
            )));
        }
        // The PriorityClass REST refuses to delete the built-in classes.
        if key.kind == "PriorityClass" && validate::SYSTEM_CLASSES.iter().any(|(n, _, _)| *n == key.name) {
            return Err(Error::Forbidden(format!(
                "{} \"{}\" is forbidden: this is a system priority class and cannot be deleted",
                kind.resource(),
                key.name
            )));
        }
        let mut obj = self.get(key)?.ok_or_else(|| Error::not_found(&kind.resource(), &key.name))?;
        if key.kind == custom::CRD {
            self.delete_custom_resources(&obj)?;
        }
        // Only a pod on a node terminates gracefully; the kubelet then removes it.
        let graceful = key.kind == "Pod" && grace_seconds != Some(0) && !obj.str_at("spec.nodeName").is_empty();
        // A namespace's `kubernetes` finalizer keeps it Terminating while its content goes.
        let finalizing = key.kind == "Namespace" && !obj.array_at("spec.finalizers").is_empty();
        if obj.finalizers().is_empty() && !graceful && !finalizing {
            self.erase(key, propagation)?;
            return Ok(obj);
        }
        if !obj.is_deleting() {
            set_at(&mut obj, "metadata.deletionTimestamp", Value::String(self.clock.now_rfc3339()));
            if key.kind == "Pod" {
                let grace = grace_seconds.or_else(|| obj.i64_at("spec.terminationGracePeriodSeconds")).unwrap_or(30);
                set_at(&mut obj, "metadata.deletionGracePeriodSeconds", json!(grace));
            } else if key.kind != "Namespace" {
                // `BeforeDelete` of a kind without graceful deletion: the finalizers alone wait.
                set_at(&mut obj, "metadata.deletionGracePeriodSeconds", json!(0));
            }
            if key.kind == "Namespace" {
                set_at(&mut obj, "status.phase", Value::String("Terminating".into()));
            }
            obj = self.write(obj, propagation)?;
        }
        Ok(obj)
    }

    /// The apiextensions finalizer's work: a deleted CustomResourceDefinition takes every object
    /// of its kind with it.
    fn delete_custom_resources(&mut self, crd: &Value) -> Result<()> {
        let kind_name = crd.str_at("spec.names.kind");
        let Some(kind) = custom::definition(kind_name).map(|d| d.kind()) else { return Ok(()) };
        self.load(kind, None)?;
        let keys: Vec<Key> = self.iter(kind, None).map(|o| Key::new(kind, o.namespace(), o.name())).collect();
        for k in keys {
            self.erase(&k, Propagation::Background)?;
        }
        Ok(())
    }

    /// Removes `finalizer`; an object being deleted goes once none are left.
    pub fn remove_finalizer(&mut self, key: &Key, finalizer: &str) -> Result<()> {
        let Some(mut obj) = self.get(key)? else { return Ok(()) };
        let before = obj.finalizers();
        let after: Vec<String> = before.iter().filter(|f| *f != finalizer).cloned().collect();
        if after.len() == before.len() {
            return self.finish_deletion(key);
        }
        if after.is_empty() {
            remove_at(&mut obj, "metadata.finalizers");
        } else {
            set_at(&mut obj, "metadata.finalizers", json!(after));
        }
        self.write(obj, Propagation::Background)?;
        self.finish_deletion(key)
    }

    /// Removes a deleted object whose finalizers are all gone.
    pub fn finish_deletion(&mut self, key: &Key) -> Result<()> {
        if let Some(obj) = self.get_ref(key)? {
            if obj.is_deleting() && obj.finalizers().is_empty() {
                self.erase(key, Propagation::Background)?;
            }
        }
        Ok(())
    }
}

pub(crate) fn add_finalizer(obj: &mut Value, finalizer: &str) {
    let mut list = obj.finalizers();
    if !list.iter().any(|f| f == finalizer) {
        list.push(finalizer.to_string());
        set_at(obj, "metadata.finalizers", json!(list));
    }
}

/// A Secret's `stringData` is written into `data`, base64-encoded, as the API server does; the
/// type defaults to Opaque.
fn secret_data(secret: &mut Value) {
    if let Some(Value::Object(plain)) = secret.as_object_mut().and_then(|m| m.remove("stringData")) {
        for (k, v) in plain {
            let text = v.as_str().unwrap_or_default().to_string();
            entry_data(secret)[k] = Value::String(crate::base64::encode(text.as_bytes()));
        }
    }
    if secret.get("type").is_none() {
        secret["type"] = json!("Opaque");
    }
}

fn entry_data(secret: &mut Value) -> &mut Value {
    if !secret.get("data").is_some_and(Value::is_object) {
        secret["data"] = json!({});
    }
    &mut secret["data"]
}

/// The DefaultTolerationSeconds admission plugin: tolerate an unready or unreachable node 300s,
/// unless the pod already tolerates it.
fn add_default_tolerations(pod: &mut Value) {
    let mut tolerations = pod.array_at("spec.tolerations").to_vec();
    for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
        // A toleration without a key (or effect) covers the taint too (`operator: Exists` alone,
        // as kubectl debug's node pods carry).
        let tolerated = |t: &Value| {
            matches!(t.str_at("key"), k if k == key || k.is_empty()) && matches!(t.str_at("effect"), "NoExecute" | "")
        };
        if !tolerations.iter().any(tolerated) {
            tolerations
                .push(json!({"effect": "NoExecute", "key": key, "operator": "Exists", "tolerationSeconds": 300}));
        }
    }
    set_at(pod, "spec.tolerations", Value::Array(tolerations));
}

/// The pod's QoS class from its containers' requests and limits.
fn qos_class(pod: &Value) -> &'static str {
    let containers = pod.array_at("spec.containers");
    let mut any = false;
    let mut guaranteed = !containers.is_empty();
    for c in containers {
        let req = c.at("resources.requests").and_then(Value::as_object);
        let lim = c.at("resources.limits").and_then(Value::as_object);
        any |= req.is_some_and(|m| !m.is_empty()) || lim.is_some_and(|m| !m.is_empty());
        let full = lim.is_some_and(|l| l.contains_key("cpu") && l.contains_key("memory"));
        let same = match (req, lim) {
            (Some(r), Some(l)) => r.iter().all(|(k, v)| l.get(k) == Some(v)),
            _ => true,
        };
        guaranteed &= full && same;
    }
    if guaranteed {
        "Guaranteed"
    } else if any {
        "Burstable"
    } else {
        "BestEffort"
    }
}

/// The same object but for the resourceVersion a client sent.
fn unchanged(old: &Value, new: &Value) -> bool {
    let (Some(a), Some(b)) = (old.as_object(), new.as_object()) else { return false };
    a.len() == b.len()
        && a.iter().all(|(k, v)| match (k.as_str(), b.get(k)) {
            ("metadata", Some(m)) => same_but_version(v, m),
            (_, other) => other == Some(v),
        })
}

fn same_but_version(a: &Value, b: &Value) -> bool {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else { return a == b };
    let rest = |m: &serde_json::Map<String, Value>| m.iter().filter(|(k, _)| *k != "resourceVersion").count();
    rest(a) == rest(b) && a.iter().filter(|(k, _)| *k != "resourceVersion").all(|(k, v)| b.get(k) == Some(v))
}

/// Whether an ephemeral container is unchanged (the defaults a client may leave out aside).
fn same_container(new: &Value, old: &Value) -> bool {
    let mut n = new.clone();
    defaults::ephemeral_container(&mut n);
    n == *old
}
