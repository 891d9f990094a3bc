//! Kubernetes' own kubectl tests, ported (third part): the functions of test/cmd/core.sh about
//! ServiceAccounts, PodTemplates and ReplicationControllers, replayed in order with their
//! `kube::test::*` checks (the `Kt` harness, tests/cli/test_cmd_kt.rs). The files they read are
//! copied from kubernetes/kubernetes into tests/cli/test_cmd/. Steps left out (they need an HTTP
//! API server) are named where they were and listed in docs/differences.md ("test/cmd").

use crate::test_cmd_core::one_node_cluster;
use crate::test_cmd_kt::{found, names, testdata, Kt, ID};

fn id() -> String {
    format!("{{{{{ID}}}}}")
}

/// `{{$rc_replicas_field}}` (and `{{$deployment_replicas}}`).
const REPLICAS: &str = "{{.spec.replicas}}";
/// `{{$port_name}} {{$port_field}}`.
const PORT: &str = "{{(index .spec.ports 0).name}} {{(index .spec.ports 0).port}}";
/// `{{$second_port_name}} {{$second_port_field}}`.
const SECOND_PORT: &str = "{{(index .spec.ports 1).name}} {{(index .spec.ports 1).port}}";
/// `{{$hpa_min_field}} {{$hpa_max_field}} {{$hpa_cpu_field}}`.
const HPA_FIELDS: &str =
    "{{.spec.minReplicas}} {{.spec.maxReplicas}} {{(index .spec.metrics 0).resource.target.averageUtilization}}";

/// `{{range.items}}{{(index .spec.template.spec.containers N).resources.WHICH.cpu}}:{{end}}`.
fn cpu(container: usize, which: &str) -> String {
    format!("{{{{range.items}}}}{{{{(index .spec.template.spec.containers {container}).resources.{which}.cpu}}}}:{{{{end}}}}")
}

/// core.sh `run_service_accounts_tests` (but `describe_resource_chunk_size_assert`).
#[test]
fn run_service_accounts_tests() {
    let mut t = Kt::new();
    t.new_namespace("namespace-service-accounts");
    t.get_object_assert(&["namespaces"], &found("test-service-accounts"), ":");
    t.kubectl(&["create", "namespace", "test-service-accounts"]);
    t.get_object_assert(&["namespaces/test-service-accounts"], &id(), "test-service-accounts");
    // Create a service account in a specific namespace.
    let in_ns = "--namespace=test-service-accounts";
    t.get_object_assert(&["serviceaccount", in_ns], &found("test-service-account"), ":");
    t.kubectl(&["create", "serviceaccount", "test-service-account", "--dry-run=client", in_ns]);
    t.kubectl(&["create", "serviceaccount", "test-service-account", "--dry-run=server", in_ns]);
    t.get_object_assert(&["serviceaccount", in_ns], &found("test-service-account"), ":");
    t.kubectl(&["create", "serviceaccount", "test-service-account", in_ns]);
    t.get_object_assert(&["serviceaccount/test-service-account", in_ns], &id(), "test-service-account");
    t.kubectl(&["delete", "serviceaccount", "test-service-account", in_ns]);
    t.kubectl(&["delete", "namespace", "test-service-accounts"]);
    assert_eq!(t.asserts, 5);
}

/// core.sh `run_pod_templates_tests` (but `describe_resource_chunk_size_assert`).
#[test]
fn run_pod_templates_tests() {
    let mut t = Kt::new();
    t.new_namespace("namespace-pod-templates");
    let template_names = "{{range.items}}{{.metadata.name}}:{{end}}";
    t.get_object_assert(&["podtemplates"], template_names, "");
    t.kubectl(&["create", "-f", &testdata("podtemplate.json")]);
    t.get_object_assert(&["podtemplates"], template_names, "nginx:");
    // Printing pod templates works.
    t.kubectl(&["get", "podtemplates"]);
    let yaml = t.kubectl(&["get", "podtemplates", "-o", "yaml"]);
    t.check(yaml.contains("nginx"), "grep -q nginx in get podtemplates -o yaml");
    // Delete the nginx pod template by name.
    t.get_object_assert(&["podtemplates"], template_names, "nginx:");
    t.kubectl(&["delete", "podtemplate", "nginx"]);
    t.get_object_assert(&["podtemplate"], template_names, "");
    assert_eq!(t.asserts, 5);
}

/// core.sh `run_rc_tests` (but `describe_resource_chunk_size_assert`): create and delete,
/// describe, scale (with `--current-replicas`, from a file, several at once, a Deployment),
/// expose (a Deployment from a file, a ReplicationController, a Service, a Pod, a Node, long
/// names, several ports), autoscale, and `set resources` of a Deployment.
#[test]
fn run_rc_tests() {
    let mut t = Kt::new();
    t.new_namespace("namespace-rc");
    let frontend = testdata("frontend-controller.yaml");
    // Create and stop a controller, make sure it doesn't leak pods.
    t.get_object_assert(&["rc"], &names(), "");
    t.kubectl(&["create", "-f", &frontend]);
    t.kubectl(&["delete", "rc", "frontend"]);
    t.wait_object_assert(&["pods", "-l", "name=frontend"], &names(), "");
    // Create replication controller frontend.
    t.get_object_assert(&["rc"], &names(), "");
    t.kubectl(&["create", "-f", &frontend]);
    t.get_object_assert(&["rc"], &names(), "frontend:");
    let details =
        ["Name:", "Pod Template:", "Labels:", "Selector:", "Replicas:", "Pods Status:", "Volumes:", "GET_HOSTS_FROM:"];
    t.describe_assert("rc", "frontend", &details);
    t.describe_events_assert("rc", "frontend", None);
    t.describe_events_assert("rc", "frontend", Some(false));
    t.describe_events_assert("rc", "frontend", Some(true));
    t.describe_assert("rc", "", &details);
    t.describe_events_assert("rc", "", None);
    t.describe_events_assert("rc", "", Some(false));
    t.describe_events_assert("rc", "", Some(true));
    // Scale with current-replicas and replicas.
    t.get_object_assert(&["rc", "frontend"], REPLICAS, "3");
    t.kubectl(&["scale", "--current-replicas=3", "--replicas=2", "replicationcontrollers", "frontend"]);
    t.get_object_assert(&["rc", "frontend"], REPLICAS, "2");
    // With a wrong current-replicas nothing changes.
    t.get_object_assert(&["rc", "frontend"], REPLICAS, "2");
    t.kubectl_fails(&["scale", "--current-replicas=3", "--replicas=2", "replicationcontrollers", "frontend"]);
    t.get_object_assert(&["rc", "frontend"], REPLICAS, "2");
    // Replicas only.
    t.get_object_assert(&["rc", "frontend"], REPLICAS, "2");
    t.kubectl(&["scale", "--replicas=3", "replicationcontrollers", "frontend"]);
    t.get_object_assert(&["rc", "frontend"], REPLICAS, "3");
    // From the file, replicas only.
    t.get_object_assert(&["rc", "frontend"], REPLICAS, "3");
    t.kubectl(&["scale", "--replicas=2", "-f", &frontend]);
    t.get_object_assert(&["rc", "frontend"], REPLICAS, "2");
    t.kubectl(&["delete", "rc", "frontend"]);
    // Scale multiple replication controllers.
    t.kubectl(&["create", "-f", &testdata("redis-master-controller.yaml")]);
    t.kubectl(&["create", "-f", &testdata("redis-slave-controller.yaml")]);
    t.kubectl(&["scale", "rc/redis-master", "rc/redis-slave", "--replicas=4"]);
    t.get_object_assert(&["rc", "redis-master"], REPLICAS, "4");
    t.get_object_assert(&["rc", "redis-slave"], REPLICAS, "4");
    t.kubectl(&["delete", "rc", "redis-master", "redis-slave"]);
    // Scale a deployment.
    let deployment = testdata("deployment.yaml");
    t.kubectl(&["create", "-f", &deployment]);
    t.kubectl(&["scale", "--current-replicas=3", "--replicas=1", "deployment/nginx-deployment"]);
    t.get_object_assert(&["deployment", "nginx-deployment"], REPLICAS, "1");
    t.kubectl(&["delete", "deployment/nginx-deployment"]);
    // Expose a deployment from a file: the service takes the deployment's selector.
    let out = t.kubectl(&["expose", "-f", &testdata("appsv1deployment.yaml"), "--port", "80"]);
    t.if_has_string(&out, "service/expose-test-deployment exposed");
    t.kubectl(&["delete", "service/expose-test-deployment"]);
    // One with no selector cannot be exposed.
    let no_selectors = testdata("appsv1deployment-no-selectors.yaml");
    let out = t.kubectl_fails_all(&["expose", "-f", &no_selectors, "--port", "80"]);
    t.if_has_string(&out, "invalid deployment: no selectors");
    // Expose a deployment as a service.
    t.kubectl(&["create", "-f", &deployment]);
    t.get_object_assert(&["deployment", "nginx-deployment"], REPLICAS, "3");
    t.kubectl(&["expose", "deployment/nginx-deployment"]);
    t.get_object_assert(&["service", "nginx-deployment"], "{{(index .spec.ports 0).port}}", "80");
    t.kubectl(&["delete", "deployment/nginx-deployment", "service/nginx-deployment"]);
    // Expose a replication controller, a service and a pod; the ports are unnamed.
    t.kubectl(&["create", "-f", &frontend]);
    t.get_object_assert(&["rc", "frontend"], REPLICAS, "3");
    t.kubectl(&["expose", "rc", "frontend", "--port=80"]);
    t.get_object_assert(&["service", "frontend"], PORT, "<no value> 80");
    t.kubectl(&["expose", "service", "frontend", "--port=443", "--name=frontend-2"]);
    t.get_object_assert(&["service", "frontend-2"], PORT, "<no value> 443");
    t.kubectl(&["create", "-f", &testdata("valid-pod.yaml")]);
    t.kubectl(&["expose", "pod", "valid-pod", "--port=444", "--name=frontend-3"]);
    t.get_object_assert(&["service", "frontend-3"], PORT, "<no value> 444");
    // Exposing a service without a port takes the service's port.
    t.kubectl(&["expose", "service", "frontend", "--name=frontend-4"]);
    t.get_object_assert(&["service", "frontend-4"], "{{(index .spec.ports 0).port}}", "80");
    t.kubectl(&["delete", "pod", "valid-pod"]);
    t.kubectl(&["delete", "service", "frontend", "frontend-2", "frontend-3", "frontend-4"]);
    // A node cannot be exposed (test/cmd's one node, `127.0.0.1`, replaces kstate's).
    one_node_cluster(&t);
    let out = t.kubectl_fails_all(&["expose", "nodes", "127.0.0.1"]);
    t.if_has_string(&out, "cannot expose");
    // A service name longer than 63 characters is refused; one inherited from the pod is cut.
    let large = testdata("pod-with-large-name.yaml");
    let too_long = "--name=invalid-large-service-name-that-has-more-than-sixty-three-characters";
    let out = t.kubectl_fails_all(&["expose", "-f", &large, too_long, "--port=8081"]);
    t.if_has_string(&out, "metadata.name: Invalid value");
    let out = t.kubectl(&["expose", "-f", &large, "--port=8081"]);
    t.if_has_string(&out, "kubernetes-serve-hostname-testing-sixty-three-characters-in-len exposed");
    t.kubectl(&["delete", "svc", "kubernetes-serve-hostname-testing-sixty-three-characters-in-len"]);
    // Expose a multiport object as a new service: every port of the pod, named port-N.
    let out = t.kubectl(&["expose", "-f", &testdata("etcd.yaml"), "--selector=test=etcd"]);
    t.if_has_string(&out, "etcd-server exposed");
    t.get_object_assert(&["service", "etcd-server"], PORT, "port-1 2380");
    t.get_object_assert(&["service", "etcd-server"], SECOND_PORT, "port-2 2379");
    t.kubectl(&["delete", "svc", "etcd-server"]);
    // Delete replication controller with id.
    t.get_object_assert(&["rc"], &names(), "frontend:");
    t.kubectl(&["delete", "rc", "frontend"]);
    t.get_object_assert(&["rc"], &names(), "");
    // Create two replication controllers, delete them at once.
    t.get_object_assert(&["rc"], &names(), "");
    t.kubectl(&["create", "-f", &frontend]);
    t.kubectl(&["create", "-f", &testdata("redis-slave-controller.yaml")]);
    t.get_object_assert(&["rc"], &names(), "frontend:redis-slave:");
    t.get_object_assert(&["rc"], &names(), "frontend:redis-slave:");
    t.kubectl(&["delete", "rc", "frontend", "redis-slave"]);
    t.get_object_assert(&["rc"], &names(), "");
    // Auto scale replication controller.
    t.get_object_assert(&["rc"], &names(), "");
    t.kubectl(&["create", "-f", &frontend]);
    t.get_object_assert(&["rc"], &names(), "frontend:");
    t.kubectl(&["autoscale", "-f", &frontend, "--max=2", "--cpu-percent=70"]);
    t.get_object_assert(&["hpa", "frontend"], HPA_FIELDS, "1 2 70");
    t.kubectl(&["delete", "hpa", "frontend"]);
    t.kubectl(&["autoscale", "rc", "frontend", "--min=2", "--max=3"]);
    t.get_object_assert(&["hpa", "frontend"], HPA_FIELDS, "2 3 80");
    t.kubectl(&["delete", "hpa", "frontend"]);
    // Autoscale without --max fails.
    t.kubectl_fails(&["autoscale", "rc", "frontend"]);
    t.kubectl(&["delete", "rc", "frontend"]);
    // Set resource limits/requests of a deployment.
    t.get_object_assert(&["deployment"], &names(), "");
    let resources = testdata("deployment-multicontainer-resources.yaml");
    let perl_300 = ["-c=perl", "--limits=cpu=300m", "--requests=cpu=300m"];
    let local = [&["set", "resources", "-f", &resources][..], &perl_300, &["--local", "-o", "yaml"]].concat();
    t.kubectl(&local);
    // A client dry run reads the deployment from the server, where it does not exist yet.
    let dry = [&["set", "resources", "-f", &resources][..], &perl_300, &["--dry-run=client", "-o", "yaml"]].concat();
    t.kubectl_fails(&dry);
    t.kubectl(&["create", "-f", &resources]);
    t.get_object_assert(&["deployment"], &names(), "nginx-deployment-resources:");
    let image =
        |n: usize| format!("{{{{range.items}}}}{{{{(index .spec.template.spec.containers {n}).image}}}}:{{{{end}}}}");
    t.get_object_assert(&["deployment"], &image(0), "registry.k8s.io/nginx:test-cmd:");
    t.get_object_assert(&["deployment"], &image(1), "registry.k8s.io/perl:");
    t.kubectl(&["set", "resources", "deployment", "nginx-deployment-resources", "--limits=cpu=100m"]);
    t.get_object_assert(&["deployment"], &cpu(0, "limits"), "100m:");
    t.get_object_assert(&["deployment"], &cpu(1, "limits"), "100m:");
    // Setting a container that does not exist fails.
    t.kubectl_fails(&["set", "resources", "deployment", "nginx-deployment-resources", "-c=redis", "--limits=cpu=100m"]);
    // The limit of one container.
    t.kubectl(&["set", "resources", "deployment", "nginx-deployment-resources", "-c=nginx", "--limits=cpu=200m"]);
    t.get_object_assert(&["deployment"], &cpu(0, "limits"), "200m:");
    t.get_object_assert(&["deployment"], &cpu(1, "limits"), "100m:");
    // Limits and requests of a deployment named by a file.
    t.kubectl(&[&["set", "resources", "-f", &resources][..], &perl_300].concat());
    t.get_object_assert(&["deployment"], &cpu(0, "limits"), "200m:");
    t.get_object_assert(&["deployment"], &cpu(1, "limits"), "300m:");
    t.get_object_assert(&["deployment"], &cpu(1, "requests"), "300m:");
    // Dry runs change nothing; --local needs a file.
    let running = ["set", "resources", "deployment", "nginx-deployment-resources", "-c=perl"];
    let perl_400 = ["--limits=cpu=400m", "--requests=cpu=400m"];
    t.kubectl(&[&running[..], &perl_400, &["--dry-run=client", "-o", "yaml"]].concat());
    t.kubectl(&[&running[..], &perl_400, &["--dry-run=server", "-o", "yaml"]].concat());
    t.kubectl_fails(&[&running[..], &perl_400, &["--local", "-o", "yaml"]].concat());
    t.get_object_assert(&["deployment"], &cpu(0, "limits"), "200m:");
    t.get_object_assert(&["deployment"], &cpu(1, "limits"), "300m:");
    t.get_object_assert(&["deployment"], &cpu(1, "requests"), "300m:");
    t.kubectl(&["delete", "deployment", "nginx-deployment-resources"]);
    assert_eq!(t.asserts, 62);
}

/// kstate's own exact checks for what the ports above needed, each compared with kubectl v1.32
/// (through `kstate serve`) on the same objects: `expose` from files and its errors, `set` and
/// `scale -f` on a ReplicationController, `autoscale`'s autoscaling/v1 object, a resource named by
/// a group prefix. Not counted above.
#[test]
fn rc_expose_set_and_scale_print_what_kubectl_prints() {
    let t = Kt::new();
    let frontend = testdata("frontend-controller.yaml");
    t.kubectl(&["create", "-f", &frontend]);
    let etcd =
        t.kubectl(&["expose", "-f", &testdata("etcd.yaml"), "--selector=test=etcd", "--dry-run=client", "-o", "yaml"]);
    let want = "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  name: etcd-server\n  namespace: default\nspec:\n  ports:\n  - name: port-1\n    port: 2380\n    protocol: TCP\n    targetPort: 2380\n  - name: port-2\n    port: 2379\n    protocol: TCP\n    targetPort: 2379\n  selector:\n    test: etcd\nstatus:\n  loadBalancer: {}\n";
    // An explicit -n (the harness gives one) names the namespace in a client dry run's output.
    assert_eq!(etcd, want);
    let no_selectors = testdata("appsv1deployment-no-selectors.yaml");
    assert_eq!(
        t.kubectl_fails(&["expose", "-f", &no_selectors, "--port", "80"]),
        "error: couldn't retrieve selectors via --selector flag or introspection: invalid deployment: no selectors, therefore cannot be exposed\n"
    );
    // The file's controller has no selector; the server's has the template's labels.
    assert_eq!(
        t.kubectl_fails(&["expose", "-f", &frontend, "--port=80", "--dry-run=client"]),
        "error: selector must be specified\n"
    );
    let node = t.c.ok(&["get", "nodes", "-o", "jsonpath={.items[0].metadata.name}"]);
    assert_eq!(t.kubectl_fails(&["expose", "nodes", &node]), "error: cannot expose a Node\n");
    let bad = ["expose", "rc", "frontend", "--port=80", "--selector=a=b,c", "--dry-run=client"];
    assert_eq!(t.kubectl_fails(&bad), "error: unexpected label spec: c\n");
    assert_eq!(
        t.kubectl(&["set", "image", "rc/frontend", "php-redis=nginx", "--dry-run=client"]),
        "replicationcontroller/frontend image updated (dry run)\n"
    );
    assert_eq!(
        t.kubectl_fails(&["set", "resources", "rc/frontend", "-c=nope", "--limits=cpu=1"]),
        "error: unable to find container named nope\n"
    );
    assert_eq!(
        t.kubectl(&["scale", "--replicas=2", "-f", &frontend, "--dry-run=client"]),
        "replicationcontroller/frontend scaled (dry run)\n"
    );
    // kubectl v1.32 builds an autoscaling/v1 autoscaler (a client dry run prints it as built).
    let dry = ["autoscale", "rc", "frontend", "--min=2", "--max=3", "--cpu-percent=50", "--dry-run=client"];
    assert_eq!(
        t.kubectl(&[&dry[..], &["-o", "yaml"]].concat()),
        "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  creationTimestamp: null\n  name: frontend\nspec:\n  maxReplicas: 3\n  minReplicas: 2\n  scaleTargetRef:\n    apiVersion: v1\n    kind: ReplicationController\n    name: frontend\n  targetCPUUtilizationPercentage: 50\nstatus:\n  currentReplicas: 0\n  desiredReplicas: 0\n"
    );
    assert_eq!(t.kubectl(&dry), "horizontalpodautoscaler.autoscaling/frontend created (dry run)\n");
    // Stored, it is the v2 object `get` shows; `autoscale -o` shows the server's v1 answer.
    let created = t.kubectl(&[
        "autoscale",
        "rc",
        "frontend",
        "--max=2",
        "--cpu-percent=60",
        "-o",
        "jsonpath={.apiVersion} {.spec.targetCPUUtilizationPercentage}",
    ]);
    assert_eq!(created, "autoscaling/v1 60");
    let stored = "jsonpath={.apiVersion} {.spec.metrics[0].resource.target.averageUtilization}";
    assert_eq!(t.kubectl(&["get", "hpa", "frontend", "-o", stored]), "autoscaling/v2 60");
    for resource in ["hpa.autoscal", "horizontalpodautoscalers.autoscal", "hpa.v2.autoscal"] {
        assert_eq!(t.kubectl(&["get", resource, "-o", "name"]), "horizontalpodautoscaler.autoscaling/frontend\n");
    }
}
