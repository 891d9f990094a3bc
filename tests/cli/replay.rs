//! `kstate replay`: the walkthroughs in docs/walkthroughs/ pass, wrong documents fail with a diff,
//! the seed replays with exactly its drift, and `--update` fixes stale outputs and nothing else.

use std::path::{Path, PathBuf};

use crate::harness::{bin, Out};

fn replay(args: &[&str]) -> Out {
    let o = std::process::Command::new(bin())
        .arg("replay")
        .args(args)
        .env_remove("KSTATE_HOME")
        .output()
        .expect("run kstate replay");
    Out {
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        code: o.status.code().unwrap_or(-1),
    }
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut a = vec!["--format", "json"];
    a.extend_from_slice(args);
    let o = replay(&a);
    serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{e}: {o:?}"))
}

fn steps(v: &serde_json::Value) -> Vec<serde_json::Value> {
    v["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| d["steps"].as_array().cloned().unwrap_or_default())
        .collect()
}

fn walkthroughs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/walkthroughs");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("docs/walkthroughs")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_walkthrough_replays_clean() {
    let docs = walkthroughs();
    assert!(docs.len() >= 3, "{docs:?}");
    for d in docs {
        let o = replay(&[d.to_str().expect("utf-8 path")]);
        assert_eq!(o.code, 0, "{}\n{}{}", d.display(), o.stdout, o.stderr);
        assert!(o.stdout.contains(" 0 failed, 0 skipped"), "{}", o.stdout);
        assert!(o.stdout.contains(" 0 drift,"), "{}", o.stdout);
    }
}

const GOOD: &str = "```yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  clusterIP: None\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: nginx\n  serviceName: nginx\n  replicas: 2\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n        volumeMounts:\n        - name: disk-ssd\n          mountPath: /data\n  volumeClaimTemplates:\n  - metadata:\n      name: disk-ssd\n    spec:\n      accessModes: [\"ReadWriteOnce\"]\n      storageClassName: alicloud-disk-ssd\n      resources:\n        requests:\n          storage: 20Gi\n```\n\n```console\n$ kubectl create -f web.yaml\nservice/nginx created\nstatefulset.apps/web created\n$ kubectl get pods\nNAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          9m\nweb-1   1/1     Running   0          9m\n$ kubectl get pvc disk-ssd-web-1\nNAME             STATUS   VOLUME                   CAPACITY   ACCESS MODES   STORAGECLASS        VOLUMEATTRIBUTESCLASS   AGE\ndisk-ssd-web-1   Bound    d-2ze5dwq6gyjnvdcrmtwg   20Gi       RWO            alicloud-disk-ssd   <unset>                 9m\n$ kubectl delete pod web-1\npod \"web-1\" deleted\n$ kubectl get pvc disk-ssd-web-1\nNAME             STATUS   VOLUME                   CAPACITY   ACCESS MODES   STORAGECLASS        VOLUMEATTRIBUTESCLASS   AGE\ndisk-ssd-web-1   Bound    d-2ze5dwq6gyjnvdcrmtwg   20Gi       RWO            alicloud-disk-ssd   <unset>                 9m\n$ helm list\n$ kubectl get pods -w\n```\n";

fn temp_doc(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path().join(name);
    std::fs::write(&p, text).expect("write doc");
    (dir, p.to_string_lossy().into_owned())
}

#[test]
fn a_good_document_passes_and_skips_what_cannot_run() {
    let (_d, p) = temp_doc("good.md", GOOD);
    let v = json(&[&p]);
    assert_eq!(v["passed"], true, "{v:#}");
    let s = steps(&v);
    let status: Vec<&str> = s.iter().map(|x| x["status"].as_str().unwrap_or("")).collect();
    assert_eq!(status, ["ok", "ok", "ok", "ok", "ok", "skipped", "skipped"]);
    assert!(s[5]["reason"].as_str().unwrap_or("").contains("helm"));
    assert!(s[6]["reason"].as_str().unwrap_or("").contains("watches"));
}

#[test]
fn wrong_status_name_and_disk_id_are_each_caught_with_a_diff() {
    let bad = GOOD.replacen("web-1   1/1     Running", "web-1   1/1     Pending", 1).replacen(
        "pod \"web-1\" deleted",
        "pod \"web-7\" deleted",
        1,
    );
    // The second listing of disk-ssd-web-1 shows another disk than the first.
    let at = bad.rfind("d-2ze5dwq6gyjnvdcrmtwg").expect("second disk id");
    let bad = format!("{}d-2zea5iul9f4vgt82hxjj{}", &bad[..at], &bad[at + 22..]);
    let (_d, p) = temp_doc("bad.md", &bad);
    let o = replay(&[&p]);
    assert_eq!(o.code, 1, "{o:?}");
    let text = &o.stdout;
    assert!(text.contains("STATUS: the document shows `Pending`, kstate printed `Running`"), "{text}");
    assert!(text.contains("- web-1   1/1     Pending"), "{text}");
    assert!(
        text.contains("the document shows `pod \"web-7\" deleted`, kstate printed `pod \"web-1\" deleted`"),
        "{text}"
    );
    assert!(text.contains("- pod \"web-7\" deleted\n"), "{text}");
    assert!(text.contains("here the document shows d-2zea5iul9f4vgt82hxjj"), "{text}");
    assert!(text.contains("- disk-ssd-web-1   Bound    d-2zea5iul9f4vgt82hxjj"), "{text}");
    assert!(text.contains("already stands for d-2ze5dwq6gyjnvdcrmtwg"), "{text}");
    assert!(text.contains("FAILED: 7 command(s) in 1 document(s): 2 ok, 0 drift, 3 failed, 2 skipped"), "{text}");
}

fn seed() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/statefulset-walkthrough.zh.txt");
    p.exists().then_some(p)
}

fn drift_kinds(v: &serde_json::Value) -> Vec<(u64, String)> {
    steps(v)
        .iter()
        .filter(|s| s["drift"].is_array())
        .flat_map(|s| {
            let line = s["line"].as_u64().unwrap_or(0);
            s["drift"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |d| (line, d["kind"].as_str().unwrap_or("").to_string()))
        })
        .collect()
}

#[test]
fn the_seed_replays_with_exactly_its_drift() {
    let Some(seed) = seed() else {
        eprintln!("skipped: ../shared/seed/statefulset-walkthrough.zh.txt is absent");
        return;
    };
    let path = seed.to_str().expect("utf-8 path");
    let v = json(&[path]);
    assert_eq!(v["passed"], true, "{v:#}");
    assert_eq!(v["summary"]["failed"], 0);
    let kinds = drift_kinds(&v);
    let mut distinct: Vec<&str> = kinds.iter().map(|(_, k)| k.as_str()).collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct, ["exec-without-dashes", "missing-column", "old-message", "removed-api"]);
    let lines_with = |k: &str| kinds.iter().filter(|(_, x)| x == k).map(|(l, _)| *l).collect::<Vec<_>>();
    assert_eq!(lines_with("removed-api"), [74]);
    assert_eq!(lines_with("old-message"), [88, 106, 122]);
    assert_eq!(lines_with("missing-column"), [81, 97, 114, 131]);
    assert_eq!(lines_with("exec-without-dashes"), [164, 167, 168, 177]);
    let drifted: Vec<u64> =
        steps(&v).iter().filter(|s| s["status"] == "drift").filter_map(|s| s["line"].as_u64()).collect();

    // --strict: non-zero, and the failures are exactly the drifted commands.
    let o = replay(&["--strict", path]);
    assert_eq!(o.code, 1, "{o:?}");
    let strict = json(&["--strict", path]);
    let failed: Vec<u64> =
        steps(&strict).iter().filter(|s| s["status"] == "failed").filter_map(|s| s["line"].as_u64()).collect();
    assert_eq!(failed, drifted);
    assert!(steps(&strict).iter().all(|s| s["status"] == "failed" || s["drift"].is_null()));
}

#[test]
fn update_rewrites_stale_outputs_and_nothing_else() {
    let stale = GOOD.replacen("statefulset.apps/web created", "statefulset.apps \"web\" created", 1).replacen(
        "web-1   1/1     Running   0          9m\n",
        "web-1   0/1     Pending   0          9m\nweb-2   0/1     Pending   0          9m\n",
        1,
    );
    let (_d, p) = temp_doc("stale.md", &stale);
    assert_eq!(replay(&[&p]).code, 1);
    let o = replay(&["--update", &p]);
    assert_eq!(o.code, 0, "{o:?}");
    let updated = std::fs::read_to_string(&p).expect("read back");
    let after = replay(&[&p]);
    assert_eq!(after.code, 0, "{}\n{updated}", after.stdout);
    assert!(after.stdout.contains(" 0 drift,"), "{}", after.stdout);
    // Only the two stale outputs changed; every other line is the same bytes as before.
    let old: Vec<&str> = stale.lines().collect();
    let new: Vec<&str> = updated.lines().collect();
    let start = old.iter().position(|l| l.starts_with("$ kubectl create")).expect("create line");
    assert_eq!(old[..=start + 1], new[..=start + 1]);
    assert_eq!(new[start + 2], "statefulset.apps/web created");
    assert_eq!(new[start + 3], "$ kubectl get pods");
    assert_eq!(
        new[start + 6],
        "web-1   1/1     Running   0          0s".replace("0s", new[start + 6].rsplit(' ').next().unwrap_or(""))
    );
    assert_eq!(old[start + 8..], new[start + 7..]);
}

#[test]
fn stdin_documents_and_plain_text_prompts() {
    let mut child = std::process::Command::new(bin())
        .args(["replay", "-"])
        .env_remove("KSTATE_HOME")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"List the namespaces:\n\n# kubectl get ns default\nNAME      STATUS   AGE\ndefault   Active   3d\n\n$ kubectl get ns nope\nError from server (NotFound): namespaces \"nope\" not found\n")
        .expect("write");
    let o = child.wait_with_output().expect("wait");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("passed: 2 command(s) in 1 document(s): 2 ok"), "{out}");
}
