//! kubernetes.io tutorials and tasks replayed command by command on a minikube cluster (the
//! pages' own), each output compared with what kubectl v1.32 prints there:
//! tutorials/kubernetes-basics (deploy-app, explore, expose, scale, update: the bootcamp app),
//! tasks/access-application-cluster/service-access-application-cluster (hello-app),
//! tutorials/services/connect-applications-service (its first sections), and
//! tasks/administer-cluster/manage-resources memory-constraint-namespace,
//! memory-default-namespace and quota-pod-namespace. The pages run `curl` on the host against
//! `$(minikube ip):$NODE_PORT`; here a pod in the cluster curls the Service instead. The last
//! tests replay two pages (tests/cli/replay_docs/k8s/) with `kstate replay` and pin each
//! command's verdict, and follow a LoadBalancer Service on the cloud profiles.

use std::path::Path;

use crate::harness::{assert_text, k8s_example as example, minikube, replay_steps, step, verdicts, Cluster};

/// A pod to curl Services from, as the reader curls them from the node.
fn curl_pod(c: &Cluster) {
    step(c, &["run", "curl", "--image=curlimages/curl", "--restart=Never", "--", "sleep", "1h"], "pod/curl created\n");
}

fn curl(c: &Cluster, url: &str) -> String {
    c.ok(&["exec", "curl", "--", "curl", "-s", url])
}

const GO_TEMPLATE_NAMES: &str = "{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}";

fn bootcamp(pod: &str, v: u32) -> String {
    format!("Hello Kubernetes bootcamp! | Running on: {pod} | v={v}\n")
}

#[test]
fn kubernetes_basics_deploy_and_explore_the_bootcamp_app() {
    // Modules 2 and 3: the app answers on 8080 with the pod's name; its image is node:6.3.1's
    // Debian with curl and /server.js, and the app logs when it starts.
    let c = minikube();
    step(
        &c,
        &["create", "deployment", "kubernetes-bootcamp", "--image=gcr.io/google-samples/kubernetes-bootcamp:v1"],
        "deployment.apps/kubernetes-bootcamp created\n",
    );
    step(
        &c,
        &["get", "deployments"],
        "NAME                  READY   UP-TO-DATE   AVAILABLE   AGE\nkubernetes-bootcamp   1/1     1            1           0s\n",
    );
    let pod = c.ok(&["get", "pods", "-o", "go-template", "--template", GO_TEMPLATE_NAMES]);
    assert_text(&pod, "kubernetes-bootcamp-77c5665f8b-42gvr\n");
    let pod = pod.trim();
    let env = c.ok(&["exec", pod, "--", "env"]);
    for line in [format!("HOSTNAME={pod}"), "NPM_CONFIG_LOGLEVEL=info".into(), "NODE_VERSION=6.3.1".into()] {
        assert!(env.lines().any(|l| l == line), "{line} missing from\n{env}");
    }
    // `kubectl exec -ti POD -- bash`, then `cat server.js` and `curl http://localhost:8080`.
    let out =
        c.run_stdin(&["exec", "-i", pod, "--", "bash"], "cat server.js | head -1\ncurl -s http://localhost:8080\n");
    assert_text(&out.stdout, &format!("var http = require('http');\n{}", bootcamp(pod, 1)));
    assert_text(&out.stderr, "");
    let logs = c.ok(&["logs", pod]);
    assert_text(
        &logs,
        &format!("Kubernetes Bootcamp App Started At: 2026-11-27T09:00:00.000Z | Running On:  {pod} \n\n"),
    );
}

#[test]
fn kubernetes_basics_expose_scale_and_update_the_bootcamp_app() {
    // Modules 4 to 6: a NodePort Service, labels, scaling (the Service spreads requests over
    // the four pods in turn), a rolling update to v2 and back. The page's `:v10` does not exist:
    // its pods stall in ImagePullBackOff (tests/cli/image_pulls.rs) and `rollout undo` brings
    // v2 back.
    let c = minikube();
    c.ok(&["create", "deployment", "kubernetes-bootcamp", "--image=gcr.io/google-samples/kubernetes-bootcamp:v1"]);
    step(
        &c,
        &["expose", "deployment/kubernetes-bootcamp", "--type=NodePort", "--port", "8080"],
        "service/kubernetes-bootcamp exposed\n",
    );
    step(
        &c,
        &["get", "services"],
        "NAME                  TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)          AGE
kubernetes            ClusterIP   10.96.0.1      <none>        443/TCP          0s
kubernetes-bootcamp   NodePort    10.96.160.47   <none>        8080:31796/TCP   0s
",
    );
    step(&c, &["get", "services/kubernetes-bootcamp", "-o", "go-template={{(index .spec.ports 0).nodePort}}"], "31796");
    let pod = "kubernetes-bootcamp-77c5665f8b-42gvr";
    step(&c, &["label", "pods", pod, "version=v1"], &format!("pod/{pod} labeled\n"));
    step(
        &c,
        &["get", "pods", "-l", "version=v1"],
        &format!("NAME                                   READY   STATUS    RESTARTS   AGE\n{pod}   1/1     Running   0          0s\n"),
    );
    step(&c, &["delete", "service", "-l", "app=kubernetes-bootcamp"], "service \"kubernetes-bootcamp\" deleted\n");
    // `kubectl exec -ti $POD_NAME -- curl http://localhost:8080`: the app still answers.
    let out = c.run(&["exec", "-ti", pod, "--", "curl", "http://localhost:8080"]);
    assert_text(&out.stdout, &bootcamp(pod, 1));

    c.ok(&["expose", "deployment/kubernetes-bootcamp", "--type=LoadBalancer", "--port", "8080"]);
    step(
        &c,
        &["scale", "deployments/kubernetes-bootcamp", "--replicas=4"],
        "deployment.apps/kubernetes-bootcamp scaled\n",
    );
    step(
        &c,
        &["get", "deployments"],
        "NAME                  READY   UP-TO-DATE   AVAILABLE   AGE\nkubernetes-bootcamp   4/4     4            4           0s\n",
    );
    curl_pod(&c);
    // The Service's endpoints in turn, the first one again on the fifth request.
    let names =
        c.ok(&["get", "pods", "-l", "app=kubernetes-bootcamp", "-o", "go-template", "--template", GO_TEMPLATE_NAMES]);
    let pods: Vec<&str> = names.lines().collect();
    assert_eq!(pods.len(), 4);
    let answers: String = (0..5).map(|_| curl(&c, "kubernetes-bootcamp:8080")).collect();
    assert_text(&answers, &pods.iter().chain(&pods[..1]).map(|p| bootcamp(p, 1)).collect::<String>());

    step(
        &c,
        &["scale", "deployments/kubernetes-bootcamp", "--replicas=2"],
        "deployment.apps/kubernetes-bootcamp scaled\n",
    );
    step(
        &c,
        &[
            "set",
            "image",
            "deployments/kubernetes-bootcamp",
            "kubernetes-bootcamp=docker.io/jocatalin/kubernetes-bootcamp:v2",
        ],
        "deployment.apps/kubernetes-bootcamp image updated\n",
    );
    step(
        &c,
        &["rollout", "status", "deployments/kubernetes-bootcamp"],
        "deployment \"kubernetes-bootcamp\" successfully rolled out\n",
    );
    let v2 = c.ok(&["get", "pods", "-l", "app=kubernetes-bootcamp", "-o", "jsonpath={.items[0].metadata.name}"]);
    assert!(v2.starts_with("kubernetes-bootcamp-79c9b9f759-"), "{v2}");
    assert!(curl(&c, "kubernetes-bootcamp:8080").ends_with(" | v=2\n"));
    c.ok(&[
        "set",
        "image",
        "deployments/kubernetes-bootcamp",
        "kubernetes-bootcamp=gcr.io/google-samples/kubernetes-bootcamp:v10",
    ]);
    step(
        &c,
        &["rollout", "undo", "deployments/kubernetes-bootcamp"],
        "deployment.apps/kubernetes-bootcamp rolled back\n",
    );
    let image =
        c.ok(&["get", "deploy", "kubernetes-bootcamp", "-o", "jsonpath={.spec.template.spec.containers[0].image}"]);
    assert_eq!(image, "docker.io/jocatalin/kubernetes-bootcamp:v2");
    assert!(curl(&c, "kubernetes-bootcamp:8080").ends_with(" | v=2\n"));
    step(
        &c,
        &["delete", "deployments/kubernetes-bootcamp", "services/kubernetes-bootcamp"],
        "deployment.apps \"kubernetes-bootcamp\" deleted\nservice \"kubernetes-bootcamp\" deleted\n",
    );
}

#[test]
fn service_access_page_reaches_both_hello_app_pods() {
    // hello-app 2.0 answers with its version and the pod's hostname; the NodePort Service's
    // requests go to the two pods in turn, and the app logs each one.
    let c = minikube();
    step(
        &c,
        &["apply", "-f", &example("service/access/hello-application.yaml")],
        "deployment.apps/hello-world created\n",
    );
    step(
        &c,
        &["expose", "deployment", "hello-world", "--type=NodePort", "--name=example-service"],
        "service/example-service exposed\n",
    );
    step(
        &c,
        &["get", "pods", "--selector=run=load-balancer-example", "--output=wide"],
        "NAME                           READY   STATUS    RESTARTS   AGE   IP           NODE       NOMINATED NODE   READINESS GATES
hello-world-55495c59c8-42gvr   1/1     Running   0          0s    10.244.0.2   minikube   <none>           <none>
hello-world-55495c59c8-mzgzn   1/1     Running   0          0s    10.244.0.3   minikube   <none>           <none>
",
    );
    curl_pod(&c);
    let hello = |pod: &str| format!("Hello, world!\nVersion: 2.0.0\nHostname: hello-world-55495c59c8-{pod}\n");
    assert_text(&curl(&c, "example-service:8080"), &hello("42gvr"));
    assert_text(&curl(&c, "example-service:8080"), &hello("mzgzn"));
    step(
        &c,
        &["logs", "hello-world-55495c59c8-42gvr"],
        "2026/11/27 09:00:00 Server listening on port 8080\n2026/11/27 09:00:00 Serving request: /\n",
    );
    step(&c, &["delete", "services", "example-service"], "service \"example-service\" deleted\n");
    step(&c, &["delete", "deployment", "hello-world"], "deployment.apps \"hello-world\" deleted\n");
}

#[test]
fn connect_applications_page_shows_service_variables_only_in_newer_pods() {
    // Pods created before the Service have no MY_NGINX_* variables; after scaling to 0 and
    // back, the new pods have them. The Service has no labels: the Deployment has none to copy.
    let c = minikube();
    step(&c, &["apply", "-f", &example("service/networking/run-my-nginx.yaml")], "deployment.apps/my-nginx created\n");
    step(&c, &["expose", "deployment/my-nginx"], "service/my-nginx exposed\n");
    step(
        &c,
        &["get", "endpointslices", "-l", "kubernetes.io/service-name=my-nginx"],
        "NAME             ADDRESSTYPE   PORTS   ENDPOINTS               AGE\nmy-nginx-qd5kg   IPv4          80      10.244.0.2,10.244.0.3   0s\n",
    );
    let service_vars = |pod: &str| -> String {
        let env = c.ok(&["exec", pod, "--", "printenv"]);
        let mut v: Vec<&str> = env.lines().filter(|l| l.contains("SERVICE")).collect();
        v.sort();
        v.join("\n")
    };
    assert_eq!(
        service_vars("my-nginx-647dcb759f-42gvr"),
        "KUBERNETES_SERVICE_HOST=10.96.0.1\nKUBERNETES_SERVICE_PORT=443\nKUBERNETES_SERVICE_PORT_HTTPS=443"
    );
    c.ok(&["scale", "deployment", "my-nginx", "--replicas=0"]);
    c.ok(&["scale", "deployment", "my-nginx", "--replicas=2"]);
    let pod = c.ok(&["get", "pods", "-l", "run=my-nginx", "-o", "jsonpath={.items[0].metadata.name}"]);
    let ip = c.ok(&["get", "svc", "my-nginx", "-o", "jsonpath={.spec.clusterIP}"]);
    assert_eq!(
        service_vars(&pod),
        format!(
            "KUBERNETES_SERVICE_HOST=10.96.0.1\nKUBERNETES_SERVICE_PORT=443\nKUBERNETES_SERVICE_PORT_HTTPS=443\nMY_NGINX_SERVICE_HOST={ip}\nMY_NGINX_SERVICE_PORT=80"
        )
    );
    step(
        &c,
        &["get", "services", "kube-dns", "--namespace=kube-system"],
        "NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE\nkube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   0s\n",
    );
}

#[test]
fn memory_limit_range_pages_default_and_refuse_as_published() {
    // memory-constraint-namespace and memory-default-namespace: the LimitRange's defaults
    // (max becomes the default limit and request), the two refused pods, a limit without a
    // request (the request follows the limit) and a request without a limit.
    let c = minikube();
    let ns = "--namespace=constraints-mem-example";
    step(&c, &["create", "namespace", "constraints-mem-example"], "namespace/constraints-mem-example created\n");
    step(
        &c,
        &["apply", "-f", &example("admin/resource/memory-constraints.yaml"), ns],
        "limitrange/mem-min-max-demo-lr created\n",
    );
    let limits = c.ok(&["get", "limitrange", "mem-min-max-demo-lr", ns, "-o", "jsonpath={.spec.limits[0]}"]);
    assert_eq!(
        limits,
        r#"{"default":{"memory":"1Gi"},"defaultRequest":{"memory":"1Gi"},"max":{"memory":"1Gi"},"min":{"memory":"500Mi"},"type":"Container"}"#
    );
    for (n, message) in [
        ("2", "maximum memory usage per Container is 1Gi, but limit is 1536Mi"),
        ("3", "minimum memory usage per Container is 500Mi, but request is 100Mi"),
    ] {
        let file = example(&format!("admin/resource/memory-constraints-pod-{n}.yaml"));
        let out = c.run(&["apply", "-f", &file, ns]);
        assert_eq!(out.code, 1);
        assert_text(
            &out.stderr,
            &format!(
                "Error from server (Forbidden): error when creating \"{file}\": pods \"constraints-mem-demo-{n}\" is forbidden: {message}\n"
            ),
        );
    }
    c.ok(&["apply", "-f", &example("admin/resource/memory-constraints-pod-4.yaml"), ns]);
    let res = "jsonpath={.spec.containers[0].resources}";
    step(
        &c,
        &["get", "pod", "constraints-mem-demo-4", ns, "-o", res],
        r#"{"limits":{"memory":"1Gi"},"requests":{"memory":"1Gi"}}"#,
    );

    let ns = "--namespace=default-mem-example";
    c.ok(&["create", "namespace", "default-mem-example"]);
    c.ok(&["apply", "-f", &example("admin/resource/memory-defaults.yaml"), ns]);
    for (file, pod, want) in [
        (
            "memory-defaults-pod.yaml",
            "default-mem-demo",
            r#"{"limits":{"memory":"512Mi"},"requests":{"memory":"256Mi"}}"#,
        ),
        (
            "memory-defaults-pod-2.yaml",
            "default-mem-demo-2",
            r#"{"limits":{"memory":"1Gi"},"requests":{"memory":"1Gi"}}"#,
        ),
        (
            "memory-defaults-pod-3.yaml",
            "default-mem-demo-3",
            r#"{"limits":{"memory":"512Mi"},"requests":{"memory":"128Mi"}}"#,
        ),
    ] {
        step(&c, &["apply", "-f", &example(&format!("admin/resource/{file}")), ns], &format!("pod/{pod} created\n"));
        step(&c, &["get", "pod", pod, ns, "-o", res], want);
    }
    step(&c, &["delete", "namespace", "default-mem-example"], "namespace \"default-mem-example\" deleted\n");
}

#[test]
fn quota_pod_namespace_page_stops_the_deployment_at_two_pods() {
    // The quota admits two of the Deployment's three pods; the ReplicaSet's failure reaches the
    // Deployment as its ReplicaFailure condition, with the quota's message.
    let c = minikube();
    let ns = "--namespace=quota-pod-example";
    c.ok(&["create", "namespace", "quota-pod-example"]);
    step(&c, &["apply", "-f", &example("admin/resource/quota-pod.yaml"), ns], "resourcequota/pod-demo created\n");
    step(
        &c,
        &["get", "resourcequota", "pod-demo", ns, "-o", "jsonpath={.spec.hard} {.status.hard} {.status.used}"],
        r#"{"pods":"2"} {"pods":"2"} {"pods":"0"}"#,
    );
    step(
        &c,
        &["apply", "-f", &example("admin/resource/quota-pod-deployment.yaml"), ns],
        "deployment.apps/pod-quota-demo created\n",
    );
    step(
        &c,
        &["get", "deployment", "pod-quota-demo", ns, "-o", "jsonpath={.spec.replicas} {.status.availableReplicas}"],
        "3 2",
    );
    let message = c.ok(&[
        "get",
        "deployment",
        "pod-quota-demo",
        ns,
        "-o",
        "jsonpath={.status.conditions[?(@.type==\"ReplicaFailure\")].message}",
    ]);
    // v1.32 names the pod the API server generated (the page's older cluster checked the
    // quota before it did, so it shows `pod-quota-demo-1650323038-`), as the event does.
    let event =
        c.ok(&["get", "events", ns, "--field-selector=reason=FailedCreate", "-o", "jsonpath={.items[0].message}"]);
    assert_eq!(Some(message.as_str()), event.strip_prefix("Error creating: "));
    assert!(message.starts_with("pods \"pod-quota-demo-5b8b656d97-"), "{message}");
    assert!(
        message
            .ends_with("\" is forbidden: exceeded quota: pod-demo, requested: pods=1, used: pods=2, limited: pods=2"),
        "{message}"
    );
    // The ReplicaSet carries the same condition, which describe shows.
    let rs = c.ok(&["describe", "rs", ns]);
    assert!(rs.contains("Conditions:\n  Type             Status  Reason\n  ----             ------  ------\n  ReplicaFailure   True    FailedCreate\n"), "{rs}");
    step(&c, &["delete", "namespace", "quota-pod-example"], "namespace \"quota-pod-example\" deleted\n");
}

/// Replays a kubernetes.io page of tests/cli/replay_docs/k8s on `c`: each command's verdict.
fn replay(c: &Cluster, page: &str) -> Vec<(u64, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/replay_docs/k8s");
    replay_steps(c, &dir, page, &["--examples", "../examples"], None)
}

#[test]
fn service_access_page_replays_with_an_elided_column() {
    // Line 101's table leaves columns out with `...` (`READY STATUS ... IP NODE`): the columns it
    // shows are compared, those it hides are not missing. Line 78 is a v1.12 describe (no IP
    // Family lines, the Deployment's labels copied to the Service); the host's curl is skipped.
    let c = Cluster::new();
    let steps = replay(&c, "service-access-application-cluster.md");
    let want = [(49, "ok"), (61, "ok"), (62, "ok"), (67, "ok"), (68, "ok"), (73, "ok"), (78, "failed")];
    let rest = [(101, "ok"), (124, "skipped"), (146, "ok"), (151, "ok")];
    assert_eq!(steps, verdicts(&[&want[..], &rest[..]].concat()));
}

#[test]
fn expose_external_ip_page_gets_its_load_balancer_address() {
    // The cloud profile's service controller gives my-service an address at once. What fails is
    // the page's: line 82 shows no node port in PORT(S), line 103 is an old describe, and line
    // 131's five pods sit three on one node (kstate's scheduler spreads them two, two, one).
    let c = Cluster::new();
    let steps = replay(&c, "expose-external-ip-address.md");
    let want = [(54, "ok"), (68, "ok"), (69, "ok"), (73, "ok"), (74, "ok"), (78, "ok"), (82, "failed")];
    let rest = [(103, "failed"), (131, "failed"), (164, "ok"), (169, "ok")];
    assert_eq!(steps, verdicts(&[&want[..], &rest[..]].concat()));
    let external = c.ok(&["get", "events", "--field-selector=involvedObject.name=my-service", "-o", "name"]);
    assert_eq!(external.lines().count(), 4, "{external}");
}

#[test]
fn a_load_balancer_service_is_provisioned_and_cleaned_up_by_the_cloud() {
    // ACK (the default profile): the finalizer, the two events, an IP with `ipMode: VIP`, which
    // describe prints as `47.93.0.2 (VIP)`; kubectl's own describe prints the same (checked
    // with ../shared/tools/kubectl-diff.sh).
    let c = Cluster::new();
    c.ok(&["apply", "-f", &example("service/load-balancer-example.yaml")]);
    step(
        &c,
        &["expose", "deployment", "hello-world", "--type=LoadBalancer", "--name=my-service"],
        "service/my-service exposed\n",
    );
    step(
        &c,
        &["get", "services", "my-service"],
        "NAME         TYPE           CLUSTER-IP    EXTERNAL-IP   PORT(S)          AGE
my-service   LoadBalancer   10.96.3.205   47.93.0.2     8080:31160/TCP   0s
",
    );
    step(
        &c,
        &["get", "svc", "my-service", "-o", "jsonpath={.metadata.finalizers} {.status}"],
        r#"["service.kubernetes.io/load-balancer-cleanup"] {"loadBalancer":{"ingress":[{"ip":"47.93.0.2","ipMode":"VIP"}]}}"#,
    );
    let describe = c.ok(&["describe", "services", "my-service"]);
    assert!(describe.contains("\nLoadBalancer Ingress:     47.93.0.2 (VIP)\nPort:"), "{describe}");
    assert!(describe.ends_with(
        "Events:
  Type    Reason                Age   From                Message
  ----    ------                ----  ----                -------
  Normal  EnsuringLoadBalancer  0s    service-controller  Ensuring load balancer
  Normal  EnsuredLoadBalancer   0s    service-controller  Ensured load balancer
"
    ));
    // No longer a load balancer: a `Type` event, the load balancer deleted, the finalizer gone.
    step(&c, &["patch", "svc", "my-service", "-p", r#"{"spec":{"type":"NodePort"}}"#], "service/my-service patched\n");
    step(
        &c,
        &["get", "svc", "my-service", "-o", "jsonpath={.metadata.finalizers} {.status} {.spec.ports[0].nodePort}"],
        r#" {"loadBalancer":{}} 31160"#,
    );
    let events = c.ok(&["describe", "services", "my-service"]);
    assert!(events.ends_with(
        "  Normal  Type                  0s    service-controller  LoadBalancer -> NodePort
  Normal  DeletingLoadBalancer  0s    service-controller  Deleting load balancer
  Normal  DeletedLoadBalancer   0s    service-controller  Deleted load balancer
"
    ));
    // To ClusterIP: the node port the patch left as it was is dropped (dropTypeDependentFields),
    // with the external traffic policy; one the patch asks for is refused.
    let out = c.run(&[
        "patch",
        "svc",
        "my-service",
        "-p",
        r#"{"spec":{"type":"ClusterIP","ports":[{"port":8080,"nodePort":30100}]}}"#,
    ]);
    assert_eq!(out.code, 1);
    assert_text(
        &out.stderr,
        "The Service \"my-service\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'\n",
    );
    step(&c, &["patch", "svc", "my-service", "-p", r#"{"spec":{"type":"ClusterIP"}}"#], "service/my-service patched\n");
    step(
        &c,
        &["get", "svc", "my-service", "-o", "jsonpath={.spec.ports} {.spec.externalTrafficPolicy}"],
        r#"[{"port":8080,"protocol":"TCP","targetPort":8080}] "#,
    );
    // A LoadBalancer keeping traffic local gets a health check port, dropped as it stops being one.
    c.ok(&["patch", "svc", "my-service", "-p", r#"{"spec":{"type":"LoadBalancer"}}"#]);
    c.ok(&["patch", "svc", "my-service", "-p", r#"{"spec":{"externalTrafficPolicy":"Local"}}"#]);
    let hc = c.ok(&["get", "svc", "my-service", "-o", "jsonpath={.spec.healthCheckNodePort}"]);
    assert!(hc.parse::<u16>().is_ok_and(|p| (30000..=32767).contains(&p)), "{hc}");
    let describe = c.ok(&["describe", "svc", "my-service"]);
    assert!(
        describe.contains(&format!(
            "External Traffic Policy:  Local\nInternal Traffic Policy:  Cluster\nHealthCheck NodePort:     {hc}\n"
        )),
        "{describe}"
    );
    c.ok(&["patch", "svc", "my-service", "-p", r#"{"spec":{"externalTrafficPolicy":"Cluster"}}"#]);
    step(&c, &["get", "svc", "my-service", "-o", "jsonpath={.spec.healthCheckNodePort}"], "");
    // Deleting a load balancer Service waits for the cloud to delete its load balancer.
    step(&c, &["delete", "svc", "my-service"], "service \"my-service\" deleted\n");
    // The second time each event is the same event counted twice, as the recorder aggregates.
    for reason in ["EnsuredLoadBalancer", "DeletingLoadBalancer", "DeletedLoadBalancer"] {
        let selector = format!("--field-selector=reason={reason}");
        step(&c, &["get", "events", &selector, "-o", "jsonpath={.items[*].count}"], "2");
    }
    let out = c.run(&["get", "svc", "my-service"]);
    assert_text(&out.stderr, "Error from server (NotFound): services \"my-service\" not found\n");
}

#[test]
fn a_service_patched_to_a_load_balancer_gets_its_node_ports() {
    // The registry allocates node ports when a ClusterIP service becomes NodePort or
    // LoadBalancer; EKS's load balancer is a hostname; minikube has no cloud.
    for (profile, external) in [("eks", "a"), ("minikube", "<pending>")] {
        let c = Cluster::new();
        let mut cmd = c.command(&["profile"]);
        cmd.env("KSTATE_PROFILE", profile);
        assert!(cmd.output().expect("run kstate").status.success());
        c.ok(&["create", "service", "clusterip", "web", "--tcp=80:80"]);
        c.ok(&["patch", "svc", "web", "-p", r#"{"spec":{"type":"LoadBalancer"}}"#]);
        let ports = c.ok(&["get", "svc", "web", "-o", "jsonpath={.spec.ports[0].nodePort}"]);
        assert!(ports.parse::<u16>().is_ok_and(|p| (30000..=32767).contains(&p)), "{ports}");
        let shown =
            c.ok(&["get", "svc", "web", "-o", "custom-columns=EXTERNAL:.status.loadBalancer.ingress[0].hostname"]);
        let table = c.ok(&["get", "svc", "web"]);
        if profile == "eks" {
            let host = shown.lines().nth(1).unwrap_or_default();
            assert!(host.starts_with(external) && host.ends_with(".eu-west-1.elb.amazonaws.com"), "{host}");
            assert!(table.contains(host), "{table}");
        } else {
            let row: Vec<&str> = table.lines().nth(1).unwrap_or_default().split_whitespace().collect();
            assert_eq!(row[3..5], [external.to_string(), format!("80:{ports}/TCP")], "{table}");
        }
    }
}

#[test]
fn kubernetes_basics_explore_page_runs_its_commands_in_the_bootcamp_container() {
    // Module 3 on module 2's Deployment: `cat server.js` and `curl http://localhost:8080`, typed
    // in the container's bash, find the app's file and its server (the image ships curl).
    // `kubectl proxy` and the host's curl through it are skipped.
    let c = Cluster::new();
    c.ok(&["create", "deployment", "kubernetes-bootcamp", "--image=gcr.io/google-samples/kubernetes-bootcamp:v1"]);
    let steps = replay(&c, "explore-intro.md");
    let want = [(113, "ok"), (123, "ok"), (146, "skipped"), (153, "ok"), (154, "ok"), (160, "skipped")];
    let shell = [(176, "ok"), (185, "skipped"), (192, "ok"), (198, "ok")];
    assert_eq!(steps, verdicts(&[&want[..], &shell[..]].concat()));
}

#[test]
fn updating_configuration_page_logs_one_pod_of_the_deployment() {
    // tutorials/configuration/updating-configuration-via-a-configmap, its first section: `logs
    // deployments/NAME` reads the pod podutils.ByLogging sorts first and says so on stderr, as
    // kubectl does when the selector matches several; the mounted ConfigMap's new value shows
    // in the loop's next line, ten seconds of cluster time later.
    let c = minikube();
    step(&c, &["create", "configmap", "sport", "--from-literal=sport=football"], "configmap/sport created\n");
    step(
        &c,
        &["apply", "-f", &example("deployments/deployment-with-configmap-as-volume.yaml")],
        "deployment.apps/configmap-volume created\n",
    );
    c.ok(&["advance", "40s"]);
    let out = c.run(&["logs", "deployments/configmap-volume"]);
    assert_text(&out.stderr, "Found 3 pods, using pod/configmap-volume-9ccf96975-8knnx\n");
    let lines: String =
        (0..5).map(|i| format!("Fri Nov 27 09:00:{}0 UTC 2026 My preferred sport is football\n", i)).collect();
    assert_text(&out.stdout, &lines);
    step(&c, &["patch", "configmap", "sport", "-p", r#"{"data":{"sport":"cricket"}}"#], "configmap/sport patched\n");
    c.ok(&["advance", "20s"]);
    step(
        &c,
        &["logs", "deployments/configmap-volume", "--tail=2"],
        "Fri Nov 27 09:00:50 UTC 2026 My preferred sport is cricket\nFri Nov 27 09:01:00 UTC 2026 My preferred sport is cricket\n",
    );
    // A pod named as such is the pod: no notice.
    let out = c.run(&["logs", "pod/configmap-volume-9ccf96975-8knnx", "--tail=1"]);
    assert_text(&out.stderr, "");
}
