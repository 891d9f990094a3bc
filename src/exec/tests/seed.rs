//! The walkthrough's exec steps.

use super::{all, Pod};

#[test]
fn fresh_disk_lists_lost_and_found() {
    let mut p = Pod::nginx();
    assert_eq!(all(&p.exec(&["ls", "/data"])), ("lost+found\n".into(), String::new(), 0));
}

#[test]
fn touched_file_persists_across_runs() {
    let mut p = Pod::nginx();
    assert_eq!(all(&p.exec(&["touch", "/data/statefulset"])), (String::new(), String::new(), 0));
    assert_eq!(all(&p.exec(&["ls", "/data"])).0, "lost+found\nstatefulset\n");
    // A new pod (new layer) over the same disk still sees the file.
    p.c.layer = "layer/uid-2/nginx".into();
    assert_eq!(all(&p.exec(&["ls", "/data"])).0, "lost+found\nstatefulset\n");
}

#[test]
fn hostname_is_the_pods() {
    let mut p = Pod::nginx();
    assert_eq!(all(&p.exec(&["hostname"])).0, "web-0\n");
    assert_eq!(p.ok("hostname"), "web-0\n");
    assert_eq!(p.ok("cat /etc/hostname"), "web-0\n");
}

#[test]
fn unknown_program_is_an_oci_error() {
    let mut p = Pod::nginx();
    let o = p.exec(&["nope"]);
    assert!(o.is_start_failure());
    let err = super::text(&o.stderr);
    assert!(err.starts_with("error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \""), "{err}");
    assert!(err.ends_with("OCI runtime exec failed: exec failed: unable to start container process: exec: \"nope\": executable file not found in $PATH: unknown\n"), "{err}");
    assert_eq!(o.code, 127);
}

#[test]
fn ls_missing_path_exits_2_with_gnu_text() {
    let mut p = Pod::nginx();
    assert_eq!(
        all(&p.exec(&["ls", "/nope"])),
        (String::new(), "ls: cannot access '/nope': No such file or directory\n".into(), 2)
    );
    let mut b = Pod::busybox();
    assert_eq!(all(&b.exec(&["ls", "/nope"])), (String::new(), "ls: /nope: No such file or directory\n".into(), 1));
}

#[test]
fn not_found_inside_sh() {
    let mut p = Pod::nginx();
    assert_eq!(all(&p.sh("foo")), (String::new(), "sh: 1: foo: not found\n".into(), 127));
    assert_eq!(all(&p.exec(&["/bin/sh", "-c", "echo a\nfoo"])).1, "/bin/sh: 2: foo: not found\n");
    assert_eq!(all(&p.exec(&["bash", "-c", "foo"])).1, "bash: line 1: foo: command not found\n");
    let mut b = Pod::busybox();
    assert_eq!(all(&b.sh("foo")), (String::new(), "sh: foo: not found\n".into(), 127));
    assert!(b.exec(&["bash", "-c", "true"]).is_start_failure());
}

#[test]
fn etc_files_follow_kubelet() {
    let mut p = Pod::nginx();
    let hosts = p.ok("cat /etc/hosts");
    assert!(hosts.starts_with("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"));
    assert!(hosts.ends_with("10.244.1.5\tweb-0.nginx.default.svc.cluster.local\tweb-0\n"), "{hosts}");
    assert_eq!(
        p.ok("cat /etc/resolv.conf"),
        "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
    );
    assert_eq!(p.ok("hostname -f"), "web-0.nginx.default.svc.cluster.local\n");
}

#[test]
fn nginx_html_is_there() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok("ls /usr/share/nginx/html"), "50x.html\nindex.html\n");
    assert!(p.ok("cat /usr/share/nginx/html/index.html").contains("<title>Welcome to nginx!</title>"));
    assert_eq!(p.ok("wc -c < /usr/share/nginx/html/index.html"), "615\n");
    let mut h = Pod::with_image("httpd:2.4");
    assert_eq!(h.ok("cat htdocs/index.html"), "<html><body><h1>It works!</h1></body></html>\n");
    let mut s = Pod::with_image("registry.k8s.io/nginx-slim:0.8");
    assert!(s.ok("ls /usr/share/nginx/html").contains("index.html"));
}
