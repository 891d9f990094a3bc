//! `kstate port-forward` and `kstate proxy`: real local sockets, answered by the pods' simulated
//! servers. Each test starts the binary in the background, reads its stdout lines, connects with
//! std::net and kills the child it started (by its handle).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, ChildStderr, ChildStdout, Stdio};
use std::time::Duration;

use crate::harness::{assert_text, Cluster};

/// A background kstate command with its stdout read line by line.
struct Background {
    child: Child,
    out: BufReader<ChildStdout>,
    err: Option<ChildStderr>,
}

impl Background {
    fn start(cluster: &Cluster, args: &[&str]) -> Background {
        let mut child = cluster
            .command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn kstate");
        let out = BufReader::new(child.stdout.take().expect("stdout"));
        let err = child.stderr.take();
        Background { child, out, err }
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.out.read_line(&mut line).expect("read a line");
        line
    }

    /// Waits for the command to end: its remaining stdout, its stderr and exit code.
    fn finish(mut self) -> (String, String, Option<i32>) {
        let mut rest = String::new();
        let _ = self.out.read_to_string(&mut rest);
        let mut err = String::new();
        if let Some(mut e) = self.err.take() {
            let _ = e.read_to_string(&mut err);
        }
        let status = self.child.wait().expect("wait");
        (rest, err, status.code())
    }

    /// Sends SIGINT (as ^C does) to the child this test started.
    fn interrupt(&mut self) {
        let pid = self.child.id().to_string();
        let sent = std::process::Command::new("kill").args(["-INT", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()));
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The local port of a `Forwarding from 127.0.0.1:PORT -> REMOTE` line.
fn forwarded_port(line: &str, remote: u16) -> u16 {
    line.strip_prefix("Forwarding from 127.0.0.1:")
        .and_then(|rest| rest.strip_suffix(&format!(" -> {remote}\n")))
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
}

/// Sends one request and reads until the server closes the connection.
fn exchange(port: u16, request: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    s.write_all(request.as_bytes()).expect("send");
    let mut text = Vec::new();
    let _ = s.read_to_end(&mut text);
    String::from_utf8_lossy(&text).into_owned()
}

fn get(port: u16, path: &str) -> String {
    exchange(port, &format!("GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\nConnection: close\r\n\r\n"))
}

/// The IPv6 line when the machine has ::1 (kubectl binds both loopback addresses).
fn skip_ipv6_line(bg: &mut Background, port: u16, remote: u16) {
    if std::net::TcpListener::bind("[::1]:0").is_ok() {
        assert_eq!(bg.line(), format!("Forwarding from [::1]:{port} -> {remote}\n"));
    }
}

const NGINX_INDEX_HEAD: &str = "HTTP/1.1 200 OK\r\nServer: nginx/1.27.3\r\nDate: Fri, 27 Nov 2026 09:00:00 GMT\r\nContent-Type: text/html\r\nContent-Length: 615\r\n";

#[test]
fn a_service_port_forwards_to_its_target_port_on_a_pod() {
    let c = Cluster::new();
    c.run(&["create", "deployment", "web", "--image=nginx", "--port=80"]);
    c.run(&["expose", "deployment", "web", "--port=8080", "--target-port=80"]);
    let mut bg = Background::start(&c, &["port-forward", "service/web", ":8080"]);
    let port = forwarded_port(&bg.line(), 80);
    skip_ipv6_line(&mut bg, port, 80);
    let reply = get(port, "/");
    assert!(reply.starts_with(NGINX_INDEX_HEAD), "{reply}");
    assert!(reply.contains("\r\n\r\n<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>"), "{reply}");
    assert_eq!(bg.line(), format!("Handling connection for {port}\n"));
    let reply = get(port, "/missing");
    assert!(reply.starts_with("HTTP/1.1 404 Not Found\r\nServer: nginx/1.27.3\r\n"), "{reply}");
    assert_eq!(bg.line(), format!("Handling connection for {port}\n"));
    // The pod's server logged both requests, from the pod's own loopback address.
    let logs = c.run(&["logs", "deployment/web"]).stdout;
    assert!(
        logs.contains(
            "127.0.0.1 - - [27/Nov/2026:09:00:00 +0000] \"GET / HTTP/1.1\" 200 615 \"-\" \"curl/7.88.1\" \"-\"\n"
        ),
        "{logs}"
    );
    assert!(logs.contains("\"GET /missing HTTP/1.1\" 404 153"), "{logs}");
    bg.interrupt();
    let (rest, err, code) = bg.finish();
    assert_eq!((rest.as_str(), err.as_str(), code), ("", "", Some(0)));
}

#[test]
fn each_connection_reads_the_cluster_afresh_and_keeps_alive() {
    let c = Cluster::new();
    c.run(&["run", "web", "--image=nginx"]);
    let mut bg = Background::start(&c, &["port-forward", "pod/web", "0:80", "--address=127.0.0.1"]);
    let port = forwarded_port(&bg.line(), 80);
    let out = c.run(&["exec", "web", "--", "sh", "-c", "echo hello > /usr/share/nginx/html/hi.txt"]);
    assert_eq!(out.code, 0, "{out:?}");
    // Two requests on one keep-alive connection, the second asking to close.
    let reply = exchange(
        port,
        &format!("GET /hi.txt HTTP/1.1\r\nHost: localhost:{port}\r\n\r\nHEAD /hi.txt HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(reply.matches("HTTP/1.1 200 OK\r\n").count(), 2, "{reply}");
    assert!(reply.contains("Content-Type: text/plain\r\nContent-Length: 6\r\n"), "{reply}");
    assert!(reply.contains("\r\n\r\nhello\nHTTP/1.1 200 OK"), "{reply}");
    assert!(reply.ends_with("Accept-Ranges: bytes\r\n\r\n"), "{reply}");
    assert_eq!(bg.line(), format!("Handling connection for {port}\n"));
}

#[test]
fn the_bootcamp_app_answers_chunked_through_a_deployment() {
    let c = Cluster::new();
    c.run(&["create", "deployment", "kubernetes-bootcamp", "--image=gcr.io/google-samples/kubernetes-bootcamp:v1"]);
    let pod = c.run(&["get", "pods", "-o", "jsonpath={.items[0].metadata.name}"]).stdout;
    let mut bg =
        Background::start(&c, &["port-forward", "deploy/kubernetes-bootcamp", ":8080", "--address", "127.0.0.1"]);
    let port = forwarded_port(&bg.line(), 8080);
    let reply = get(port, "/");
    let body = format!("Hello Kubernetes bootcamp! | Running on: {pod} | v=1\n");
    assert_text(
        &reply,
        &format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: Fri, 27 Nov 2026 09:00:00 GMT\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
            body.len()
        ),
    );
}

#[test]
fn a_port_nothing_listens_on_ends_the_forward_as_kubectl_does() {
    let c = Cluster::new();
    c.run(&["run", "web", "--image=nginx"]);
    let mut bg = Background::start(&c, &["port-forward", "web", ":1234", "--address=127.0.0.1"]);
    let port = forwarded_port(&bg.line(), 1234);
    assert_eq!(get(port, "/"), "");
    let (rest, err, code) = bg.finish();
    assert_eq!(rest, format!("Handling connection for {port}\n"));
    let mut lines = err.lines();
    let klog = lines.next().unwrap_or_default();
    assert!(
        klog.starts_with('E')
            && klog.contains(" portforward.go:424] \"Unhandled Error\" err=\"an error occurred forwarding "),
        "{err}"
    );
    assert!(klog.contains(&format!("forwarding {port} -> 1234: error forwarding port 1234 to pod ")), "{err}");
    assert!(klog.ends_with("IPv4: dial tcp4 127.0.0.1:1234: connect: connection refused IPv6 dial tcp6 [::1]:1234: connect: connection refused \""), "{err}");
    assert_eq!(lines.next(), Some("error: lost connection to pod"));
    assert_eq!(code, Some(1));
}

#[test]
fn a_local_port_in_use_is_reported_and_nothing_else_listens() {
    let c = Cluster::new();
    c.run(&["run", "web", "--image=nginx"]);
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let out = c.run(&["port-forward", "web", &format!("{port}:80"), "--address=127.0.0.1"]);
    assert_eq!(out.stdout, "");
    assert_text(
        &out.stderr,
        &format!("Unable to listen on port {port}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:{port}: bind: address already in use]\nerror: unable to listen on any of the requested ports: [{{{port} 80}}]\n"),
    );
    assert_eq!(out.code, 1);
}

#[test]
fn arguments_are_checked_as_kubectl_checks_them() {
    let c = Cluster::new();
    c.run(&["create", "deployment", "web", "--image=nginx", "--port=80"]);
    c.run(&["expose", "deployment", "web", "--port=8080", "--target-port=80", "--name=web"]);
    c.file(
        "pend.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: pend}\nspec:\n  nodeSelector: {x: zz}\n  containers: [{name: c, image: nginx, ports: [{name: web, containerPort: 80}, {containerPort: 53, protocol: UDP}]}]\n",
    );
    c.run(&["apply", "-f", "pend.yaml"]);
    let cases: &[(&[&str], &str)] = &[
        (&["web"], "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n"),
        (&["svc/web", "8080:nope"], "error: Service 'web' does not have a named port 'nope'\n"),
        (&["svc/web", "9999"], "error: Service web does not have a service port 9999\n"),
        (&["pod/nope", "80"], "Error from server (NotFound): pods \"nope\" not found\n"),
        (&["foo/x", "80"], "error: the server doesn't have a resource type \"foo\"\n"),
        (&["cm/kube-root-ca.crt", "80"], "error: cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented\n"),
        (&["deploy/web", "80", "--address=bad"], "error: bad is not a valid IP\n"),
        (&["deploy/web", "80", "--address="], "error: you must specify at least 1 address\n"),
        (&["deploy/web", "x:80"], "error: error parsing local port 'x': strconv.ParseUint: parsing \"x\": invalid syntax\n"),
        (&["pend", "8080:web"], "error: unable to forward port because pod is not running. Current status=Pending\n"),
        (&["pend", "53"], "error: UDP protocol is not supported for 53\n"),
        (&["pend", "80:nope"], "error: Pod 'pend' does not have a named port 'nope'\n"),
    ];
    for (args, want) in cases {
        let mut argv = vec!["port-forward"];
        argv.extend_from_slice(args);
        let out = c.run(&argv);
        assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.code), ("", *want, 1), "{args:?}");
    }
}

/// The port of `Starting to serve on 127.0.0.1:PORT`.
fn serving_port(line: &str) -> u16 {
    line.strip_prefix("Starting to serve on 127.0.0.1:")
        .and_then(|p| p.trim_end().parse().ok())
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
}

#[test]
fn proxy_serves_the_api_and_the_pods_and_services_proxy_subresources() {
    let c = Cluster::new();
    c.run(&["create", "deployment", "kubernetes-bootcamp", "--image=gcr.io/google-samples/kubernetes-bootcamp:v1"]);
    c.run(&["expose", "deployment", "kubernetes-bootcamp", "--port=8080"]);
    let pod = c.run(&["get", "pods", "-o", "jsonpath={.items[0].metadata.name}"]).stdout;
    let mut bg = Background::start(&c, &["proxy", "--port=0"]);
    let port = serving_port(&bg.line());
    let base = "/api/v1/namespaces/default";
    let body = format!("Hello Kubernetes bootcamp! | Running on: {pod} | v=1\n");
    // The tutorial's request (Kubernetes Basics, module 3).
    assert_text(
        &get(port, &format!("{base}/pods/{pod}:8080/proxy/")),
        &format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nDate: Fri, 27 Nov 2026 09:00:00 GMT\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    let through_service = get(port, &format!("{base}/services/kubernetes-bootcamp/proxy/"));
    assert!(through_service.ends_with(&format!("\r\n\r\n{body}")), "{through_service}");
    let redirect = get(port, &format!("{base}/pods/{pod}:8080/proxy"));
    assert!(
        redirect.starts_with(&format!(
            "HTTP/1.1 301 Moved Permanently\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 0\r\nLocation: {base}/pods/{pod}:8080/proxy/\r\n"
        )),
        "{redirect}"
    );
    let refused = get(port, &format!("{base}/pods/{pod}:81/proxy/"));
    assert!(refused.starts_with("HTTP/1.1 503 Service Unavailable\r\n"), "{refused}");
    assert!(
        refused.contains(":81: connect: connection refused\",\"metadata\":{},\"reason\":\"ServiceUnavailable\""),
        "{refused}"
    );
    let no_port = get(port, &format!("{base}/services/kubernetes-bootcamp:9/proxy/"));
    assert!(
        no_port.contains("\"message\":\"no service port 9 found for service \\\"kubernetes-bootcamp\\\"\""),
        "{no_port}"
    );
    let missing = get(port, &format!("{base}/pods/nope/proxy/"));
    assert!(
        missing.starts_with("HTTP/1.1 404 Not Found\r\n") && missing.contains("pods \\\"nope\\\" not found"),
        "{missing}"
    );
    // The API itself, and the filter: exec is refused, as are hosts other than localhost.
    assert!(get(port, "/api/v1/namespaces/default/pods").contains("\"kind\":\"PodList\""));
    assert!(get(port, &format!("{base}/pods/{pod}/exec?command=ls")).ends_with("\r\n\r\n<h3>Unauthorized</h3>"));
    let other_host = exchange(port, "GET /api HTTP/1.1\r\nHost: example.com:8001\r\nConnection: close\r\n\r\n");
    assert!(other_host.starts_with("HTTP/1.1 403 Forbidden\r\n"), "{other_host}");
    drop(bg);
}

#[test]
fn proxy_prefixes_and_a_busy_port_behave_as_kubectl_proxy() {
    let c = Cluster::new();
    let mut bg = Background::start(&c, &["proxy", "-p", "0", "--api-prefix=/k8s-api"]);
    let port = serving_port(&bg.line());
    assert!(get(port, "/k8s-api/version").contains("\"gitVersion\":\"v1.32"));
    assert_text(
        &get(port, "/version"),
        "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 19\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n404 page not found\n",
    );
    let busy = c.run(&["proxy", &format!("--port={port}")]);
    assert_eq!(
        (busy.stdout.as_str(), busy.stderr.as_str(), busy.code),
        ("", format!("error: listen tcp 127.0.0.1:{port}: bind: address already in use\n").as_str(), 1)
    );
    let bad = c.run(&["proxy", "--port=x"]);
    assert_eq!(bad.stderr, "error: invalid argument \"x\" for \"-p, --port\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\nSee 'kubectl proxy --help' for usage.\n");
}

#[test]
fn redis_answers_resp_through_a_forwarded_service_port() {
    // tasks/access-application-cluster/port-forward-access-application-cluster: `redis-cli -p
    // 7000` then `ping` on the local machine.
    let c = Cluster::new();
    c.run(&["create", "deployment", "redis-master", "--image=docker.io/redis:6.0.5", "--port=6379"]);
    c.run(&["expose", "deployment", "redis-master", "--port=6379"]);
    let mut bg = Background::start(&c, &["port-forward", "service/redis-master", ":6379", "--address=127.0.0.1"]);
    let port = forwarded_port(&bg.line(), 6379);
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    let mut ask = |command: &str, want: &str| {
        s.write_all(command.as_bytes()).expect("send");
        let mut got = vec![0u8; want.len()];
        s.read_exact(&mut got).expect("reply");
        assert_eq!(String::from_utf8_lossy(&got), want, "{command:?}");
    };
    ask("*1\r\n$4\r\nPING\r\n", "+PONG\r\n");
    ask("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nhi\r\n", "+OK\r\n");
    ask("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", "$2\r\nhi\r\n");
    ask("*2\r\n$3\r\nGET\r\n$4\r\nnone\r\n", "$-1\r\n");
    assert_eq!(bg.line(), format!("Handling connection for {port}\n"));
    // The key is in the server's keyspace, as redis-cli inside the pod sees it.
    assert_eq!(c.run(&["exec", "deploy/redis-master", "--", "redis-cli", "get", "k"]).stdout, "hi\n");
}
