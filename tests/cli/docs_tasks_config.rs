//! kubernetes.io task pages on configuring pods and managing objects, replayed command by command
//! with each output compared with what kubectl v1.32 prints (where a page shows an older
//! cluster's output, v1.32's is expected): tasks/manage-kubernetes-objects/update-api-object-kubectl-patch,
//! tasks/debug/debug-application/debug-running-pod ("Debugging with container exec" on a pause
//! container) and tasks/configure-pod-container/configure-pod-configmap. Their examples are in
//! tests/cli/replay_docs/examples/.

use crate::harness::{assert_text, k8s_example as example, step, Cluster};

/// Runs one command that fails and checks its standard error.
#[track_caller]
fn fails(c: &Cluster, args: &[&str], want: &str) {
    let out = c.run(args);
    assert_text(&out.stderr, want);
    assert_eq!(out.code, 1, "{args:?}");
}

fn jsonpath(c: &Cluster, args: &[&str], path: &str) -> String {
    let mut all = args.to_vec();
    let p = format!("jsonpath={path}");
    all.extend(["-o", &p]);
    c.ok(&all)
}

#[test]
fn kubectl_patch_page_merges_replaces_and_retains_keys() {
    let c = Cluster::new();
    step(&c, &["apply", "-f", &example("application/deployment-patch.yaml")], "deployment.apps/patch-demo created\n");
    let ready =
        |c: &Cluster| jsonpath(c, &["get", "pods"], "{range .items[*]}{.status.containerStatuses[*].ready} {end}");
    assert_eq!(ready(&c), "true true ");

    // A strategic merge patch merges the containers list by name; the new container comes first,
    // as the page shows (`- image: redis` above `- image: nginx`).
    let patch = c.file(
        "patch-file.yaml",
        "spec:\n  template:\n    spec:\n      containers:\n      - name: patch-demo-ctr-2\n        image: redis\n",
    );
    let text = std::fs::read_to_string(&patch).unwrap();
    step(&c, &["patch", "deployment", "patch-demo", "--patch", &text], "deployment.apps/patch-demo patched\n");
    let containers = |c: &Cluster| {
        jsonpath(
            c,
            &["get", "deployment", "patch-demo"],
            "{range .spec.template.spec.containers[*]}{.image} {.name};{end}",
        )
    };
    assert_eq!(containers(&c), "redis patch-demo-ctr-2;nginx patch-demo-ctr;");
    let yaml = c.ok(&["get", "deployment", "patch-demo", "--output", "yaml"]);
    assert!(yaml.contains("      containers:\n      - image: redis\n        imagePullPolicy: Always\n        name: patch-demo-ctr-2\n"), "{yaml}");
    assert_eq!(ready(&c), "true true true true ");
    // The same patch again, as JSON and from a file: nothing changes.
    let json = r#"{"spec": {"template": {"spec": {"containers": [{"name": "patch-demo-ctr-2","image": "redis"}]}}}}"#;
    step(
        &c,
        &["patch", "deployment", "patch-demo", "--patch", json],
        "deployment.apps/patch-demo patched (no change)\n",
    );
    step(
        &c,
        &["patch", "deployment", "patch-demo", "--patch-file", &patch],
        "deployment.apps/patch-demo patched (no change)\n",
    );
    // The page's one-line YAML in single quotes keeps its `\n`s: kubectl cannot parse it, and
    // go-yaml names no line for an error on the first one.
    let one_line = r"spec:\n template:\n  spec:\n   containers:\n   - name: patch-demo-ctr-2\n     image: redis";
    fails(
        &c,
        &["patch", "deployment", "patch-demo", "--patch", one_line],
        "error: unable to parse \"spec:\\\\n template:\\\\n  spec:\\\\n   containers:\\\\n   - name: patch-demo-ctr-2\\\\n     image: redis\": yaml: mapping values are not allowed in this context\n",
    );

    // Tolerations have no patch strategy: the list is replaced.
    let tolerations = "spec:\n  template:\n    spec:\n      tolerations:\n      - effect: NoSchedule\n        key: disktype\n        value: ssd\n";
    step(&c, &["patch", "deployment", "patch-demo", "--patch", tolerations], "deployment.apps/patch-demo patched\n");
    assert_eq!(
        jsonpath(&c, &["get", "deployment", "patch-demo"], "{.spec.template.spec.tolerations}"),
        r#"[{"effect":"NoSchedule","key":"disktype","value":"ssd"}]"#
    );

    // A JSON merge patch replaces the whole list.
    let merge = "spec:\n  template:\n    spec:\n      containers:\n      - name: patch-demo-ctr-3\n        image: gcr.io/google-samples/node-hello:1.0\n";
    step(
        &c,
        &["patch", "deployment", "patch-demo", "--type", "merge", "--patch", merge],
        "deployment.apps/patch-demo patched\n",
    );
    assert_eq!(containers(&c), "gcr.io/google-samples/node-hello:1.0 patch-demo-ctr-3;");
    assert_eq!(ready(&c), "true true ");

    // retainKeys.
    step(
        &c,
        &["apply", "-f", &example("application/deployment-retainkeys.yaml")],
        "deployment.apps/retainkeys-demo created\n",
    );
    let invalid = "The Deployment \"retainkeys-demo\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'\n";
    let no_retain = "spec:\n  strategy:\n    type: Recreate\n";
    fails(&c, &["patch", "deployment", "retainkeys-demo", "--type", "merge", "--patch", no_retain], invalid);
    // In a JSON merge patch `$retainKeys` is only an unknown field: the server drops it with a
    // warning (kubectl's patch sends no fieldValidation) and the Deployment is still invalid.
    let retain = "spec:\n  strategy:\n    $retainKeys:\n    - type\n    type: Recreate\n";
    fails(
        &c,
        &["patch", "deployment", "retainkeys-demo", "--type", "merge", "--patch", retain],
        &format!("Warning: unknown field \"spec.strategy.$retainKeys\"\n{invalid}"),
    );
    step(
        &c,
        &["patch", "deployment", "retainkeys-demo", "--patch", retain],
        "deployment.apps/retainkeys-demo patched\n",
    );
    assert_eq!(jsonpath(&c, &["get", "deployment", "retainkeys-demo"], "{.spec.strategy}"), r#"{"type":"Recreate"}"#);
}

#[test]
fn debug_running_pod_page_pause_image_has_no_shell() {
    let c = Cluster::new();
    step(
        &c,
        &["run", "ephemeral-demo", "--image=registry.k8s.io/pause:3.1", "--restart=Never"],
        "pod/ephemeral-demo created\n",
    );
    assert_eq!(jsonpath(&c, &["get", "pod", "ephemeral-demo"], "{.status.phase}"), "Running");
    let out = c.run(&["exec", "ephemeral-demo", "--", "sh"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with("error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \""),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.ends_with("\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"sh\": executable file not found in $PATH: unknown\n"),
        "{}",
        out.stderr
    );
    step(&c, &["logs", "ephemeral-demo"], "");
}

#[test]
fn declarative_config_page_keeps_the_scaled_replicas_and_its_selector_filters_the_manifests() {
    // tasks/manage-kubernetes-objects/declarative-config: apply, scale imperatively, apply a
    // manifest that drops minReadySeconds (cleared) and sets no replicas (kept).
    let c = Cluster::new();
    let simple = example("application/simple_deployment.yaml");
    let update = example("application/update_deployment.yaml");
    assert_eq!(c.run(&["diff", "-f", &simple]).code, 1);
    step(&c, &["apply", "-f", &simple], "deployment.apps/nginx-deployment created\n");
    step(&c, &["scale", "deployment/nginx-deployment", "--replicas=2"], "deployment.apps/nginx-deployment scaled\n");
    step(&c, &["apply", "-f", &update], "deployment.apps/nginx-deployment configured\n");
    let spec = "{.spec.replicas} {.spec.minReadySeconds} {.spec.template.spec.containers[0].image}";
    assert_eq!(jsonpath(&c, &["get", "-f", &update], spec), "2  nginx:1.16.1");
    step(&c, &["apply", "view-last-applied", "-f", &update], "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations: {}\n  name: nginx-deployment\n  namespace: default\nspec:\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - image: nginx:1.16.1\n        name: nginx\n        ports:\n        - containerPort: 80\n");
    step(&c, &["delete", "-f", &update], "deployment.apps \"nginx-deployment\" deleted\n");
    // `-l` filters the manifests' objects before anything is sent: the Deployment carries no
    // labels of its own (only its template does), so nothing is left to apply or create.
    let before = c.snapshot();
    fails(&c, &["apply", "-f", &simple, "--prune", "-l", "app=nginx"], "error: no objects passed to apply\n");
    fails(&c, &["create", "-f", &simple, "-l", "app=nginx"], "error: no objects passed to create\n");
    let empty = c.file("empty.yaml", "apiVersion: v1\nkind: List\nitems: []\n");
    fails(&c, &["apply", "-f", &empty], "error: no objects passed to apply\n");
    assert_eq!(c.snapshot(), before);
}

#[test]
fn security_context_page_runs_as_the_pods_user_and_group() {
    // tasks/configure-pod-container/security-context, "Set the security context for a Pod": the
    // commands typed in `kubectl exec -it security-context-demo -- sh`.
    let mut c = Cluster::new();
    c.at("2026-06-06T20:08:00Z");
    step(&c, &["apply", "-f", &example("pods/security/security-context.yaml")], "pod/security-context-demo created\n");
    let shell = |input: &str| c.run_stdin(&["exec", "-i", "security-context-demo", "--", "sh"], input).stdout;
    // busybox's ps shows each command line as typed.
    assert_text(
        &shell("ps\n"),
        "PID   USER     TIME  COMMAND\n    1 1000      0:00 sleep 1h\n   42 1000      0:00 ps\n",
    );
    assert_text(
        &shell("cd /data\nls -l\n"),
        "total 4\ndrwxrwsrwx    2 root     2000          4096 Jun  6 20:08 demo\n",
    );
    assert_text(
        &shell("cd /data/demo\necho hello > testfile\nls -l\nid\n"),
        "total 4\n-rw-r--r--    1 1000     2000             6 Jun  6 20:08 testfile\nuid=1000 gid=3000 groups=2000,3000\n",
    );
}

#[test]
fn share_process_namespace_page_shell_container_sees_the_nginx_processes() {
    // tasks/configure-pod-container/share-process-namespace: the shell container (`stdin: true`,
    // attached) lists the sandbox's /pause as PID 1 and nginx's processes, as the page shows
    // (its own command is the example's `sleep 3600`).
    let c = Cluster::new();
    step(&c, &["apply", "-f", &example("pods/share-process-namespace.yaml")], "pod/nginx created\n");
    assert_eq!(jsonpath(&c, &["get", "pod", "nginx"], "{.status.containerStatuses[*].ready}"), "true true");
    let out = c.run_stdin(&["exec", "-i", "nginx", "-c", "shell", "--", "/bin/sh"], "ps ax\n");
    assert_text(
        &out.stdout,
        "PID   USER     TIME  COMMAND
    1 root      0:00 /pause
    8 root      0:00 nginx: master process nginx -g daemon off;
   14 101       0:00 nginx: worker process
   15 root      0:00 sleep 3600
   21 root      0:00 ps ax
",
    );
}

#[test]
fn service_account_page_replaces_the_default_account_it_saved() {
    // tasks/configure-pod-container/configure-service-account, "Add ImagePullSecrets to a service
    // account": `kubectl replace serviceaccount default -f ./sa.yaml` names the object as well as
    // the file; kubectl's replace takes no arguments and ignores them.
    let c = Cluster::new();
    step(
        &c,
        &[
            "create",
            "secret",
            "docker-registry",
            "myregistrykey",
            "--docker-server=DUMMY_SERVER",
            "--docker-username=DUMMY_USERNAME",
            "--docker-password=DUMMY_DOCKER_PASSWORD",
            "--docker-email=DUMMY_DOCKER_EMAIL",
        ],
        "secret/myregistrykey created\n",
    );
    step(
        &c,
        &["patch", "serviceaccount", "default", "-p", r#"{"imagePullSecrets": [{"name": "myregistrykey"}]}"#],
        "serviceaccount/default patched\n",
    );
    let sa = c.file("sa.yaml", &c.ok(&["get", "serviceaccounts", "default", "-o", "yaml"]));
    step(&c, &["replace", "serviceaccount", "default", "-f", &sa], "serviceaccount/default replaced\n");
    step(&c, &["run", "nginx", "--image=registry.example/nginx", "--restart=Never"], "pod/nginx created\n");
    assert_eq!(jsonpath(&c, &["get", "pod", "nginx"], "{.spec.imagePullSecrets[0].name}"), "myregistrykey");
    // apply, create -f and diff take no arguments either, and say so.
    fails(
        &c,
        &["apply", "serviceaccount", "-f", &sa],
        "error: Unexpected args: [serviceaccount]\nSee 'kubectl apply -h' for help and examples\n",
    );
    fails(
        &c,
        &["create", "default", "x", "-f", &sa],
        "error: Unexpected args: [default x]\nSee 'kubectl create -h' for help and examples\n",
    );
    let out = c.run(&["diff", "default", "-f", &sa]);
    assert_eq!(
        (out.stderr.as_str(), out.code),
        ("error: Unexpected args: [default]\nSee 'kubectl diff -h' for help and examples\n", 2)
    );
}

#[test]
fn service_account_page_token_secret_is_filled_by_the_tokens_controller() {
    // tasks/configure-pod-container/configure-service-account, "Manually create an API token for
    // a ServiceAccount": the Secret gets the account's uid, the CA bundle, the namespace and a
    // legacy token, which describe shows in full.
    let c = Cluster::new();
    step(&c, &["create", "serviceaccount", "build-robot"], "serviceaccount/build-robot created\n");
    let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: build-robot-secret\n  annotations:\n    kubernetes.io/service-account.name: build-robot\ntype: kubernetes.io/service-account-token\n";
    assert_text(&c.run_stdin(&["apply", "-f", "-"], secret).stdout, "secret/build-robot-secret created\n");
    let uid = jsonpath(&c, &["get", "serviceaccount", "build-robot"], "{.metadata.uid}");
    let token_b64 = jsonpath(&c, &["get", "secret", "build-robot-secret"], "{.data.token}");
    let token = c.ok(&["get", "secret", "build-robot-secret", "-o", "go-template={{.data.token | base64decode}}"]);
    assert!(token.starts_with("eyJhbGciOiJSUzI1NiIsImtpZCI6ImtzdGF0ZSJ9."), "{token_b64} {token}");
    let claims = c.ok(&[
        "get",
        "secret",
        "build-robot-secret",
        "-o",
        "go-template={{index .metadata.annotations \"kubernetes.io/service-account.uid\"}} {{.data.namespace | base64decode}}",
    ]);
    assert_eq!(claims, format!("{uid} default"));
    step(
        &c,
        &["describe", "secrets/build-robot-secret"],
        &format!(
            "Name:         build-robot-secret\nNamespace:    default\nLabels:       <none>\nAnnotations:  kubernetes.io/service-account.name: build-robot\n              kubernetes.io/service-account.uid: {uid}\n\nType:  kubernetes.io/service-account-token\n\nData\n====\nca.crt:     82 bytes\nnamespace:  7 bytes\ntoken:      {token}\n"
        ),
    );
    let described = c.ok(&["describe", "serviceaccount", "build-robot"]);
    assert!(described.contains("Tokens:              build-robot-secret\n"), "{described}");
    step(&c, &["delete", "secret", "build-robot-secret"], "secret \"build-robot-secret\" deleted\n");
}

#[test]
fn get_shell_page_serves_the_page_it_wrote_from_a_host_network_pod() {
    // tasks/debug/debug-application/get-shell-running-container: shell-demo runs in its node's
    // network namespace (`hostNetwork: true`): the node's address and host name.
    let c = Cluster::new();
    step(&c, &["apply", "-f", &example("application/shell-demo.yaml")], "pod/shell-demo created\n");
    let node = jsonpath(&c, &["get", "pod", "shell-demo"], "{.spec.nodeName}");
    let node_ip = jsonpath(&c, &["get", "node", &node], "{.status.addresses[?(@.type==\"InternalIP\")].address}");
    assert_eq!(
        jsonpath(&c, &["get", "pod", "shell-demo"], "{.status.podIP} {.status.podIPs[0].ip}"),
        format!("{node_ip} {node_ip}")
    );
    step(&c, &["exec", "shell-demo", "--", "hostname"], &format!("{node}\n"));
    let typed = "echo 'Hello shell demo' > /usr/share/nginx/html/index.html\ncurl -s http://localhost/\n";
    let out = c.run_stdin(&["exec", "--stdin", "--tty", "shell-demo", "--", "/bin/bash"], typed);
    assert_text(&out.stdout, "Hello shell demo\n");
    // The mounts of PID 1 are the container's.
    let mounts = c.ok(&["exec", "shell-demo", "--", "cat", "/proc/1/mounts"]);
    assert_eq!(mounts, c.ok(&["exec", "shell-demo", "--", "cat", "/proc/mounts"]));
    assert!(mounts.contains(" /usr/share/nginx/html ext4 rw,relatime 0 0\n"), "{mounts}");
    let env = c.run(&["exec", "shell-demo", "env"]);
    assert!(env.stdout.contains(&format!("\nHOSTNAME={node}\n")), "{}", env.stdout);
}

#[test]
fn debug_init_containers_page_describes_the_pod_from_its_manifest() {
    // tasks/debug/debug-application/debug-init-containers (with the init containers concept
    // page's myapp-pod): `kubectl describe -f FILE` names the objects of the manifest.
    let c = Cluster::new();
    let manifest = example("pods/init-containers-myapp.yaml");
    step(&c, &["apply", "-f", &manifest], "pod/myapp-pod created\n");
    let described = c.ok(&["describe", "-f", &manifest]);
    assert_eq!(described, c.ok(&["describe", "pod", "myapp-pod"]));
    assert!(described.starts_with("Name:             myapp-pod\nNamespace:        default\n"), "{described}");
    assert!(described.contains("\nInit Containers:\n  init-myservice:\n"), "{described}");
    fails(
        &c,
        &["describe", "pod", "-f", &manifest],
        "error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n",
    );
    step(&c, &["get", "-f", &manifest, "-o", "name"], "pod/myapp-pod\n");
    step(&c, &["wait", "-f", &manifest, "--for=condition=PodScheduled"], "pod/myapp-pod condition met\n");
    let statuses = c.ok(&[
        "get",
        "pod",
        "myapp-pod",
        "--template",
        "{{range .status.initContainerStatuses}}{{.name}}={{.ready}} {{end}}",
    ]);
    assert_eq!(statuses, "init-myservice=false init-mydb=false ");
}

#[test]
fn create_generators_take_exactly_one_name() {
    // configure-pod-configmap's `kubectl create configmap <map-name> <data-source>` typed with a
    // space-separated source: kubectl's NameFromCommandArgs counts the names.
    let c = Cluster::new();
    let before = c.snapshot();
    let usage = |n: usize, cmd: &str| {
        format!("error: exactly one NAME is required, got {n}\nSee 'kubectl {cmd} -h' for help and examples\n")
    };
    fails(&c, &["create", "configmap", "game-config", "game.properties"], &usage(2, "create configmap"));
    fails(&c, &["create", "configmap", "--from-literal=a=b"], &usage(0, "create configmap"));
    fails(&c, &["create", "secret", "generic", "--from-literal", "a=b"], &usage(0, "create secret generic"));
    fails(&c, &["-n", "default", "create", "serviceaccount", "a", "b"], &usage(2, "create serviceaccount"));
    fails(&c, &["create", "deployment", "a", "b", "--image=nginx"], &usage(2, "create deployment"));
    fails(&c, &["create", "deployment", "--image", "nginx"], &usage(0, "create deployment"));
    // `--dry-run` takes its value only after `=`, so `client` is a second name.
    fails(&c, &["create", "deployment", "x", "--image=nginx", "--dry-run", "client"], &usage(2, "create deployment"));
    assert_eq!(c.snapshot(), before);
}
