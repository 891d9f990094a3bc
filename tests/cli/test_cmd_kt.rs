//! The `Kt` harness of the test/cmd ports (tests/cli/test_cmd*.rs): a cluster and a namespace,
//! and Rust forms of `kube::test::get_object_assert` (a go-template over `kubectl get`),
//! `get_object_jsonpath_assert`, `describe_object_assert` and `if_has_string` from
//! test/cmd/legacy-script.sh and hack/lib/test.sh. Each assertion counts itself, so a port can
//! state how many it runs.

// Shared by several ports, each of which uses only some of the helpers.
#![allow(dead_code)]

use crate::harness::Cluster;

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
}

impl Kt {
    pub(crate) fn new() -> Kt {
        Kt { c: Cluster::new(), ns: "default".into(), asserts: 0 }
    }

    pub(crate) fn new_namespace(&mut self, name: &str) {
        self.c.ok(&["create", "namespace", name]);
        self.ns = name.to_string();
    }

    pub(crate) fn args<'a>(&'a self, args: &[&'a str]) -> Vec<&'a str> {
        let mut all = args.to_vec();
        if !args.iter().any(|a| a.starts_with("--namespace") || *a == "-n") {
            all.extend(["-n", self.ns.as_str()]);
        }
        all
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
