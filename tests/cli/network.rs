//! DNS and HTTP inside pods: nslookup in busybox's two wordings, getent, curl/wget against
//! pods and services (200, 403, 404) and the access-log lines they leave.

use crate::harness::{assert_text, seed_manifest, Cluster, Out};

fn seeded() -> Cluster {
    let c = Cluster::new();
    let f = c.file("sts.yaml", seed_manifest());
    c.ok(&["create", "-f", &f]);
    c
}

fn pod_ip(c: &Cluster, pod: &str) -> String {
    c.ok(&["get", "pod", pod, "-o", "jsonpath={.status.podIP}"])
}

/// `kstate run -i --image IMAGE NAME --restart=Never --rm -- COMMAND...`: a throwaway client pod.
fn one_off(c: &Cluster, image: &str, name: &str, command: &[&str]) -> Out {
    let mut args = vec!["run", "-i", "--image", image, name, "--restart=Never", "--rm", "--"];
    args.extend_from_slice(command);
    c.run(&args)
}

#[test]
fn busybox_1_28_nslookup_resolves_pod_names_through_the_search_path() {
    let c = seeded();
    let ip0 = pod_ip(&c, "web-0");
    let o = c.run(&[
        "run",
        "-i",
        "--tty",
        "--image",
        "busybox:1.28",
        "dns-test",
        "--restart=Never",
        "--rm",
        "--",
        "nslookup",
        "web-0.nginx",
    ]);
    assert_eq!(o.code, 0, "{o:?}");
    assert_text(
        &o.stdout,
        &format!(
            "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web-0.nginx\nAddress 1: {ip0} web-0.nginx.default.svc.cluster.local\npod \"dns-test\" deleted\n"
        ),
    );
    assert_text(
        &o.stderr,
        "Unable to use a TTY - input is not a terminal or the right kind of file\nIf you don't see a command prompt, try pressing enter.\n",
    );
    assert!(!c.ok(&["get", "pods"]).contains("dns-test"));
    let o = one_off(&c, "busybox:1.28", "t", &["nslookup", "web-9.nginx"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("nslookup: can't resolve 'web-9.nginx'\n"), "{}", o.stderr);
    assert!(o.stderr.ends_with("pod default/t terminated (Error)\n"), "{}", o.stderr);
    assert!(o.stdout.ends_with("pod \"t\" deleted\n"));
}

#[test]
fn headless_service_answers_its_ready_pods_and_new_busybox_skips_search_for_dotted_names() {
    let c = seeded();
    let (ip0, ip1) = (pod_ip(&c, "web-0"), pod_ip(&c, "web-1"));
    let o = one_off(&c, "busybox", "b", &["nslookup", "web-9.nginx"]);
    assert_eq!(o.code, 1);
    assert_text(
        &o.stdout,
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find web-9.nginx: NXDOMAIN\n\n** server can't find web-9.nginx: NXDOMAIN\n\npod \"b\" deleted\n",
    );
    let o = one_off(&c, "busybox", "b", &["nslookup", "nginx.default.svc.cluster.local"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert!(o.stdout.contains(&format!(
        "Name:\tnginx.default.svc.cluster.local\nAddress: {ip0}\nName:\tnginx.default.svc.cluster.local\nAddress: {ip1}\n"
    )));
    let got = c.ok(&["exec", "web-0", "--", "getent", "hosts", "web-1.nginx"]);
    assert_text(&got, &format!("{ip1:<15} web-1.nginx.default.svc.cluster.local\n"));
    let got = c.ok(&["exec", "web-0", "--", "getent", "hosts", "kubernetes.default"]);
    assert_text(&got, "10.96.0.1       kubernetes.default.svc.cluster.local\n");
    let o = c.run(&["exec", "web-0", "--", "getent", "hosts", "nope"]);
    assert_eq!(o.code, 2);
}

#[test]
fn curl_serves_per_pod_content_from_the_volume_with_200_403_404_and_logs_each_request() {
    let c = seeded();
    for p in ["web-0", "web-1"] {
        c.ok(&["exec", p, "--", "sh", "-c", "mkdir -p /data/html && echo $(hostname) > /data/html/index.html"]);
        c.ok(&["exec", p, "--", "sh", "-c", "rm -rf /usr/share/nginx/html && ln -s /data/html /usr/share/nginx/html"]);
    }
    let ip0 = pod_ip(&c, "web-0");
    assert_eq!(c.ok(&["exec", "web-0", "--", "curl", "-s", "web-1.nginx"]), "web-1\n");
    assert_eq!(c.ok(&["exec", "web-1", "--", "curl", "-s", "web-0.nginx.default.svc.cluster.local"]), "web-0\n");
    c.ok(&["exec", "web-0", "--", "mkdir", "/data/html/empty"]);
    let code =
        c.ok(&["exec", "web-1", "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "web-0.nginx/empty/"]);
    assert_eq!(code, "403");
    let o = c.run(&["exec", "web-1", "--", "curl", "-s", "web-0.nginx/nope"]);
    assert_eq!(o.code, 0);
    assert_text(
        &o.stdout,
        "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n",
    );
    let o = c.run(&["exec", "web-1", "--", "curl", "-sf", "web-0.nginx/nope"]);
    assert_eq!(o.code, 22);
    let head = c.ok(&["exec", "web-1", "--", "curl", "-sI", "web-0.nginx"]);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\nServer: nginx/1.27.3\r\nDate: Fri, 27 Nov 2026 09:00:00 GMT\r\nContent-Type: text/html\r\nContent-Length: 6\r\n"), "{head}");
    let ip1 = pod_ip(&c, "web-1");
    let logs = c.ok(&["logs", "web-0", "--tail", "8"]);
    let want = [
        format!("{ip1} - - [27/Nov/2026:09:00:00 +0000] \"GET / HTTP/1.1\" 200 6 \"-\" \"curl/7.88.1\" \"-\""),
        "directory index of \"/usr/share/nginx/html/empty/\" is forbidden".to_string(),
        format!("{ip1} - - [27/Nov/2026:09:00:00 +0000] \"GET /empty/ HTTP/1.1\" 403 153 \"-\" \"curl/7.88.1\" \"-\""),
        format!("{ip1} - - [27/Nov/2026:09:00:00 +0000] \"GET /nope HTTP/1.1\" 404 153 \"-\" \"curl/7.88.1\" \"-\""),
        format!("{ip1} - - [27/Nov/2026:09:00:00 +0000] \"HEAD / HTTP/1.1\" 200 0 \"-\" \"curl/7.88.1\" \"-\""),
    ];
    for w in &want {
        assert!(logs.contains(w.as_str()), "missing {w} in\n{logs}");
    }
    assert!(!logs.contains(&ip0), "{logs}");
}

#[test]
fn a_cluster_ip_service_balances_round_robin_and_wget_reports_errors() {
    let c = seeded();
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: front\nspec:\n  selector:\n    app: nginx\n  ports:\n  - port: 8080\n    targetPort: web\n";
    let f = c.file("svc.yaml", svc);
    c.ok(&["create", "-f", &f]);
    for p in ["web-0", "web-1"] {
        c.ok(&["exec", p, "--", "sh", "-c", "hostname > /usr/share/nginx/html/index.html"]);
    }
    let mut seen = Vec::new();
    for _ in 0..2 {
        seen.push(c.ok(&["exec", "web-0", "--", "curl", "-s", "front:8080"]));
    }
    seen.sort();
    assert_eq!(seen, vec!["web-0\n", "web-1\n"]);
    let o = c.run(&["exec", "web-0", "--", "curl", "-s", "front"]);
    assert_eq!(o.code, 7, "{o:?}");
    let o = c.run(&["exec", "web-0", "--", "curl", "nosuch"]);
    assert_eq!(o.code, 6);
    assert!(o.stderr.contains("curl: (6) Could not resolve host: nosuch\n"));
    let o = one_off(&c, "busybox", "w", &["wget", "-qO-", "web-0.nginx.default.svc.cluster.local/x"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("wget: server returned error: HTTP/1.1 404 Not Found\n"), "{}", o.stderr);
    let o = one_off(&c, "busybox", "w", &["wget", "-O-", "front:8080"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert!(o.stderr.contains("Connecting to front:8080 ("), "{}", o.stderr);
    let o = c.run(&["exec", "web-0", "--", "nslookup", "nginx"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("exec: \"nslookup\": executable file not found in $PATH"), "{}", o.stderr);
}

#[test]
fn httpd_serves_htdocs_and_lists_directories() {
    let c = Cluster::new();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers:\n  - name: httpd\n    image: httpd:2.4\n";
    let f = c.file("pod.yaml", pod);
    c.ok(&["create", "-f", &f]);
    let ip = pod_ip(&c, "web");
    let o = one_off(&c, "busybox", "w", &["wget", "-qO-", &ip]);
    assert!(o.stdout.starts_with("<html><body><h1>It works!</h1></body></html>\n"), "{o:?}");
    c.ok(&["exec", "web", "--", "mkdir", "/usr/local/apache2/htdocs/d"]);
    let o = one_off(&c, "busybox", "w", &["wget", "-qO-", &format!("{ip}/d/")]);
    assert!(o.stdout.contains("<title>Index of /d</title>"), "{o:?}");
    let logs = c.ok(&["logs", "web"]);
    assert!(logs.starts_with("AH00558: httpd: Could not reliably determine"), "{logs}");
    assert!(logs.contains("\"GET / HTTP/1.1\" 200 45\n"), "{logs}");
}
