//! The objects kubectl prints as Go encodes its typed structs (struct field order, `omitempty`,
//! `creationTimestamp: null`, `{}` for unset structs, canonical quantities): the `create`
//! generators, `run`, `expose` and the `set` commands. Every expected text here was printed by
//! the real kubectl v1.32 for the same command line.

use crate::harness::Cluster;

/// A Deployment with fields Go's decoder rewrites: a zero pointer kept (`replicas: 0`), a
/// false `omitempty` bool dropped, quantities made canonical, `emptyDir: {}`.
const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 0
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      hostNetwork: false
      terminationGracePeriodSeconds: 0
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
        resources:
          limits: {memory: 1024Mi, cpu: \"0.5\"}
        volumeMounts:
        - {name: data, mountPath: /data}
      volumes:
      - name: data
        emptyDir: {}
";

/// A Pod with a field ObjectMeta does not have and an empty `omitempty` string.
const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: p
  bogus: 1
spec:
  containers:
  - name: c
    image: busybox
    imagePullPolicy: \"\"
";

#[test]
fn set_image_local_json_is_in_go_struct_order() {
    let c = Cluster::new();
    let f = c.file("web.yaml", DEPLOYMENT);
    assert_eq!(
        c.ok(&["set", "image", "-f", &f, "--local", "nginx=nginx:1.27", "-o", "json"]),
        r#"{
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {
        "name": "web",
        "creationTimestamp": null,
        "labels": {
            "app": "web"
        }
    },
    "spec": {
        "replicas": 0,
        "selector": {
            "matchLabels": {
                "app": "web"
            }
        },
        "template": {
            "metadata": {
                "creationTimestamp": null,
                "labels": {
                    "app": "web"
                }
            },
            "spec": {
                "volumes": [
                    {
                        "name": "data",
                        "emptyDir": {}
                    }
                ],
                "containers": [
                    {
                        "name": "nginx",
                        "image": "nginx:1.27",
                        "ports": [
                            {
                                "containerPort": 80
                            }
                        ],
                        "resources": {
                            "limits": {
                                "cpu": "500m",
                                "memory": "1Gi"
                            }
                        },
                        "volumeMounts": [
                            {
                                "name": "data",
                                "mountPath": "/data"
                            }
                        ]
                    }
                ],
                "terminationGracePeriodSeconds": 0
            }
        },
        "strategy": {}
    },
    "status": {}
}
"#
    );
}

#[test]
fn set_image_local_yaml_has_gos_zero_values_and_canonical_quantities() {
    let c = Cluster::new();
    let f = c.file("web.yaml", DEPLOYMENT);
    assert_eq!(
        c.ok(&["set", "image", "-f", &f, "--local", "nginx=nginx:1.27", "-o", "yaml"]),
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 0
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx:1.27
        name: nginx
        ports:
        - containerPort: 80
        resources:
          limits:
            cpu: 500m
            memory: 1Gi
        volumeMounts:
        - mountPath: /data
          name: data
      terminationGracePeriodSeconds: 0
      volumes:
      - emptyDir: {}
        name: data
status: {}
"#
    );
}

#[test]
fn set_env_local_drops_what_the_go_type_does_not_keep() {
    let c = Cluster::new();
    let f = c.file("pod.yaml", POD);
    assert_eq!(
        c.ok(&["set", "env", "-f", &f, "--local", "A=1", "-o", "yaml"]),
        r#"apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  name: p
spec:
  containers:
  - env:
    - name: A
      value: "1"
    image: busybox
    name: c
    resources: {}
status: {}
"#
    );
    assert_eq!(c.ok(&["set", "env", "-f", &f, "--local", "A=1"]), "pod/p env updated\n");
    assert_eq!(c.ok(&["set", "env", "-f", &f, "--local", "A=1", "--dry-run=client"]), "pod/p env updated (dry run)\n");
}

#[test]
fn set_local_prints_nothing_for_an_object_left_as_it_was() {
    let c = Cluster::new();
    let f = c.file("web.yaml", DEPLOYMENT);
    assert_eq!(c.ok(&["set", "image", "-f", &f, "--local", "nginx=nginx:1.25", "-o", "yaml"]), "");
    assert_eq!(c.ok(&["set", "resources", "-f", &f, "--local", "--limits=memory=1Gi"]), "");
    assert_eq!(
        c.ok(&["set", "resources", "-f", &f, "--local", "--limits=memory=2Gi"]),
        "deployment.apps/web resource requirements updated\n"
    );
}

#[test]
fn set_local_errors_name_objects_as_kubectl_does_without_a_server() {
    let c = Cluster::new();
    let multi = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n---\n\
        apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n---\n";
    let f = c.file("multi.yaml", &format!("{multi}{DEPLOYMENT}"));
    let o = c.run(&["set", "image", "-f", &f, "--local", "nope=x"]);
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (
            1,
            "",
            r#"error: unable to find container named "nope"
error: configmap/cfg the object is not a pod or does not have a pod template: *v1.ConfigMap

error: role.rbac.authorization.k8s.io/r
 the object is not a pod or does not have a pod template: *v1.Role

"#
        )
    );
    let o = c.run(&["set", "image", "-f", &f, "--local", "*=x"]);
    assert_eq!(o.stdout, "deployment.apps/web image updated\n");
    let role = c.file("role.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n");
    let o = c.run(&["set", "serviceaccount", "-f", &role, "--local", "bot"]);
    let want =
        "error: role.rbac.authorization.k8s.io/r\n the object is not a pod or does not have a pod template: *v1.Role\n";
    assert_eq!((o.code, o.stderr.as_str()), (1, want));
}

#[test]
fn create_generators_print_typed_objects() {
    let c = Cluster::new();
    let deploy = ["create", "deployment", "web", "--image=nginx", "--port=80", "--dry-run=client", "-o", "json"];
    assert_eq!(
        c.ok(&deploy),
        r#"{
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {
        "name": "web",
        "creationTimestamp": null,
        "labels": {
            "app": "web"
        }
    },
    "spec": {
        "replicas": 1,
        "selector": {
            "matchLabels": {
                "app": "web"
            }
        },
        "template": {
            "metadata": {
                "creationTimestamp": null,
                "labels": {
                    "app": "web"
                }
            },
            "spec": {
                "containers": [
                    {
                        "name": "nginx",
                        "image": "nginx",
                        "ports": [
                            {
                                "containerPort": 80
                            }
                        ],
                        "resources": {}
                    }
                ]
            }
        },
        "strategy": {}
    },
    "status": {}
}
"#
    );
    let svc = ["create", "service", "clusterip", "s", "--tcp=80:8080", "--dry-run=client", "-o", "json"];
    assert_eq!(
        c.ok(&svc),
        r#"{
    "kind": "Service",
    "apiVersion": "v1",
    "metadata": {
        "name": "s",
        "creationTimestamp": null,
        "labels": {
            "app": "s"
        }
    },
    "spec": {
        "ports": [
            {
                "name": "80-8080",
                "protocol": "TCP",
                "port": 80,
                "targetPort": 8080
            }
        ],
        "selector": {
            "app": "s"
        },
        "type": "ClusterIP"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#
    );
    let role = ["create", "role", "r", "--verb=get", "--resource=pods", "--dry-run=client", "-o", "json"];
    assert_eq!(
        c.ok(&role),
        r#"{
    "kind": "Role",
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "metadata": {
        "name": "r",
        "creationTimestamp": null
    },
    "rules": [
        {
            "verbs": [
                "get"
            ],
            "apiGroups": [
                ""
            ],
            "resources": [
                "pods"
            ]
        }
    ]
}
"#
    );
}

#[test]
fn run_and_expose_print_typed_objects() {
    let c = Cluster::new();
    let run = ["run", "p", "--image=nginx", "--port=80", "--env=A=1", "--labels=a=b", "--restart=Never"];
    let args: Vec<&str> = run.iter().copied().chain(["--dry-run=client", "-o", "json", "--", "sleep", "1"]).collect();
    assert_eq!(
        c.ok(&args),
        r#"{
    "kind": "Pod",
    "apiVersion": "v1",
    "metadata": {
        "name": "p",
        "creationTimestamp": null,
        "labels": {
            "a": "b"
        }
    },
    "spec": {
        "containers": [
            {
                "name": "p",
                "image": "nginx",
                "args": [
                    "sleep",
                    "1"
                ],
                "ports": [
                    {
                        "containerPort": 80
                    }
                ],
                "env": [
                    {
                        "name": "A",
                        "value": "1"
                    }
                ],
                "resources": {}
            }
        ],
        "restartPolicy": "Never",
        "dnsPolicy": "ClusterFirst"
    },
    "status": {}
}
"#
    );
    let f = c.file("web.yaml", DEPLOYMENT);
    let expose = ["expose", "-f", &f, "--port=80", "--target-port=8080", "--dry-run=client", "-o", "json"];
    assert_eq!(
        c.ok(&expose),
        r#"{
    "kind": "Service",
    "apiVersion": "v1",
    "metadata": {
        "name": "web",
        "creationTimestamp": null,
        "labels": {
            "app": "web"
        }
    },
    "spec": {
        "ports": [
            {
                "protocol": "TCP",
                "port": 80,
                "targetPort": 8080
            }
        ],
        "selector": {
            "app": "web"
        }
    },
    "status": {
        "loadBalancer": {}
    }
}
"#
    );
}

#[test]
fn set_in_the_cluster_prints_the_typed_object_in_every_format() {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "web", "--image=nginx"]);
    let json = c.ok(&["set", "image", "deploy/web", "nginx=nginx:2", "--dry-run=client", "-o", "json"]);
    assert!(json.starts_with("{\n    \"kind\": \"Deployment\",\n    \"apiVersion\": \"apps/v1\",\n    \"metadata\": {\n        \"name\": \"web\",\n"), "{json}");
    let image =
        ["set", "image", "deploy/web", "nginx=nginx:3", "-o", "jsonpath={.spec.template.spec.containers[0].image}"];
    assert_eq!(c.ok(&image), "nginx:3");
    assert_eq!(c.ok(&["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"]), "nginx:3");
    assert_eq!(c.ok(&["set", "env", "deploy/web", "A=1", "-o", "name"]), "deployment.apps/web\n");
}

#[test]
fn a_refused_set_patch_is_wrapped_as_kubectl_wraps_it() {
    let c = Cluster::new();
    c.ok(&["run", "web", "--image=nginx"]);
    let o = c.run(&["set", "env", "pod/web", "B=2"]);
    let want = "error: failed to patch env update to pod template: Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n";
    assert_eq!((o.code, o.stderr.as_str()), (1, want));
}

#[test]
fn set_local_refuses_a_value_its_go_type_cannot_hold() {
    let c = Cluster::new();
    let replicas = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: \"3\"\n";
    c.file("d.yaml", replicas);
    let o = c.run(&["set", "image", "-f", "d.yaml", "--local", "*=x:1"]);
    let want = "error: unable to decode \"d.yaml\": json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n";
    assert_eq!((o.code, o.stdout.as_str(), o.stderr.as_str()), (1, "", want));
    let cpu = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x\n    resources: {limits: {cpu: abc}}\n";
    c.file("p.yaml", cpu);
    let o = c.run(&["set", "serviceaccount", "-f", "p.yaml", "--local", "sa"]);
    let want = "error: unable to decode \"p.yaml\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n";
    assert_eq!((o.code, o.stderr.as_str()), (1, want));
}

#[test]
fn autoscale_prints_the_typed_autoscaling_v1_object() {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "web", "--image=nginx"]);
    let args = ["autoscale", "deploy/web", "--max=3", "--min=2", "--cpu-percent=50", "--dry-run=client", "-o", "json"];
    assert_eq!(
        c.ok(&args),
        r#"{
    "kind": "HorizontalPodAutoscaler",
    "apiVersion": "autoscaling/v1",
    "metadata": {
        "name": "web",
        "creationTimestamp": null
    },
    "spec": {
        "scaleTargetRef": {
            "kind": "Deployment",
            "name": "web",
            "apiVersion": "apps/v1"
        },
        "minReplicas": 2,
        "maxReplicas": 3,
        "targetCPUUtilizationPercentage": 50
    },
    "status": {
        "currentReplicas": 0,
        "desiredReplicas": 0
    }
}
"#
    );
}

#[test]
fn a_kind_without_pod_template_is_named_with_its_go_type() {
    let c = Cluster::new();
    let hpa = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n  \
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 3\n";
    let f = c.file("hpa.yaml", hpa);
    let o = c.run(&["set", "image", "-f", &f, "--local", "*=x"]);
    let want = "error: horizontalpodautoscaler.autoscaling/h\n the object is not a pod or does not have a pod template: *v2.HorizontalPodAutoscaler\n";
    assert_eq!((o.code, o.stderr.as_str()), (1, want));
    c.ok(&["apply", "-f", &f]);
    let o = c.run(&["set", "image", "hpa/h", "*=x"]);
    let want = "error: horizontalpodautoscalers/h the object is not a pod or does not have a pod template: *v2.HorizontalPodAutoscaler\n";
    assert_eq!((o.code, o.stderr.as_str()), (1, want));
}
