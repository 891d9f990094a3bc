//! The `Kt` harness of the test/cmd ports (tests/cli/test_cmd*.rs): a cluster and a namespace,
//! and Rust forms of `kube::test::get_object_assert` (a go-template over `kubectl get`),
//! `get_object_jsonpath_assert`, `describe_object_assert` and `if_has_string` from
//! test/cmd/legacy-script.sh and hack/lib/test.sh. Each assertion counts itself, so a port can
//! state how many it runs.

// Shared by several ports, each of which uses only some of the helpers.
#![allow(dead_code)]

use crate::harness::{Cluster, Out};

/// `id_field` and friends of test/cmd/legacy-script.sh.
pub(crate) const ID: &str = ".metadata.name";
pub(crate) const LABELS: &str = ".metadata.labels";
pub(crate) const ANNOTATIONS: &str = ".metadata.annotations";
pub(crate) const IMAGE: &str = "(index .spec.containers 0).image";
pub(crate) const SECRET_TYPE: &str = ".type";
pub(crate) const PDB_MIN: &str = ".spec.minAvailable";
pub(crate) const PDB_MAX: &str = ".spec.maxUnavailable";

/// A cluster and a namespace, as `create_and_use_new_namespace` leaves them.
pub(crate) struct Kt {
    pub(crate) c: Cluster,
    pub(crate) ns: String,
    pub(crate) asserts: usize,
    /// The namespace is the kubeconfig context's (`kubectl config set-context --namespace`, as
    /// `create_and_use_new_namespace` does) rather than a `-n` on each command: `apply` refuses
    /// a manifest's other namespace only when `-n` is given.
    in_context: bool,
}

impl Kt {
    pub(crate) fn new() -> Kt {
        Kt { c: Cluster::new(), ns: "default".into(), asserts: 0, in_context: false }
    }

    /// A harness whose namespace lives in the kubeconfig context (see `in_context`).
    pub(crate) fn in_context() -> Kt {
        Kt { in_context: true, ..Kt::new() }
    }

    pub(crate) fn new_namespace(&mut self, name: &str) {
        self.c.ok(&["create", "namespace", name]);
        self.ns = name.to_string();
        if self.in_context {
            self.c.ok(&["config", "set-context", "--current", &format!("--namespace={name}")]);
        }
    }

    /// Writes fixtures under `hack/testdata/` in the test's directory (the working directory of
    /// every command), so commands name them by the paths test/cmd uses.
    pub(crate) fn fixtures(&self, files: &[(&str, &str)]) {
        for (path, text) in files {
            let p = self.c.path_of(path);
            if let Some(dir) = p.parent() {
                std::fs::create_dir_all(dir).expect("fixture dir");
            }
            std::fs::write(&p, text).expect("write fixture");
        }
    }

    pub(crate) fn args<'a>(&'a self, args: &[&'a str]) -> Vec<&'a str> {
        let mut all = args.to_vec();
        if !self.in_context && !args.iter().any(|a| a.starts_with("--namespace") || *a == "-n" || a.starts_with("-n="))
        {
            // Before a `--` (what follows it is the container's command).
            let at = all.iter().position(|a| *a == "--").unwrap_or(all.len());
            all.splice(at..at, ["-n", self.ns.as_str()]);
        }
        all
    }

    /// Runs a kubectl command, returning what it printed and how it ended.
    pub(crate) fn run(&self, args: &[&str]) -> Out {
        self.c.run(&self.args(args))
    }

    /// A kubectl command that must fail, with its stdout and stderr (`2>&1`).
    #[track_caller]
    pub(crate) fn kubectl_fails_all(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_ne!(o.code, 0, "{args:?} succeeded: {}", o.stdout);
        format!("{}{}", o.stdout, o.stderr)
    }

    /// Runs a kubectl command that must succeed.
    pub(crate) fn kubectl(&self, args: &[&str]) -> String {
        self.c.ok(&self.args(args))
    }

    /// A kubectl command that must fail (`! kubectl ... || exit 1`).
    pub(crate) fn kubectl_fails(&self, args: &[&str]) -> String {
        let o = self.c.run(&self.args(args));
        assert_ne!(o.code, 0, "{args:?} succeeded: {}", o.stdout);
        o.stderr
    }

    /// `output_message=$(kubectl ... 2>&1)` with or without `!`: stdout then stderr, whatever the
    /// exit code.
    pub(crate) fn output(&self, args: &[&str]) -> (String, i32) {
        let o = self.c.run(&self.args(args));
        (format!("{}{}", o.stdout, o.stderr), o.code)
    }

    /// `kube::test::get_object_assert OBJECT TEMPLATE EXPECTED`.
    #[track_caller]
    pub(crate) fn get_object_assert(&mut self, object: &[&str], template: &str, want: &str) {
        let mut args = vec!["get"];
        args.extend(object);
        let out = format!("go-template={template}");
        args.extend(["-o", out.as_str()]);
        assert_eq!(self.kubectl(&args), want, "get {object:?} {template}");
        self.asserts += 1;
    }

    /// `kube::test::get_object_assert` where EXPECTED is a pattern: the helper matches
    /// `^EXPECTED$` as a bash regular expression (the exact form above is used where the
    /// expectation has no pattern characters).
    #[track_caller]
    pub(crate) fn get_object_regex(&mut self, object: &[&str], template: &str, pattern: &str) {
        let mut args = vec!["get"];
        args.extend(object);
        let out = format!("go-template={template}");
        args.extend(["-o", out.as_str()]);
        let got = self.kubectl(&args);
        let re = regex::Regex::new(&format!("^(?s:{pattern})$")).expect("pattern");
        assert!(re.is_match(&got), "get {object:?} {template}: {got:?} does not match {pattern:?}");
        self.asserts += 1;
    }

    /// `kube::test::get_object_jsonpath_assert OBJECT JSONPATH EXPECTED`.
    #[track_caller]
    pub(crate) fn get_object_jsonpath_assert(&mut self, object: &[&str], path: &str, want: &str) {
        let mut args = vec!["get"];
        args.extend(object);
        let out = format!("jsonpath={path}");
        args.extend(["-o", out.as_str()]);
        assert_eq!(self.kubectl(&args), want, "get {object:?} {path}");
        self.asserts += 1;
    }

    /// `kube::test::if_has_string OUTPUT STRING`.
    #[track_caller]
    pub(crate) fn if_has_string(&mut self, output: &str, want: &str) {
        assert!(output.contains(want), "{want:?} not in {output:?}");
        self.asserts += 1;
    }

    /// `kube::test::if_has_not_string OUTPUT STRING`.
    #[track_caller]
    pub(crate) fn if_has_not_string(&mut self, output: &str, unwanted: &str) {
        assert!(!output.contains(unwanted), "{unwanted:?} in {output:?}");
        self.asserts += 1;
    }

    /// `kube::test::describe_object_assert RESOURCE OBJECT MATCHES...` (and the resource-only form
    /// when `name` is empty).
    #[track_caller]
    pub(crate) fn describe_assert(&mut self, resource: &str, name: &str, matches: &[&str]) {
        let mut args = vec!["describe", resource];
        if !name.is_empty() {
            args.push(name);
        }
        let out = self.kubectl(&args);
        for m in matches {
            assert!(out.contains(m), "{m:?} not in describe {resource} {name}");
        }
        self.asserts += 1;
    }

    /// `kube::test::describe_object_events_assert` / `describe_resource_events_assert`: events
    /// shown unless `--show-events=false`.
    #[track_caller]
    pub(crate) fn describe_events_assert(&mut self, resource: &str, name: &str, show: Option<bool>) {
        let flag = show.map(|s| format!("--show-events={s}"));
        let mut args = vec!["describe", resource];
        if !name.is_empty() {
            args.push(name);
        }
        if let Some(f) = &flag {
            args.push(f.as_str());
        }
        let out = self.kubectl(&args);
        assert_eq!(out.contains("Events:"), show != Some(false), "{args:?}");
        self.asserts += 1;
    }

    /// `kube::test::wait_object_assert OBJECT TEMPLATE EXPECTED`: up to ten tries, sleeping 0, 1,
    /// ... 9 seconds after each; the sleeps pass in cluster time (`kstate advance`).
    #[track_caller]
    pub(crate) fn wait_object_assert(&mut self, object: &[&str], template: &str, want: &str) {
        let mut args = vec!["get"];
        args.extend(object);
        let out = format!("go-template={template}");
        args.extend(["-o", out.as_str()]);
        let mut got = String::new();
        for j in 1..=10 {
            got = self.kubectl(&args);
            if got == want {
                break;
            }
            self.c.ok(&["advance", &format!("{}s", j - 1)]);
        }
        assert_eq!(got, want, "get {object:?} {template}");
        self.asserts += 1;
    }

    /// `kube::test::wait_object_assert OBJECT TEMPLATE '.*TEXT.*'`: the regular expression the
    /// scripts give for the change-cause checks, a text somewhere in the output.
    #[track_caller]
    pub(crate) fn wait_object_assert_contains(&mut self, object: &[&str], template: &str, text: &str) {
        let mut args = vec!["get"];
        args.extend(object);
        let out = format!("go-template={template}");
        args.extend(["-o", out.as_str()]);
        let got = self.kubectl(&args);
        assert!(got.contains(text), "{text:?} not in get {object:?} {template}: {got:?}");
        self.asserts += 1;
    }

    /// `wait-for-pods-with-label LABEL NAMES` of legacy-script.sh: up to ten tries, sleeping 1, 2,
    /// ... seconds between them; the sleeps pass in cluster time (`kstate advance`).
    #[track_caller]
    pub(crate) fn wait_for_pods_with_label(&mut self, label: &str, want: &str) {
        // The pods' names, run together.
        let template = "go-template={{range.items}}{{.metadata.name}}{{end}}";
        let args = ["get", "po", "-l", label, "-o", template, "--sort-by", "metadata.name"];
        let mut got = String::new();
        for i in 1..=10 {
            got = self.kubectl(&args);
            if got == want {
                break;
            }
            self.c.ok(&["advance", &format!("{i}s")]);
        }
        assert_eq!(got, want, "pods with label {label}");
        self.asserts += 1;
    }

    /// A bash `[[ "$(...)" ]]` / `grep -q` check written as a test: counted like the others.
    #[track_caller]
    pub(crate) fn check(&mut self, ok: bool, what: &str) {
        assert!(ok, "{what}");
        self.asserts += 1;
    }

    /// The object as `-o yaml`, for the scripts' `grep` checks.
    pub(crate) fn yaml(&self, object: &[&str]) -> String {
        let mut args = vec!["get"];
        args.extend(object);
        args.extend(["-o", "yaml"]);
        self.kubectl(&args)
    }
}

/// The path of a copied hack/testdata or test/fixtures file under tests/cli/test_cmd/.
pub(crate) fn testdata(rel: &str) -> String {
    format!("{}/tests/cli/test_cmd/{rel}", env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn names() -> String {
    format!("{{{{range.items}}}}{{{{{ID}}}}}:{{{{end}}}}")
}

pub(crate) fn found(name: &str) -> String {
    format!("{{{{range.items}}}}{{{{ if eq {ID} \"{name}\" }}}}found{{{{end}}}}{{{{end}}}}:")
}
