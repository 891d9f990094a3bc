//! Pod spec validation as a v1.32 API server does it for pods and the pod templates of every
//! workload (pkg/apis/core/validation `ValidatePodSpec`): env var names under the relaxed v1.32
//! rule, affinity topology keys, hostname and subdomain, volume sources, probes, resources,
//! tolerations, topology spread, init-container hooks, DNS config; and Services
//! (`ValidateService`) and PVCs (`ValidatePersistentVolumeClaimSpec`). Each refused manifest
//! gives kubectl's message, exit 1, and changes nothing; a manifest using all of these correctly
//! is accepted.

use crate::harness::Cluster;

/// A Deployment `d` whose pod spec is `spec` (indented YAML under `spec:`).
fn deployment(spec: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d}}\nspec:\n  selector: {{matchLabels: {{app: d}}}}\n  template:\n    metadata: {{labels: {{app: d}}}}\n    spec:\n{spec}"
    )
}

/// A Pod `p` whose spec is `spec` (indented YAML under `spec:`).
fn pod(spec: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{spec}")
}

const QUALIFIED: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/// (case, resource, manifest, kubectl's stderr)
fn cases() -> Vec<(&'static str, &'static str, String, String)> {
    let env_eq = deployment(
        "      containers:\n      - name: c\n        image: nginx\n        env: [{name: \"A=B\", value: x}]\n",
    );
    let anti = deployment(
        "      containers: [{name: c, image: nginx}]\n      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n          - labelSelector: {matchLabels: {app: d}}\n",
    );
    let key =
        "spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey";
    vec![
        (
            "env-name",
            "deployments",
            env_eq,
            "The Deployment \"d\" is invalid: spec.template.spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='\n".into(),
        ),
        (
            "topology-key",
            "deployments",
            anti,
            format!("The Deployment \"d\" is invalid: \n* {key}: Required value: can not be empty\n* {key}: Invalid value: \"\": name part must be non-empty\n* {key}: Invalid value: \"\": {QUALIFIED}\n"),
        ),
        (
            "hostname",
            "pods",
            pod("  hostname: My_Host\n  subdomain: web.x\n  containers: [{name: c, image: nginx}]\n"),
            format!("The Pod \"p\" is invalid: \n* spec.hostname: Invalid value: \"My_Host\": {LABEL}\n* spec.subdomain: Invalid value: \"web.x\": {LABEL}\n"),
        ),
        (
            "volumes",
            "pods",
            pod("  containers: [{name: c, image: nginx}]\n  volumes:\n  - {name: s, secret: {}}\n  - name: m\n    configMap: {name: cm, items: [{key: a, path: /etc/a}]}\n  - {name: c, persistentVolumeClaim: {}}\n"),
            "The Pod \"p\" is invalid: \n* spec.volumes[0].secret.secretName: Required value\n* spec.volumes[1].configMap.items[0].path: Invalid value: \"/etc/a\": must be a relative path\n* spec.volumes[2].persistentVolumeClaim.claimName: Required value\n".into(),
        ),
        (
            "probes",
            "pods",
            pod("  containers:\n  - name: c\n    image: nginx\n    livenessProbe: {httpGet: {port: 0}, successThreshold: 2}\n    readinessProbe: {exec: {}, periodSeconds: -1}\n"),
            "The Pod \"p\" is invalid: \n* spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive\n* spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1\n* spec.containers[0].readinessProbe.exec.command: Required value\n* spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0\n".into(),
        ),
        (
            "resource-name",
            "deployments",
            deployment("      containers:\n      - name: c\n        image: nginx\n        resources: {limits: {cpus: \"1\"}}\n"),
            "The Deployment \"d\" is invalid: \n* spec.template.spec.containers[0].resources.limits[cpus]: Invalid value: \"cpus\": must be a standard resource type or fully qualified\n* spec.template.spec.containers[0].resources.limits[cpus]: Invalid value: \"cpus\": must be a standard resource for containers\n".into(),
        ),
        (
            "extended-resources",
            "deployments",
            deployment("      containers:\n      - {name: a, image: cuda, resources: {requests: {nvidia.com/gpu: \"1\"}}}\n      - {name: b, image: cuda, resources: {requests: {nvidia.com/gpu: \"1\"}, limits: {nvidia.com/gpu: \"2\"}}}\n"),
            "The Deployment \"d\" is invalid: \n* spec.template.spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources\n* spec.template.spec.containers[1].resources.requests: Invalid value: \"1\": must be equal to nvidia.com/gpu limit of 2\n".into(),
        ),
        (
            "deadline",
            "deployments",
            deployment("      activeDeadlineSeconds: 600\n      containers: [{name: c, image: nginx}]\n"),
            "The Deployment \"d\" is invalid: spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported\n".into(),
        ),
        (
            "toleration",
            "pods",
            pod("  containers: [{name: c, image: nginx}]\n  tolerations: [{key: \"bad key\", operator: Exists, value: x}]\n"),
            format!("The Pod \"p\" is invalid: \n* spec.tolerations[0].key: Invalid value: \"bad key\": {QUALIFIED}\n* spec.tolerations[0].operator: Invalid value: \"x\": value must be empty when `operator` is 'Exists'\n"),
        ),
        (
            "spread",
            "jobs",
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n      topologySpreadConstraints:\n      - {maxSkew: 0, topologyKey: zone, whenUnsatisfiable: Sometimes}\n".into(),
            "The Job \"j\" is invalid: \n* spec.template.spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero\n* spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: \"Sometimes\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"\n".into(),
        ),
        (
            "cronjob-template",
            "cronjobs",
            "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec: {restartPolicy: Never, containers: [{name: c}]}\n".into(),
            "The CronJob \"cj\" is invalid: spec.jobTemplate.spec.template.spec.containers[0].image: Required value\n".into(),
        ),
        (
            "init-probe",
            "pods",
            pod("  initContainers: [{name: i, image: busybox, readinessProbe: {exec: {command: [\"true\"]}}}]\n  containers: [{name: c, image: nginx}]\n"),
            "The Pod \"p\" is invalid: spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always\n".into(),
        ),
        (
            "node-affinity",
            "daemonsets",
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds}\nspec:\n  selector: {matchLabels: {app: ds}}\n  template:\n    metadata: {labels: {app: ds}}\n    spec:\n      containers: [{name: c, image: nginx}]\n      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []}\n".into(),
            "The DaemonSet \"ds\" is invalid: spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term\n".into(),
        ),
        (
            "env-sources",
            "deployments",
            deployment("      containers:\n      - name: c\n        image: nginx\n        env: [{name: A, valueFrom: {configMapKeyRef: {name: cm}}}, {name: B, valueFrom: {fieldRef: {fieldPath: status.phase}}}]\n        envFrom: [{prefix: P_}]\n"),
            "The Deployment \"d\" is invalid: \n* spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Required value\n* spec.template.spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.phase\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\"\n* spec.template.spec.containers[0].envFrom: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`\n".into(),
        ),
        (
            "image-space",
            "pods",
            pod("  containers: [{name: c, image: \"nginx \"}]\n"),
            "The Pod \"p\" is invalid: spec.containers[0].image: Invalid value: \"nginx \": must not have leading or trailing whitespace\n".into(),
        ),
        (
            "dns-none",
            "pods",
            pod("  dnsPolicy: \"None\"\n  containers: [{name: c, image: nginx}]\n"),
            "The Pod \"p\" is invalid: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None\n".into(),
        ),
        (
            // As a v1.32 cluster answers a preStop sleep longer than the default grace period.
            "sleep-hook",
            "deployments",
            deployment("      containers:\n      - name: c\n        image: nginx\n        lifecycle: {preStop: {sleep: {seconds: 60}}}\n"),
            "The Deployment \"d\" is invalid: spec.template.spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be greater than 0 and less than terminationGracePeriodSeconds (30). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.\n".into(),
        ),
        (
            "ephemeral-on-create",
            "pods",
            pod("  containers: [{name: c, image: nginx}]\n  ephemeralContainers: [{name: debug, image: busybox, targetContainerName: c}]\n"),
            "The Pod \"p\" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create\n".into(),
        ),
        (
            "security-context",
            "pods",
            pod("  securityContext: {runAsUser: -1}\n  containers: [{name: c, image: nginx, securityContext: {runAsGroup: -5}}]\n"),
            "The Pod \"p\" is invalid: \n* spec.containers[0].securityContext.runAsGroup: Invalid value: -5: must be between 0 and 2147483647, inclusive\n* spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive\n".into(),
        ),
    ]
}

#[test]
fn invalid_pod_specs_are_refused_with_the_servers_messages() {
    let c = Cluster::new();
    for (case, resource, manifest, want) in cases() {
        let f = c.file("bad.yaml", &manifest);
        let before = c.ok(&["get", resource, "-A", "-o", "name"]);
        let o = c.run(&["create", "-f", &f]);
        assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("", want.as_str(), 1), "case {case}");
        assert_eq!(c.ok(&["get", resource, "-A", "-o", "name"]), before, "case {case}: the cluster changed");
    }
}

/// Everything the checks above look at, used correctly: v1.32's relaxed env names (a leading
/// digit, a dot, a space), affinity with topology keys, tolerations, every common volume
/// source, probes on named ports, a sidecar init container with a probe, spread constraints,
/// DNS config, security contexts.
const VALID: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: full}
spec:
  selector: {matchLabels: {app: full}}
  template:
    metadata: {labels: {app: full}}
    spec:
      hostname: host-1
      subdomain: web
      securityContext: {runAsUser: 1000, fsGroup: 2000, seccompProfile: {type: RuntimeDefault}}
      dnsConfig: {nameservers: [1.1.1.1], searches: [example.com.], options: [{name: ndots, value: "2"}]}
      tolerations: [{key: dedicated, operator: Equal, value: db, effect: NoSchedule}, {operator: Exists}]
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/os, operator: In, values: [linux]}]}]
          preferredDuringSchedulingIgnoredDuringExecution:
          - {weight: 10, preference: {matchExpressions: [{key: disk, operator: Exists}]}}
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: full}}}
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: full}}}
      initContainers:
      - name: sidecar
        image: busybox
        restartPolicy: Always
        startupProbe: {exec: {command: ["true"]}}
      containers:
      - name: app
        image: nginx:1.27
        ports: [{name: http, containerPort: 80}]
        env:
        - {name: 1x, value: a}
        - {name: my.var, value: b}
        - {name: "WITH SPACE", value: c}
        - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
        - {name: LBL, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
        - {name: CPU, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
        - {name: K, valueFrom: {secretKeyRef: {name: s, key: k, optional: true}}}
        envFrom: [{prefix: CM_, configMapRef: {name: cm, optional: true}}]
        resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: "1", memory: 128Mi, nvidia.com/gpu: "1"}}
        securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true}
        livenessProbe: {httpGet: {path: /healthz, port: http}, initialDelaySeconds: 5}
        readinessProbe: {tcpSocket: {port: 80}}
        lifecycle: {preStop: {sleep: {seconds: 5}}, postStart: {exec: {command: ["true"]}}}
        volumeMounts:
        - {name: cfg, mountPath: /etc/cfg, subPath: app.conf}
        - {name: sec, mountPath: /etc/sec}
        - {name: data, mountPath: /data}
        - {name: info, mountPath: /etc/info}
        - {name: all, mountPath: /etc/all}
        - {name: scratch, mountPath: /tmp}
        - {name: host, mountPath: /host}
      volumes:
      - {name: cfg, configMap: {name: cm, items: [{key: app.conf, path: app.conf}]}}
      - {name: sec, secret: {secretName: s, defaultMode: 0400}}
      - {name: data, persistentVolumeClaim: {claimName: data}}
      - name: info
        downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}, {path: cpu, resourceFieldRef: {containerName: app, resource: requests.cpu}}]}
      - name: all
        projected: {sources: [{configMap: {name: cm}}, {serviceAccountToken: {path: token}}, {downwardAPI: {items: [{path: ns, fieldRef: {fieldPath: metadata.namespace}}]}}]}
      - {name: scratch, emptyDir: {sizeLimit: 1Gi}}
      - {name: host, hostPath: {path: /var/log, type: Directory}}
"#;

#[test]
fn a_pod_template_using_every_checked_field_correctly_is_accepted() {
    let c = Cluster::new();
    let f = c.file("full.yaml", VALID);
    assert_eq!(c.ok(&["create", "-f", &f]), "deployment.apps/full created\n");
    let p = c.file(
        "pod.yaml",
        &pod("  hostname: a\n  containers: [{name: c, image: nginx, env: [{name: 2nd.var, value: x}]}]\n"),
    );
    assert_eq!(c.ok(&["create", "-f", &p]), "pod/p created\n");
}

/// A Service `s` whose spec is `spec` (indented YAML under `spec:`).
fn service(spec: &str) -> String {
    format!("apiVersion: v1\nkind: Service\nmetadata: {{name: s}}\nspec:\n{spec}")
}

/// A PVC `c` with one ReadWriteOnce GiB and `extra` (indented YAML under `spec:`).
fn claim(extra: &str) -> String {
    format!("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: c}}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{storage: 1Gi}}}}\n{extra}")
}

#[test]
fn invalid_services_and_claims_are_refused_with_the_servers_messages() {
    let cases: Vec<(&str, &str, String, &str)> = vec![
        (
            "same-port-twice",
            "services",
            service("  ports: [{name: a, port: 80}, {name: b, port: 80, targetPort: 8080}]\n"),
            "The Service \"s\" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}\n",
        ),
        (
            "cluster-ip-node-port",
            "services",
            service("  ports: [{port: 80, nodePort: 30080}]\n"),
            "The Service \"s\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'\n",
        ),
        (
            "external-name",
            "services",
            service("  type: ExternalName\n"),
            "The Service \"s\" is invalid: spec.externalName: Required value\n",
        ),
        (
            "headless-node-port",
            "services",
            service("  type: NodePort\n  clusterIP: None\n  ports: [{port: 80}]\n"),
            "The Service \"s\" is invalid: spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services\n",
        ),
        (
            "affinity-timeout",
            "services",
            service("  ports: [{port: 80}]\n  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 100000}}\n"),
            "The Service \"s\" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 100000: must be greater than 0 and less than 86400\n",
        ),
        (
            "traffic-policy",
            "services",
            service("  ports: [{port: 80}]\n  externalTrafficPolicy: Local\n"),
            "The Service \"s\" is invalid: spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services\n",
        ),
        (
            "claim-selector",
            "persistentvolumeclaims",
            claim("  selector: {matchExpressions: [{key: tier, operator: Is}, {key: zone, operator: In, values: [\"a b\"]}]}\n"),
            "The PersistentVolumeClaim \"c\" is invalid: \n* spec.selector.matchExpressions[0].operator: Invalid value: \"Is\": not a valid selector operator\n* spec.selector.matchExpressions[1].values[0]: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\n",
        ),
        (
            "claim-data-source",
            "persistentvolumeclaims",
            claim("  dataSource: {kind: Snapshot, name: snap}\n"),
            "The PersistentVolumeClaim \"c\" is invalid: \n* spec.dataSource: Invalid value: \"Snapshot\": must be 'PersistentVolumeClaim' when referencing the default apiGroup\n* spec.dataSourceRef: Invalid value: \"Snapshot\": must be 'PersistentVolumeClaim' when referencing the default apiGroup\n",
        ),
    ];
    let c = Cluster::new();
    for (case, resource, manifest, want) in cases {
        let f = c.file("bad.yaml", &manifest);
        let before = c.ok(&["get", resource, "-A", "-o", "name"]);
        let o = c.run(&["create", "-f", &f]);
        assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("", want, 1), "case {case}");
        assert_eq!(c.ok(&["get", resource, "-A", "-o", "name"]), before, "case {case}: the cluster changed");
    }
    // The same kinds, valid: named ports on one number with two protocols, an ExternalName with
    // a trailing dot, ClientIP affinity, a NodePort with the Local policy, a claim from a
    // snapshot with a selector.
    let ok = [
        service("  ports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, protocol: TCP, appProtocol: dns}]\n  sessionAffinity: ClientIP\n"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec: {type: ExternalName, externalName: db.example.com.}\n".into(),
        "apiVersion: v1\nkind: Service\nmetadata: {name: np}\nspec: {type: NodePort, externalTrafficPolicy: Local, ports: [{port: 80, nodePort: 30080}]}\n".into(),
        claim("  selector: {matchLabels: {tier: db}}\n  dataSource: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: snap}\n"),
    ];
    for (i, manifest) in ok.iter().enumerate() {
        let f = c.file(&format!("ok{i}.yaml"), manifest);
        c.ok(&["create", "-f", &f]);
    }
    // The node port allocator: a requested port in the range and free (np above holds 30080).
    for (node_port, problem) in [
        (80, "provided port is not in the valid range. The range of valid ports is 30000-32767"),
        (30080, "provided port is already allocated"),
    ] {
        let manifest = format!("apiVersion: v1\nkind: Service\nmetadata: {{name: np2}}\nspec: {{type: NodePort, ports: [{{port: 80, nodePort: {node_port}}}]}}\n");
        let f = c.file("np2.yaml", &manifest);
        let o = c.run(&["create", "-f", &f]);
        let want =
            format!("The Service \"np2\" is invalid: spec.ports[0].nodePort: Invalid value: {node_port}: {problem}\n");
        assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("", want.as_str(), 1));
    }
    assert_eq!(c.run(&["get", "svc", "np2"]).code, 1, "a refused service is not stored");
}
