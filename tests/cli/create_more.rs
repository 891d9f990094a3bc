//! The `create` generators kubectl v1.32 has for the kinds kstate serves beyond namespace,
//! configmap, secret generic, service clusterip/nodeport/loadbalancer, deployment and job:
//! `create cronjob`, `create secret tls|docker-registry`, `create service externalname` and
//! `create poddisruptionbudget`. Every expected output below was printed by the real kubectl v1.32
//! with the same arguments (`--dry-run=client`), byte for byte.

use crate::harness::{assert_text, Cluster};

/// kubectl's klog error line for missing required flags, without its time and process id.
#[track_caller]
fn required(c: &Cluster, args: &[&str], flags: &str) {
    let o = c.run(args);
    assert_eq!((o.code, o.stdout.as_str()), (1, ""), "{args:?}");
    let (head, tail) = o.stderr.split_once(" run.go:72] ").expect("a klog line");
    assert!(head.starts_with("E1127 09:00:00.000000 ") && head.len() == 29, "{}", o.stderr);
    assert_eq!(tail, format!("\"command failed\" err=\"required flag(s) {flags} not set\"\n"));
}

#[track_caller]
fn fails(c: &Cluster, args: &[&str], stderr: &str) {
    let before = c.snapshot();
    let o = c.run(args);
    assert_eq!((o.code, o.stdout.as_str(), o.stderr.as_str()), (1, "", stderr), "{args:?}");
    assert_eq!(c.snapshot(), before, "{args:?} changed the cluster");
}

#[test]
fn create_cronjob_builds_kubectls_cronjob() {
    let c = Cluster::new();
    let args =
        ["create", "cronjob", "cj", "--image=busybox", "--schedule=*/1 * * * *", "--dry-run=client", "-o", "yaml"];
    let mut with_command = args.to_vec();
    with_command.extend(["--", "date", "-u"]);
    assert_text(
        &c.ok(&with_command),
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  creationTimestamp: null\n  name: cj\nspec:\n  jobTemplate:\n    metadata:\n      creationTimestamp: null\n      name: cj\n    spec:\n      template:\n        metadata:\n          creationTimestamp: null\n        spec:\n          containers:\n          - command:\n            - date\n            - -u\n            image: busybox\n            name: cj\n            resources: {}\n          restartPolicy: OnFailure\n  schedule: '*/1 * * * *'\nstatus: {}\n",
    );
    let never = c.ok(&[
        "create",
        "cj",
        "n",
        "--image=busybox",
        "--schedule=0 0 * * *",
        "--restart=Never",
        "--dry-run=client",
        "-o",
        "jsonpath={.spec.jobTemplate.spec.template.spec.restartPolicy} {.spec.schedule}",
    ]);
    assert_eq!(never, "Never 0 0 * * *");
    assert_eq!(
        c.ok(&["create", "cronjob", "cj", "--image=busybox", "--schedule=*/5 * * * *", "--", "date"]),
        "cronjob.batch/cj created\n"
    );
    assert_eq!(
        c.ok(&["get", "cj", "cj", "-o", "jsonpath={.spec.jobTemplate.spec.template.spec.containers[0].command}"]),
        "[\"date\"]"
    );
    required(&c, &["create", "cronjob", "x", "--schedule=* * * * *"], "\\\"image\\\"");
    required(&c, &["create", "cronjob", "x"], "\\\"image\\\", \\\"schedule\\\"");
    // The same klog line for the other verbs with required flags.
    required(&c, &["create", "deployment", "x"], "\\\"image\\\"");
    required(&c, &["run", "x"], "\\\"image\\\"");
    required(&c, &["scale", "sts", "web"], "\\\"replicas\\\"");
    fails(&c, &["run", "x", "--image="], "error: --image is required\n");
    fails(
        &c,
        &["create", "cronjob", "x", "--image=busybox", "--schedule=nope"],
        "The CronJob \"x\" is invalid: spec.schedule: Invalid value: \"nope\": expected exactly 5 fields, found 1: [nope]\n",
    );
}

const CERT: &str = "-----BEGIN CERTIFICATE-----
MIIBgTCCASegAwIBAgIULK7X1MwjrqssyKTbi4OQJDcHpjQwCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLa3N0YXRlLnRlc3QwHhcNMjYxMjA2MTE0NjE5WhcNMzYxMjAz
MTE0NjE5WjAWMRQwEgYDVQQDDAtrc3RhdGUudGVzdDBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABBGEGg3Go9QoW1oUpqtL5rfwcNESd4JmPcoTzg8FuqsJ0HObluAv
7jI9PztIoc+1TjBYf4U9xqqBY2D0IQ5aP+SjUzBRMB0GA1UdDgQWBBQE/w2oy/lW
1Vlk+opN92SeOZQKSjAfBgNVHSMEGDAWgBQE/w2oy/lW1Vlk+opN92SeOZQKSjAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQD+EvEs/HSp36jxN3Zi
UXjO7nPxaM+3E676lY63dNb7pAIgSovTvTE/9UNUO2EGnn9ZB2ZXnI7pY6XQiI5o
OPC90MM=
-----END CERTIFICATE-----
";
const KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgIgF/h1xlrbaQ8NT+
F2h1E4Prf9N2GcHB8/nNjp483VahRANCAAQRhBoNxqPUKFtaFKarS+a38HDREneC
Zj3KE84PBbqrCdBzm5bgL+4yPT87SKHPtU4wWH+FPcaqgWNg9CEOWj/k
-----END PRIVATE KEY-----
";

#[test]
fn create_secret_tls_reads_and_checks_the_pem_files() {
    let c = Cluster::new();
    let (crt, key) = (c.file("tls.crt", CERT), c.file("tls.key", KEY));
    let out = c.ok(&[
        "create",
        "secret",
        "tls",
        "web-tls",
        &format!("--cert={crt}"),
        &format!("--key={key}"),
        "--dry-run=client",
        "-o",
        "yaml",
    ]);
    assert_text(&out, TLS_YAML);
    assert_eq!(
        c.ok(&["create", "secret", "tls", "web-tls", "--cert", &crt, "--key", &key]),
        "secret/web-tls created\n"
    );
    assert_eq!(c.ok(&["get", "secret", "web-tls", "-o", "jsonpath={.type}"]), "kubernetes.io/tls");
    fails(&c, &["create", "secret", "tls", "t", "--cert", &crt], "error: key and cert must be specified\n");
    fails(
        &c,
        &["create", "secret", "tls", "t", "--cert", &crt, "--key=nope.key"],
        "error: Cannot read file nope.key, open nope.key: no such file or directory\n",
    );
    fails(
        &c,
        &["create", "secret", "tls", "t", "--cert", &key, "--key", &crt],
        "error: tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched\n",
    );
    fails(
        &c,
        &["create", "secret", "tls", "t", "--cert", &crt, "--key", &crt],
        "error: tls: found a certificate rather than a key in the PEM for the private key\n",
    );
}

const TLS_YAML: &str = "apiVersion: v1\ndata:\n  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJnVENDQVNlZ0F3SUJBZ0lVTEs3WDFNd2pycXNzeUtUYmk0T1FKRGNIcGpRd0NnWUlLb1pJemowRUF3SXcKRmpFVU1CSUdBMVVFQXd3TGEzTjBZWFJsTG5SbGMzUXdIaGNOTWpZeE1qQTJNVEUwTmpFNVdoY05Nell4TWpBegpNVEUwTmpFNVdqQVdNUlF3RWdZRFZRUUREQXRyYzNSaGRHVXVkR1Z6ZERCWk1CTUdCeXFHU000OUFnRUdDQ3FHClNNNDlBd0VIQTBJQUJCR0VHZzNHbzlRb1cxb1VwcXRMNXJmd2NORVNkNEptUGNvVHpnOEZ1cXNKMEhPYmx1QXYKN2pJOVB6dElvYysxVGpCWWY0VTl4cXFCWTJEMElRNWFQK1NqVXpCUk1CMEdBMVVkRGdRV0JCUUUvdzJveS9sVwoxVmxrK29wTjkyU2VPWlFLU2pBZkJnTlZIU01FR0RBV2dCUUUvdzJveS9sVzFWbGsrb3BOOTJTZU9aUUtTakFQCkJnTlZIUk1CQWY4RUJUQURBUUgvTUFvR0NDcUdTTTQ5QkFNQ0EwZ0FNRVVDSVFEK0V2RXMvSFNwMzZqeE4zWmkKVVhqTzduUHhhTSszRTY3NmxZNjNkTmI3cEFJZ1NvdlR2VEUvOVVOVU8yRUdubjlaQjJaWG5JN3BZNlhRaUk1bwpPUEM5ME1NPQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==\n  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JR0hBZ0VBTUJNR0J5cUdTTTQ5QWdFR0NDcUdTTTQ5QXdFSEJHMHdhd0lCQVFRZ0lnRi9oMXhscmJhUThOVCsKRjJoMUU0UHJmOU4yR2NIQjgvbk5qcDQ4M1ZhaFJBTkNBQVFSaEJvTnhxUFVLRnRhRkthclMrYTM4SERSRW5lQwpaajNLRTg0UEJicXJDZEJ6bTViZ0wrNHlQVDg3U0tIUHRVNHdXSCtGUGNhcWdXTmc5Q0VPV2ovawotLS0tLUVORCBQUklWQVRFIEtFWS0tLS0tCg==\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: web-tls\ntype: kubernetes.io/tls\n";

#[test]
fn create_secret_docker_registry_writes_a_dockerconfigjson() {
    let c = Cluster::new();
    let out = c.ok(&[
        "create",
        "secret",
        "docker-registry",
        "reg",
        "--docker-server=r.io",
        "--docker-username=u",
        "--docker-password=pw",
        "--docker-email=e@x.io",
        "--dry-run=client",
        "-o",
        "yaml",
    ]);
    assert_text(&out, "apiVersion: v1\ndata:\n  .dockerconfigjson: eyJhdXRocyI6eyJyLmlvIjp7InVzZXJuYW1lIjoidSIsInBhc3N3b3JkIjoicHciLCJlbWFpbCI6ImVAeC5pbyIsImF1dGgiOiJkVHB3ZHc9PSJ9fX0=\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: reg\ntype: kubernetes.io/dockerconfigjson\n");
    // No server: Docker Hub's; `<&>` escaped as Go's encoding/json escapes them.
    let out = c.ok(&[
        "create",
        "secret",
        "docker-registry",
        "reg2",
        "--docker-username=u",
        "--docker-password=p<&>w",
        "--dry-run=client",
        "-o",
        "jsonpath={.data.\\.dockerconfigjson}",
    ]);
    assert_eq!(out, "eyJhdXRocyI6eyJodHRwczovL2luZGV4LmRvY2tlci5pby92MS8iOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwXHUwMDNjXHUwMDI2XHUwMDNldyIsImF1dGgiOiJkVHB3UENZK2R3PT0ifX19");
    let cfg = c.file("dc.json", "{\"auths\":{}}\n");
    let out = c.ok(&[
        "create",
        "secret",
        "docker-registry",
        "reg3",
        &format!("--from-file={cfg}"),
        "--docker-username=ignored",
        "--dry-run=client",
        "-o",
        "yaml",
    ]);
    assert_text(&out, "apiVersion: v1\ndata:\n  .dockerconfigjson: eyJhdXRocyI6e319Cg==\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: reg3\ntype: kubernetes.io/dockerconfigjson\n");
    fails(
        &c,
        &["create", "secret", "docker-registry", "reg", "--docker-password=pw"],
        "error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required\n",
    );
}

#[test]
fn create_service_externalname_has_no_cluster_ip() {
    let c = Cluster::new();
    let out = c.ok(&[
        "create",
        "service",
        "externalname",
        "ext2",
        "--external-name=example.com",
        "--tcp=80:8080",
        "--dry-run=client",
        "-o",
        "yaml",
    ]);
    assert_text(&out, "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: ext2\n  name: ext2\nspec:\n  externalName: example.com\n  ports:\n  - name: 80-8080\n    port: 80\n    protocol: TCP\n    targetPort: 8080\n  selector:\n    app: ext2\n  type: ExternalName\nstatus:\n  loadBalancer: {}\n");
    assert_eq!(c.ok(&["create", "svc", "externalname", "ext", "--external-name=example.com"]), "service/ext created\n");
    assert_eq!(
        c.ok(&["get", "svc", "ext", "--no-headers"]),
        "ext   ExternalName   <none>   example.com   <none>   0s\n"
    );
    required(&c, &["create", "service", "externalname", "x"], "\\\"external-name\\\"");
    fails(
        &c,
        &["create", "service", "externalname", "x", "--external-name=bad_name"],
        "error: invalid service external name bad_name\n",
    );
}

#[test]
fn create_pdb_takes_a_selector_and_one_bound() {
    let c = Cluster::new();
    let out = c.ok(&[
        "create",
        "pdb",
        "p",
        "--selector=app in (b,a),tier,!x,z=1",
        "--min-available=2",
        "--dry-run=client",
        "-o",
        "yaml",
    ]);
    assert_text(&out, "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  creationTimestamp: null\n  name: p\nspec:\n  minAvailable: 2\n  selector:\n    matchExpressions:\n    - key: app\n      operator: In\n      values:\n      - a\n      - b\n    - key: tier\n      operator: Exists\n    - key: x\n      operator: DoesNotExist\n    matchLabels:\n      z: \"1\"\nstatus:\n  currentHealthy: 0\n  desiredHealthy: 0\n  disruptionsAllowed: 0\n  expectedPods: 0\n");
    let out = c.ok(&[
        "create",
        "poddisruptionbudget",
        "q",
        "--selector=app=web",
        "--max-unavailable=50%",
        "--dry-run=client",
        "-o",
        "jsonpath={.spec}",
    ]);
    assert_eq!(out, "{\"maxUnavailable\":\"50%\",\"selector\":{\"matchLabels\":{\"app\":\"web\"}}}");
    assert_eq!(
        c.ok(&["create", "pdb", "p", "--selector=app=web", "--min-available=1"]),
        "poddisruptionbudget.policy/p created\n"
    );
    assert_eq!(c.ok(&["get", "pdb", "p", "--no-headers"]), "p     1     N/A   0     0s\n");
    for (args, err) in [
        (vec!["--min-available=1"], "a selector must be specified"),
        (vec!["--selector=app=web"], "one of min-available or max-unavailable must be specified"),
        (
            vec!["--selector=app=web", "--min-available=1", "--max-unavailable=1"],
            "min-available and max-unavailable cannot be both specified",
        ),
        (vec!["--selector=app=web", "--min-available=abc"], "invalid format specified for min-available"),
        (vec!["--selector=app!=x", "--min-available=1"], "\"!=\" is not a valid label selector operator"),
    ] {
        let mut full = vec!["create", "pdb", "x"];
        full.extend(args);
        fails(&c, &full, &format!("error: {err}\n"));
    }
}

/// kubernetes.io's "Configure a Pod to Use a ConfigMap" packs a directory: each regular file in
/// it becomes a key (in name order; subdirectories are left out), and a key name cannot be given
/// for a directory. The same for `create secret generic`.
#[test]
fn from_file_takes_a_directory_of_files() {
    let c = Cluster::new();
    std::fs::create_dir_all(c.path_of("configmap/nested")).expect("mkdir");
    c.file("configmap/ui.properties", "color.good=purple\n");
    c.file("configmap/game.properties", "enemies=aliens\nlives=3");
    c.file("configmap/nested/skipped.properties", "x=1\n");
    let dir = format!("{}/", c.path_of("configmap").display());
    let from = format!("--from-file={dir}");
    assert_text(
        &c.ok(&["create", "configmap", "game-config", &from, "--dry-run=client", "-o", "yaml"]),
        "apiVersion: v1\ndata:\n  game.properties: |-\n    enemies=aliens\n    lives=3\n  ui.properties: |\n    color.good=purple\nkind: ConfigMap\nmetadata:\n  creationTimestamp: null\n  name: game-config\n",
    );
    let keys = c.ok(&["create", "secret", "generic", "s", &from, "--dry-run=client", "-o", "jsonpath={.data}"]);
    assert_eq!(
        keys,
        r#"{"game.properties":"ZW5lbWllcz1hbGllbnMKbGl2ZXM9Mw==","ui.properties":"Y29sb3IuZ29vZD1wdXJwbGUK"}"#
    );
    let o = c.run(&["create", "configmap", "x", &format!("--from-file=k={dir}")]);
    assert_eq!((o.code, o.stderr.as_str()), (1, "error: cannot give a key name for a directory path\n"));
}

/// `--from-env-file` (the same page): `KEY=value` lines, comments and blank lines skipped, quotes
/// kept in the value; several files add up, a key twice is an error, and env files do not mix
/// with other sources. Outputs and messages as kubectl v1.32 prints them.
#[test]
fn from_env_file_reads_key_value_lines() {
    let c = Cluster::new();
    let game = c.file(
        "game-env-file.properties",
        "enemies=aliens\nlives=3\nallowed=\"true\"\n\n# This comment and the empty line above it are ignored\n",
    );
    let ui = c.file("ui-env-file.properties", "color=purple\n  textmode=true\nlives=4\n");
    let from = |f: &str| format!("--from-env-file={f}");
    assert_text(
        &c.ok(&["create", "configmap", "game-config-env-file", &from(&game), "--dry-run=client", "-o", "yaml"]),
        "apiVersion: v1\ndata:\n  allowed: '\"true\"'\n  enemies: aliens\n  lives: \"3\"\nkind: ConfigMap\nmetadata:\n  creationTimestamp: null\n  name: game-config-env-file\n",
    );
    let o = c.run(&["create", "configmap", "m", &from(&game), &from(&ui)]);
    let twice =
        "error: cannot add key \"lives\", another key by that name already exists in Data for ConfigMap \"m\"\n";
    assert_eq!((o.code, o.stderr.as_str()), (1, twice));
    let o = c.run(&["create", "secret", "generic", "m", &from(&game), &from(&ui)]);
    assert_eq!(o.stderr, "error: cannot add key lives, another key by that name already exists\n");
    let o = c.run(&["create", "configmap", "m", &from(&game), "--from-literal=a=b"]);
    assert_eq!(o.stderr, "error: from-env-file cannot be combined with from-file or from-literal\n");
    let bad = c.file("bad.env", "bad key=1\n");
    let o = c.run(&["create", "configmap", "m", &from(&bad)]);
    assert!(o.stderr.starts_with("error: \"bad key\" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"), "{}", o.stderr);
    let o = c.run(&["create", "configmap", "m", "--from-literal=a=b", "--from-literal=a=c"]);
    let dup = "error: cannot add key \"a\", another key by that name already exists in Data for ConfigMap \"m\"\n";
    assert_eq!(o.stderr, dup);
}

/// kubectl's JSON and YAML printers leave managedFields out by default, for `create` and `apply`
/// as for `get`.
#[test]
fn created_and_applied_objects_print_without_managed_fields() {
    let c = Cluster::new();
    let f = c.file("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: \"1\"\n");
    for args in [
        vec!["create", "configmap", "b", "--from-literal=k=v", "-o", "yaml"],
        vec!["create", "deployment", "d", "--image=nginx", "-o", "json"],
        vec!["create", "-f", &f, "-o", "yaml"],
        vec!["apply", "-f", &f, "-o", "json"],
    ] {
        let out = c.ok(&args);
        assert!(out.contains("\"name\": \"") || out.contains("name: "), "{args:?}: {out}");
        assert!(!out.contains("managedFields"), "{args:?}: {out}");
    }
    // The objects keep them: `get --show-managed-fields` shows kubectl-create's entry.
    let out = c.ok(&["get", "configmap", "b", "--show-managed-fields", "-o", "yaml"]);
    assert!(out.contains("manager: kubectl-create"), "{out}");
}
