//! Bad input, kubectl's answer: for each case the exact stderr (kubectl v1.32 text), stdout, exit
//! code, and a cluster left exactly as it was. Then the inputs a real API server accepts (an
//! unknown or unsuitable storage class) and the partial failure of a multi-document create.

use crate::harness::{assert_text, seed_manifest, Cluster};

/// The seed manifest as apps/v1, so no deprecation warning gets in the way.
fn web_v1() -> String {
    seed_manifest().replace("apps/v1beta2", "apps/v1")
}

/// A StatefulSet `name` with one edit applied to the seed's.
fn sts(name: &str, edit: impl Fn(String) -> String) -> String {
    let doc = web_v1()
        .split("---\n")
        .nth(1)
        .expect("the seed has a StatefulSet")
        .replace("name: web\n", &format!("name: {name}\n"));
    edit(doc)
}

struct Case {
    name: &'static str,
    /// Files written next to the state before the command: (name, contents).
    files: Vec<(&'static str, String)>,
    args: Vec<&'static str>,
    stdout: &'static str,
    stderr: String,
    code: i32,
}

fn case(name: &'static str, args: &[&'static str], stderr: &str) -> Case {
    Case { name, files: Vec::new(), args: args.to_vec(), stdout: "", stderr: format!("{stderr}\n"), code: 1 }
}

fn with_file(mut c: Case, file: &'static str, contents: String) -> Case {
    c.files.push((file, contents));
    c
}

const USAGE_RESOURCES: &str = "error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'";

fn rejected_cases() -> Vec<Case> {
    vec![
        with_file(
            case(
                "malformed YAML",
                &["create", "-f", "bad.yaml"],
                "error: error parsing bad.yaml: error converting YAML to JSON: yaml: line 5: did not find expected ',' or ']'",
            ),
            "bad.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: [x\n".into(),
        ),
        with_file(
            case(
                "unknown kind in a served group",
                &["create", "-f", "dep.yaml"],
                "error: resource mapping not found for name: \"d\" namespace: \"\" from \"dep.yaml\": no matches for kind \"ReplicationController\" in version \"apps/v1\"\nensure CRDs are installed first",
            ),
            "dep.yaml",
            "apiVersion: apps/v1\nkind: ReplicationController\nmetadata:\n  name: d\nspec: {}\n".into(),
        ),
        with_file(
            case(
                "unknown kind",
                &["create", "-f", "foo.yaml"],
                "error: resource mapping not found for name: \"f\" namespace: \"\" from \"foo.yaml\": no matches for kind \"Foo\" in version \"v1\"\nensure CRDs are installed first",
            ),
            "foo.yaml",
            "apiVersion: v1\nkind: Foo\nmetadata:\n  name: f\n".into(),
        ),
        with_file(
            case(
                "missing metadata.name",
                &["create", "-f", "noname.yaml"],
                "The Service \"\" is invalid: metadata.name: Required value: name or generateName is required",
            ),
            "noname.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  labels: {app: x}\nspec:\n  ports: [{port: 80}]\n".into(),
        ),
        with_file(
            case(
                "selector does not match the template labels",
                &["create", "-f", "sel.yaml"],
                "The StatefulSet \"web2\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`",
            ),
            "sel.yaml",
            sts("web2", |d| d.replace("    metadata:\n      labels:\n        app: nginx", "    metadata:\n      labels:\n        app: other")),
        ),
        with_file(
            case(
                "negative replicas",
                &["create", "-f", "neg.yaml"],
                "The StatefulSet \"web2\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            ),
            "neg.yaml",
            sts("web2", |d| d.replace("replicas: 2", "replicas: -1")),
        ),
        with_file(
            // kstate validates the pod template at create, as v1.34+ does (see api::validate).
            case(
                "volumeMount naming no volume or claim template",
                &["create", "-f", "mount.yaml"],
                "The StatefulSet \"web2\" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"nodisk\"",
            ),
            "mount.yaml",
            sts("web2", |d| d.replace("        - name: disk-ssd", "        - name: nodisk")),
        ),
        with_file(
            case(
                "duplicate create of two objects",
                &["create", "-f", "web.yaml"],
                "Error from server (AlreadyExists): error when creating \"web.yaml\": services \"nginx\" already exists\nError from server (AlreadyExists): error when creating \"web.yaml\": statefulsets.apps \"web\" already exists",
            ),
            "web.yaml",
            web_v1(),
        ),
        with_file(
            case(
                "duplicate create of one object",
                &["create", "-f", "one.yaml"],
                "Error from server (AlreadyExists): error when creating \"one.yaml\": statefulsets.apps \"web\" already exists",
            ),
            "one.yaml",
            sts("web", |d| d),
        ),
        case("get a missing pod", &["get", "pod", "web-9"], "Error from server (NotFound): pods \"web-9\" not found"),
        case(
            "get two missing pods",
            &["get", "pods", "web-8", "web-9"],
            "Error from server (NotFound): pods \"web-8\" not found\nError from server (NotFound): pods \"web-9\" not found",
        ),
        case("delete a missing pod", &["delete", "pod", "web-9"], "Error from server (NotFound): pods \"web-9\" not found"),
        case("describe a missing pod", &["describe", "pod", "web-9"], "Error from server (NotFound): pods \"web-9\" not found"),
        case("exec in a missing pod", &["exec", "web-9", "--", "ls"], "Error from server (NotFound): pods \"web-9\" not found"),
        case(
            "scale a missing StatefulSet",
            &["scale", "sts", "nope", "--replicas=3"],
            "error: no objects passed to scale statefulsets.apps \"nope\" not found",
        ),
        case(
            "scale two missing objects",
            &["scale", "sts/a", "pod/b", "--replicas=3"],
            "error: no objects passed to scale [statefulsets.apps \"a\" not found, pods \"b\" not found]",
        ),
        case("unknown resource type", &["get", "foo"], "error: the server doesn't have a resource type \"foo\""),
        case("unknown resource type (delete)", &["delete", "foo", "x"], "error: the server doesn't have a resource type \"foo\""),
        case("exec without a command", &["exec", "web-0"], "error: you must specify at least one command for the container"),
        case("exec without a pod", &["exec", "--", "ls"], "error: pod, type/name or --filename must be specified"),
        case(
            "scale with negative --replicas",
            &["scale", "sts", "web", "--replicas=-1"],
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        ),
        case(
            "scale with a wrong current size",
            &["scale", "sts", "web", "--replicas=3", "--current-replicas=5"],
            "error: Expected replicas to be 5, was 2",
        ),
        case("scale without resources", &["scale", "--replicas=3"], USAGE_RESOURCES),
        case("delete without resources", &["delete"], USAGE_RESOURCES),
        case("unknown flag", &["get", "pods", "--foo"], "error: unknown flag: --foo\nSee 'kubectl get --help' for usage."),
        case(
            "a switch given a value that is no Go bool",
            &["run", "b", "--image=busybox", "--stdin=maybe"],
            "error: invalid argument \"maybe\" for \"-i, --stdin\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\nSee 'kubectl run --help' for usage.",
        ),
        case(
            "unknown shorthand flag",
            &["get", "pods", "-z"],
            "error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.",
        ),
        case(
            "unknown output format",
            &["get", "pods", "-o", "foo"],
            "error: unable to match a printer suitable for the output format \"foo\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml",
        ),
        case(
            "unknown output format (create)",
            &["create", "-f", "web.yaml", "-o", "foo"],
            "error: unable to match a printer suitable for the output format \"foo\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml",
        ),
        case(
            "output format delete does not have",
            &["delete", "pod", "web-0", "-o", "yaml"],
            "error: unexpected -o output mode: yaml. We only support '-o name'",
        ),
        case("missing file", &["create", "-f", "missing.yaml"], "error: the path \"missing.yaml\" does not exist"),
        case("create without -f", &["create"], "error: must specify one of -f and -k"),
        case(
            "describe without a type",
            &["describe"],
            "error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.",
        ),
    ]
}

#[test]
fn rejected_commands_print_kubectls_error_and_change_nothing() {
    let c = Cluster::new();
    c.file("seed.yaml", &web_v1());
    c.ok(&["create", "-f", "seed.yaml"]);
    let cases = rejected_cases();
    assert!(cases.len() >= 16);
    let mut failures = Vec::new();
    for case in cases {
        for (name, contents) in &case.files {
            c.file(name, contents);
        }
        let before = c.snapshot();
        let got = c.run(&case.args);
        let after = c.snapshot();
        let want_stderr = case.stderr.as_str();
        if (got.stdout.as_str(), got.stderr.as_str(), got.code) != (case.stdout, want_stderr, case.code) {
            failures.push(format!(
                "{}: kstate {:?}\n  stdout {:?}\n  stderr {:?}\n  code {}\nwant\n  stdout {:?}\n  stderr {:?}\n  code {}",
                case.name, case.args, got.stdout, got.stderr, got.code, case.stdout, want_stderr, case.code
            ));
        }
        if before != after {
            failures.push(format!("{}: kstate {:?} changed the cluster", case.name, case.args));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Rows of `get` output whose first column is `name`.
fn row(out: &str, name: &str) -> String {
    out.lines().find(|l| l.split_whitespace().next() == Some(name)).unwrap_or_default().to_string()
}

#[test]
fn an_unknown_storage_class_is_accepted_and_leaves_the_claim_pending() {
    let c = Cluster::new();
    c.file("sc.yaml", &sts("web", |d| d.replace("alicloud-disk-ssd", "nosuch")));
    let o = c.run(&["create", "-f", "sc.yaml"]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("statefulset.apps/web created\n", "", 0));
    let pvc = row(&c.ok(&["get", "pvc"]), "disk-ssd-web-0");
    assert_eq!(pvc.split_whitespace().take(2).collect::<Vec<_>>(), ["disk-ssd-web-0", "Pending"], "{pvc}");
    let pod = row(&c.ok(&["get", "pods"]), "web-0");
    assert_eq!(pod.split_whitespace().take(3).collect::<Vec<_>>(), ["web-0", "0/1", "Pending"], "{pod}");
    assert_eq!(row(&c.ok(&["get", "pods"]), "web-1"), "", "OrderedReady waits for web-0");
    let events = c.ok(&["get", "events"]);
    assert!(
        events.contains(
            "Warning   ProvisioningFailed   persistentvolumeclaim/disk-ssd-web-0   storageclass.storage.k8s.io \"nosuch\" not found\n"
        ),
        "{events}"
    );
    assert!(
        events.contains("Warning   FailedScheduling     pod/web-0                              0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.\n"),
        "{events}"
    );
}

#[test]
fn a_claim_below_the_disk_minimum_is_accepted_and_fails_to_provision() {
    let c = Cluster::new();
    c.file("small.yaml", &sts("web", |d| d.replace("storage: 20Gi", "storage: 1Gi")));
    let o = c.run(&["create", "-f", "small.yaml"]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("statefulset.apps/web created\n", "", 0));
    let pvc = row(&c.ok(&["get", "pvc"]), "disk-ssd-web-0");
    assert_eq!(pvc.split_whitespace().take(2).collect::<Vec<_>>(), ["disk-ssd-web-0", "Pending"], "{pvc}");
    let described = c.ok(&["describe", "pvc", "disk-ssd-web-0"]);
    let failed = described.lines().find(|l| l.contains("ProvisioningFailed")).unwrap_or_default();
    assert!(failed.trim_start().starts_with("Warning  ProvisioningFailed"), "{described}");
    assert!(
        failed.ends_with("failed to provision volume with StorageClass \"alicloud-disk-ssd\": rpc error: code = InvalidArgument desc = cloud_ssd: requested size 1GiB is less than minimum 20GiB"),
        "{described}"
    );
    let pod = row(&c.ok(&["get", "pods"]), "web-0");
    assert_eq!(pod.split_whitespace().nth(2), Some("Pending"), "{pod}");
}

#[test]
fn a_multi_document_create_keeps_the_good_objects() {
    let c = Cluster::new();
    let svc = web_v1().split("---\n").next().unwrap_or_default().to_string();
    let bad_sts = sts("web", |d| d.replace("replicas: 2", "replicas: -1"));
    c.file("multi.yaml", &format!("apiVersion: v1\nkind: Foo\nmetadata:\n  name: f\n---\n{svc}---\n{bad_sts}"));
    let o = c.run(&["create", "-f", "multi.yaml"]);
    assert_text(&o.stdout, "service/nginx created\n");
    assert_text(
        &o.stderr,
        "Error from server (Invalid): error when creating \"multi.yaml\": StatefulSet.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n\
         resource mapping not found for name: \"f\" namespace: \"\" from \"multi.yaml\": no matches for kind \"Foo\" in version \"v1\"\n\
         ensure CRDs are installed first\n",
    );
    assert_eq!(o.code, 1);
    assert_eq!(row(&c.ok(&["get", "svc"]), "nginx").split_whitespace().next(), Some("nginx"));
    assert_eq!(c.run(&["get", "sts", "web"]).code, 1);

    // Again: the service now exists, and the builder's errors come last, in one aggregate.
    let o = c.run(&["create", "-f", "multi.yaml", "-f", "multi.yaml"]);
    assert_text(&o.stdout, "");
    assert_text(
        &o.stderr,
        "Error from server (AlreadyExists): error when creating \"multi.yaml\": services \"nginx\" already exists\n\
         Error from server (Invalid): error when creating \"multi.yaml\": StatefulSet.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n\
         Error from server (AlreadyExists): error when creating \"multi.yaml\": services \"nginx\" already exists\n\
         Error from server (Invalid): error when creating \"multi.yaml\": StatefulSet.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n\
         resource mapping not found for name: \"f\" namespace: \"\" from \"multi.yaml\": no matches for kind \"Foo\" in version \"v1\"\n\
         ensure CRDs are installed first\n",
    );
}

#[test]
fn documents_before_a_parse_error_are_created() {
    let c = Cluster::new();
    let svc = web_v1().split("---\n").next().unwrap_or_default().to_string();
    c.file(
        "half.yaml",
        &format!(
            "{svc}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: [x\n---\napiVersion: v1\nkind: Foo\n"
        ),
    );
    let o = c.run(&["create", "-f", "half.yaml"]);
    assert_text(&o.stdout, "service/nginx created\n");
    assert_text(
        &o.stderr,
        "error: error parsing half.yaml: error converting YAML to JSON: yaml: line 5: did not find expected ',' or ']'\n",
    );
    assert_eq!(o.code, 1);
    assert_eq!(c.run(&["get", "svc", "nginx"]).code, 0);
}
