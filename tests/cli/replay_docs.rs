//! `kstate replay` on documents as people publish them: an older page's layouts and wording are
//! drift, elisions, assignments, continuation lines and commands typed in a container's shell are
//! replayed as a reader would; placeholders are filled; Hugo shortcodes, mirrored URLs, AsciiDoc,
//! reStructuredText and PS> prompts are read; JUnit output. The documents are in replay_docs/.

use std::path::{Path, PathBuf};
use std::process::Command;

use pretty_assertions::assert_eq;

use crate::harness::{bin, Out};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/replay_docs")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `kstate replay ARGS` in `dir`, with a fixed clock and seed.
fn replay_in(dir: &Path, args: &[&str]) -> Out {
    let o = Command::new(bin())
        .arg("replay")
        .args(args)
        .current_dir(dir)
        .env_remove("KSTATE_HOME")
        .env("KSTATE_NOW", "2026-11-27T09:00:00Z")
        .env("KSTATE_SEED", "7")
        .output()
        .expect("run kstate replay");
    Out {
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        code: o.status.code().unwrap_or(-1),
    }
}

fn steps(stdout: &str) -> Vec<(u64, String)> {
    let v: serde_json::Value = serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    v["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| d["steps"].as_array().cloned().unwrap_or_default())
        .map(|s| (s["line"].as_u64().unwrap_or(0), s["status"].as_str().unwrap_or("").to_string()))
        .collect()
}

#[test]
fn an_older_page_is_drift_where_a_reader_sees_drift() {
    let o = replay_in(&fixtures(), &["older-page.md"]);
    assert_eq!(o.stdout, fixture("older-page.out"));
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
}

#[test]
fn an_older_page_fails_where_kstate_differs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = fixture("older-page.md")
        .replace("web       2         2         20s", "web       3         2         20s")
        .replace("```\n30\n```", "```\n10\n```")
        .replace("Status:       Running", "Status:       Pending");
    std::fs::write(dir.path().join("page.md"), page).expect("write page");
    let o = replay_in(dir.path(), &["--format", "json", "page.md"]);
    assert_eq!(o.code, 1, "{}", o.stdout);
    let failed: Vec<u64> = steps(&o.stdout).into_iter().filter(|(_, s)| s == "failed").map(|(l, _)| l).collect();
    assert_eq!(failed, [64, 88, 100]);
    let text = replay_in(dir.path(), &["page.md"]).stdout;
    let at = text.find("  line 64").expect("line 64");
    assert_eq!(
        &text[at..text.find("  line 73").expect("line 73")],
        "  line 64   failed   kubectl get statefulset web
                     drift (old-column): DESIRED: older kubectl printed DESIRED and CURRENT where READY is ready/desired
                       today: READY
                     drift (old-column): CURRENT: older kubectl printed DESIRED and CURRENT where READY is ready/desired
                       today: READY
                     line 69, web, DESIRED: the document shows `3`, kstate printed `2`
                     --- document
                     +++ kstate
                     - NAME      DESIRED   CURRENT   AGE
                     - web       3         2         20s
                     + NAME   READY   AGE
                     + web    2/2     0s
"
    );
}

#[test]
fn placeholders_are_filled_from_the_cluster() {
    let o = replay_in(&fixtures(), &["placeholders.md"]);
    assert_eq!(o.stdout, fixture("placeholders.out"));
    assert_eq!(o.code, 0);
}

#[test]
fn shortcodes_and_urls_are_read_from_local_folders() {
    let o =
        replay_in(&fixtures(), &["--examples", "examples", "--mirror", "mirror", "--format", "json", "published.md"]);
    assert_eq!(steps(&o.stdout), [(8, "ok".to_string()), (20, "ok".to_string())], "{}", o.stdout);
    // Without the folders nothing is fetched: both commands are skipped, saying why.
    let o = replay_in(&fixtures(), &["published.md"]);
    assert_eq!(
        o.stdout.lines().take(5).collect::<Vec<_>>(),
        [
            "replay published.md",
            "  line 8    skipped  kubectl apply -f https://k8s.io/examples/application/web/web.yaml",
            "                     shows application/web/web.yaml with a shortcode; give the examples folder with --examples DIR",
            "  line 20   skipped  kubectl apply -f https://raw.githubusercontent.com/example/driver/main/deploy/claim.yaml",
            "                     reads https://raw.githubusercontent.com/example/driver/main/deploy/claim.yaml, a file the document does not show and no mirror holds",
        ]
    );
}

#[test]
fn asciidoc_and_restructuredtext_documents() {
    let o = replay_in(&fixtures(), &["--format", "json", "published.adoc", "published.rst"]);
    assert_eq!(steps(&o.stdout), [(7, "ok".to_string()), (8, "ok".to_string()), (13, "ok".to_string())]);
    // The outputs are compared: a wrong one fails.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("x.rst"), fixture("published.rst").replace("rancher.io", "example.com"))
        .expect("write");
    let o = replay_in(dir.path(), &["--format", "json", "x.rst"]);
    assert_eq!(steps(&o.stdout), [(8, "ok".to_string()), (13, "failed".to_string())]);
}

#[test]
fn junit_report() {
    let o = replay_in(&fixtures(), &["--format", "junit", "older-page.md"]);
    assert_eq!(o.stdout, fixture("older-page.junit.xml"));
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("bad.md"), "```console\n$ kubectl get ns default -o name\nnamespace/<none>\n```\n")
        .expect("write");
    let o = replay_in(dir.path(), &["--format", "junit", "bad.md"]);
    assert_eq!(o.code, 1);
    assert_eq!(
        o.stdout,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="kstate replay" tests="1" failures="1" skipped="0">
  <testsuite name="bad.md" tests="1" failures="1" skipped="0">
    <testcase classname="bad.md" name="line 2: kubectl get ns default -o name">
      <failure message="line 3: the document shows `namespace/&lt;none&gt;`, kstate printed `namespace/default`">line 3: the document shows `namespace/&lt;none&gt;`, kstate printed `namespace/default`
--- document
+++ kstate
- namespace/&lt;none&gt;
+ namespace/default</failure>
    </testcase>
  </testsuite>
</testsuites>
"#
    );
}
