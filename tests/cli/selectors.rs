//! Label selectors in every form, field selectors, --sort-by, jsonpath, custom-columns,
//! go-template, -A and the errors of these flags, on the walkthrough cluster.

use crate::harness::{assert_text, Cluster};
use crate::surface::walkthrough;

fn names(c: &Cluster, args: &[&str]) -> String {
    let mut a = vec!["get"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["-o", "name"]);
    c.ok(&a)
}

#[test]
fn every_label_selector_form() {
    let c = walkthrough();
    let all = "pod/web-0\npod/web-1\npod/web-2\n";
    for (sel, want) in [
        ("app=nginx", all),
        ("app==nginx", all),
        ("app!=nginx", ""),
        ("statefulset.kubernetes.io/pod-name in (web-0,web-2)", "pod/web-0\npod/web-2\n"),
        ("statefulset.kubernetes.io/pod-name notin (web-0,web-2)", "pod/web-1\n"),
        ("app", all),
        ("!app", ""),
        ("app=nginx,apps.kubernetes.io/pod-index!=1", "pod/web-0\npod/web-2\n"),
    ] {
        assert_eq!(names(&c, &["pods", "-l", sel]), want, "-l {sel}");
    }
    let o = c.run(&["get", "pods", "-l", "app=foo"]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.code), ("", "No resources found in default namespace.\n", 0));
}

#[test]
fn field_selectors() {
    let c = walkthrough();
    assert_eq!(names(&c, &["pods", "--field-selector", "metadata.name=web-1"]), "pod/web-1\n");
    assert_eq!(names(&c, &["pods", "--field-selector", "metadata.name==web-1"]), "pod/web-1\n");
    assert_eq!(
        names(&c, &["pods", "--field-selector", "metadata.name!=web-1,status.phase=Running"]),
        "pod/web-0\npod/web-2\n"
    );
    assert_eq!(names(&c, &["pods", "-A", "--field-selector", "metadata.namespace=demo"]), "");
    let node = c.ok(&["get", "pod", "web-0", "-o", "jsonpath={.spec.nodeName}"]);
    assert_eq!(names(&c, &["pods", "--field-selector", &format!("spec.nodeName={node}")]), "pod/web-0\n");
    assert_eq!(names(&c, &["svc", "-A", "--field-selector", "metadata.namespace=demo"]), "service/api\n");
    assert_eq!(names(&c, &["ns", "--field-selector", "status.phase=Active,metadata.name=demo"]), "namespace/demo\n");
    let ev = c.ok(&[
        "get",
        "events",
        "--field-selector",
        "involvedObject.kind=Pod,involvedObject.name=web-2,reason=Scheduled,type=Normal",
        "-o",
        "jsonpath={.items[*].message}",
    ]);
    assert!(ev.starts_with("Successfully assigned default/web-2 to "), "{ev}");
    let o = c.run(&["get", "sts", "--field-selector", "status.phase=Running"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("Error from server (BadRequest): Unable to find {\"apps\" \"v1\" \"statefulsets\"} that match label selector \"\", field selector \"status.phase=Running\": field label not supported: status.phase\n", 1)
    );
    let o = c.run(&["get", "pods", "--field-selector", "status.phase=Failed"]);
    assert_eq!((o.stderr.as_str(), o.code), ("No resources found in default namespace.\n", 0));
    let o = c.run(&["get", "pods", "web-0", "--field-selector", "status.phase=Running"]);
    assert_eq!(o.stderr, "error: name cannot be provided when a selector is specified\n");
}

#[test]
fn sort_by() {
    let c = walkthrough();
    // web-1 was recreated last, so it is the youngest.
    assert_eq!(names(&c, &["pods", "--sort-by=.metadata.creationTimestamp"]), "pod/web-0\npod/web-2\npod/web-1\n");
    assert_eq!(names(&c, &["pods", "--sort-by={.metadata.name}"]), "pod/web-0\npod/web-1\npod/web-2\n");
    let t = c.ok(&[
        "get",
        "pods",
        "--sort-by=.metadata.creationTimestamp",
        "--no-headers",
        "-o",
        "custom-columns=N:.metadata.name",
    ]);
    assert_eq!(t, "web-0\nweb-2\nweb-1\n");
    let table = c.ok(&["get", "pods", "--sort-by", ".metadata.creationTimestamp"]);
    assert_eq!(
        table.lines().map(|l| l.split(' ').next().unwrap_or("")).collect::<Vec<_>>(),
        ["NAME", "web-0", "web-2", "web-1"]
    );
    let o = c.run(&["get", "pods", "--sort-by=.spec.nope"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("error: couldn't find any field with path \"{.spec.nope}\" in the list of objects\n", 1)
    );
}

#[test]
fn jsonpath_custom_columns_and_go_templates() {
    let c = walkthrough();
    assert_eq!(c.ok(&["get", "pods", "-o", "jsonpath={.items[*].metadata.name}"]), "web-0 web-1 web-2");
    assert_eq!(
        c.ok(&["get", "pods", "-o", r#"jsonpath={range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}"#]),
        "web-0\tRunning\nweb-1\tRunning\nweb-2\tRunning\n"
    );
    assert_eq!(c.ok(&["get", "pod", "web-0", "-o", "jsonpath-as-json={.metadata.name}"]), "[\n    \"web-0\"\n]\n");
    assert_text(
        &c.ok(&["get", "pods", "-o", "custom-columns=NAME:.metadata.name,PHASE:status.phase,MISSING:{.spec.nope}"]),
        "NAME    PHASE     MISSING\nweb-0   Running   <none>\nweb-1   Running   <none>\nweb-2   Running   <none>\n",
    );
    let file =
        c.file("cols.txt", "NAME          INDEX\nmetadata.name metadata.labels.apps\\.kubernetes\\.io/pod-index\n");
    assert_text(
        &c.ok(&["get", "pods", "-o", &format!("custom-columns-file={file}")]),
        "NAME    INDEX\nweb-0   0\nweb-1   1\nweb-2   2\n",
    );
    let tmpl = r#"{{range .items}}{{.metadata.name}} {{index .metadata.labels "app"}}{{"\n"}}{{end}}"#;
    let want = "web-0 nginx\nweb-1 nginx\nweb-2 nginx\n";
    assert_eq!(c.ok(&["get", "pods", "-o", &format!("go-template={tmpl}")]), want);
    assert_eq!(c.ok(&["get", "pods", "-o", &format!("template={tmpl}")]), want);
    assert_eq!(c.ok(&["get", "pods", "--template", tmpl]), want);
    assert_eq!(c.ok(&["get", "pods", "-o", "go-template", "--template", tmpl]), want);
    let file = c.file("t.tmpl", tmpl);
    assert_eq!(c.ok(&["get", "pods", "-o", &format!("go-template-file={file}")]), want);
    let t = r#"{{$n := len .items}}{{range $i, $p := .items}}{{if eq $p.metadata.name "web-1"}}{{printf "%d/%d %s" $i $n $p.status.phase}}{{else if not $p.spec.nodeName}}?{{else}}-{{end}}{{end}}{{"\n"}}"#;
    assert_eq!(c.ok(&["get", "pods", "-o", &format!("go-template={t}")]), "-1/3 Running-\n");
    assert_eq!(c.ok(&["get", "pod", "web-0", "-o", "go-template={{.metadata.name}} {{.nope}}"]), "web-0 <no value>");
    let o = c.run(&["get", "pods", "-o", "go-template={{.items"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.starts_with("error: error parsing template {{.items, "), "{}", o.stderr);
    let o = c.run(&["get", "pods", "-o", "jsonpath"]);
    assert_eq!(o.stderr, "error: template format specified but no template given\n");
}

#[test]
fn all_namespaces_adds_the_namespace_column() {
    let c = walkthrough();
    let t = c.ok(&["get", "svc", "-A"]);
    assert!(t.starts_with("NAMESPACE     NAME         TYPE"), "{t}");
    assert!(t.contains("\ndemo          api          ClusterIP"), "{t}");
    assert!(c.ok(&["get", "nodes", "-A"]).starts_with("NAME "), "cluster-scoped kinds get no NAMESPACE column");
}

#[test]
fn labels_as_columns_and_no_headers() {
    let c = walkthrough();
    let t = c.ok(&["get", "sts", "--show-labels", "-L", "app"]);
    assert_text(&t, "NAME   READY   AGE   APP   LABELS\nweb    3/3     10m         <none>\n");
    let t = c.ok(&["get", "pods", "--no-headers", "-L", "statefulset.kubernetes.io/pod-name"]);
    assert!(t.starts_with("web-0   1/1   Running   0     10m     web-0\n"), "{t}");
}
