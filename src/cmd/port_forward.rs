//! `kstate port-forward TYPE/NAME [LOCAL:]REMOTE...`: listens on real local TCP ports, as
//! kubectl does, and answers each connection with the pod's simulated server on the remote port
//! (the server `curl` reaches from inside the cluster). Runs until interrupted.
//!
//! kubectl's steps, in its order: resolve the object to a pod (a service, workload or the pod
//! itself), translate named and service ports, check the pod runs, parse the addresses and
//! ports, then listen. Each connection reads the cluster afresh: other kstate commands may change
//! it while the forward runs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{io, Context};
use crate::api::kinds::{self, Kind, POD};
use crate::api::selector::Selector;
use crate::api::ObjectExt;
use crate::cluster::{Cluster, Key};
use crate::controller::kubelet::ClusterNet;
use crate::exec::{self, HttpRequest, Reached};
use crate::serve::Env;
use crate::{Error, Result};

pub struct Request {
    /// TYPE/NAME (or a pod's name), then the port specifications.
    pub args: Vec<String>,
    /// `--address`, comma-separated values already split.
    pub address: Vec<String>,
}

/// One forwarded port once its local side listens (`Local` is the bound port when 0 was asked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Forwarded {
    local: u16,
    remote: u16,
}

/// Where kubectl listens: localhost means both loopback addresses, and succeeds when either
/// binds ("all" failure mode); an explicit address must bind ("any").
#[derive(Debug, Clone, PartialEq, Eq)]
struct ListenAddress {
    address: String,
    ip: IpAddr,
    must_bind: bool,
}

pub fn run(ctx: &mut Context, req: Request) -> Result<()> {
    if req.args.len() < 2 {
        return Err(Error::cli(
            "TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples",
        ));
    }
    let mut cluster = ctx.read()?;
    let resolved = resolve(&mut cluster, &ctx.namespace, &req.args[0], &req.args[1..]);
    let (pod, ports) = match resolved {
        Ok(found) => found,
        Err(e) => {
            cluster.abandon()?;
            return Err(e);
        }
    };
    cluster.abandon()?;
    let phase = pod.str_at("status.phase");
    if phase != "Running" {
        return Err(Error::cli(format!("unable to forward port because pod is not running. Current status={phase}")));
    }
    // pflag reads `--address=` as an empty list.
    if req.address.is_empty() || req.address == [""] {
        return Err(Error::cli("you must specify at least 1 address"));
    }
    let addresses = parse_addresses(&req.address)?;
    let mut forwards = parse_ports(&ports)?;
    let stop = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&stop)).map_err(io)?;
    let (tx, rx) = channel();
    let shared = Arc::new(Shared {
        env: Env::of(ctx),
        namespace: pod.namespace().to_string(),
        pod: pod.name().to_string(),
        uid: pod.uid().to_string(),
        events: Mutex::new(tx),
    });
    let mut any = false;
    for fwd in &mut forwards {
        match listen_on_port(ctx, &addresses, fwd)? {
            Ok(listeners) => {
                any = true;
                for l in listeners {
                    accept_in_background(Arc::clone(&shared), l, *fwd);
                }
            }
            Err(why) => {
                ctx.err.write_all(format!("Unable to listen on port {}: {why}\n", fwd.local).as_bytes()).map_err(io)?;
            }
        }
    }
    ctx.out.flush().map_err(io)?;
    if !any {
        let list: Vec<String> = forwards.iter().map(|f| format!("{{{} {}}}", f.local, f.remote)).collect();
        return Err(Error::cli(format!("unable to listen on any of the requested ports: [{}]", list.join(" "))));
    }
    // The connections' threads report here; only this thread writes to the command's streams.
    while !stop.load(Ordering::Relaxed) {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Event::Out(line)) => {
                ctx.out.write_all(line.as_bytes()).map_err(io)?;
                ctx.out.flush().map_err(io)?;
            }
            Ok(Event::Err(line)) => {
                ctx.err.write_all(line.as_bytes()).map_err(io)?;
                ctx.err.flush().map_err(io)?;
            }
            Ok(Event::Lost) => return Err(Error::cli("lost connection to pod")),
            Err(_) => {}
        }
    }
    Ok(())
}

/// The pod to forward to and the port specifications with names and service ports translated
/// (kubectl's Complete).
fn resolve(cluster: &mut Cluster, namespace: &str, arg: &str, ports: &[String]) -> Result<(Value, Vec<String>)> {
    let (kind, name) = match arg.split_once('/') {
        Some((typed, name)) => (
            kinds::lookup(typed)
                .ok_or_else(|| Error::cli(format!("the server doesn't have a resource type \"{typed}\"")))?,
            name,
        ),
        None => (&POD, arg),
    };
    if name.is_empty() {
        return Err(Error::cli("arguments in resource/name form must have a single resource and name"));
    }
    let obj = cluster.get(&Key::new(kind, namespace, name))?.ok_or_else(|| Error::not_found(&kind.resource(), name))?;
    if kind.kind == "Pod" {
        check_udp_in_pod(ports, &obj)?;
        let ports = convert_pod_named_ports(ports, &obj)?;
        return Ok((obj, ports));
    }
    let pod = forwardable_pod(cluster, namespace, kind, &obj)?;
    if kind.kind == "Service" {
        check_udp_in_service(ports, &obj)?;
        let ports = translate_service_ports(ports, &obj, &pod)?;
        return Ok((pod, ports));
    }
    check_udp_in_pod(ports, &pod)?;
    let ports = convert_pod_named_ports(ports, &pod)?;
    Ok((pod, ports))
}

/// polymorphichelpers.AttachablePodForObjectFn: the pod a service or workload selects, the one
/// `sort.Reverse(ActivePods)` puts first.
fn forwardable_pod(cluster: &mut Cluster, namespace: &str, kind: &Kind, obj: &Value) -> Result<Value> {
    let map_selector = matches!(kind.kind, "Service" | "ReplicationController");
    let selector = match obj.at("spec.selector") {
        Some(sel) if map_selector => {
            if kind.kind == "Service" && sel.as_object().is_none_or(|m| m.is_empty()) {
                return Err(Error::cli(format!(
                    "invalid service '{}': Service is defined without a selector",
                    obj.name()
                )));
            }
            Selector::from_label_selector(&serde_json::json!({ "matchLabels": sel }))
        }
        None if kind.kind == "Service" => {
            return Err(Error::cli(format!("invalid service '{}': Service is defined without a selector", obj.name())))
        }
        Some(sel) if matches!(kind.kind, "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "Job") => {
            Selector::from_label_selector(sel)
        }
        _ => {
            let go_type = format!("*{}.{}", go_package(kind), kind.kind);
            return Err(Error::cli(format!("cannot attach to {go_type}: selector for {go_type} not implemented")));
        }
    }
    .map_err(Error::cli)?;
    cluster.load(&POD, Some(namespace))?;
    let mut pods: Vec<Value> =
        cluster.iter(&POD, Some(namespace)).filter(|p| selector.matches_object(p)).cloned().collect();
    pods.sort_by(most_active_first);
    // kubectl would wait --pod-running-timeout for a pod to appear; kstate's cluster has
    // already converged, so none will.
    pods.into_iter().next().ok_or_else(|| Error::cli("timed out waiting for the condition"))
}

/// The Go package kubectl's error names a type by (`*v1.ConfigMap`, `*v1.CronJob`).
fn go_package(kind: &Kind) -> &str {
    if kind.version.is_empty() {
        "v1"
    } else {
        kind.version
    }
}

/// `sort.Reverse(podutils.ActivePods)`: assigned before unassigned; Running, then Unknown, then
/// Pending; ready before not ready; ready longer first; fewer restarts first; older first.
fn most_active_first(a: &Value, b: &Value) -> std::cmp::Ordering {
    let assigned = |p: &Value| !p.str_at("spec.nodeName").is_empty();
    let phase = |p: &Value| match p.str_at("status.phase") {
        "Running" => 0,
        "Unknown" => 1,
        "Pending" => 2,
        _ => 3,
    };
    let ready_since = |p: &Value| {
        p.array_at("status.conditions")
            .iter()
            .find(|c| c.str_at("type") == "Ready" && c.str_at("status") == "True")
            .map(|c| c.str_at("lastTransitionTime").to_string())
    };
    let restarts = |p: &Value| {
        p.array_at("status.containerStatuses").iter().map(|s| s.i64_at("restartCount").unwrap_or(0)).max().unwrap_or(0)
    };
    let created = |p: &Value| p.str_at("metadata.creationTimestamp").to_string();
    assigned(b)
        .cmp(&assigned(a))
        .then(phase(a).cmp(&phase(b)))
        .then(ready_since(b).is_some().cmp(&ready_since(a).is_some()))
        .then(ready_since(a).cmp(&ready_since(b)))
        .then(restarts(a).cmp(&restarts(b)))
        .then(created(a).cmp(&created(b)))
}

/// kubectl's splitPort: `L:R`, or the one value for both (`1:2:3` is taken as `1`).
fn split_port(spec: &str) -> (String, String) {
    let parts: Vec<&str> = spec.split(':').collect();
    if parts.len() == 2 {
        (parts[0].to_string(), parts[1].to_string())
    } else {
        (parts[0].to_string(), parts[0].to_string())
    }
}

/// Go's strconv.Atoi: an optional sign and decimal digits.
fn atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn container_port_by_name(pod: &Value, name: &str) -> Result<i64> {
    pod.array_at("spec.containers")
        .iter()
        .flat_map(|c| c.array_at("ports"))
        .find(|p| p.str_at("name") == name)
        .and_then(|p| p.i64_at("containerPort"))
        .ok_or_else(|| Error::cli(format!("Pod '{}' does not have a named port '{name}'", pod.name())))
}

fn service_port_by_name(svc: &Value, name: &str) -> Result<i64> {
    svc.array_at("spec.ports")
        .iter()
        .find(|p| p.str_at("name") == name)
        .and_then(|p| p.i64_at("port"))
        .ok_or_else(|| Error::cli(format!("Service '{}' does not have a named port '{name}'", svc.name())))
}

/// convertPodNamedPortToNumber.
fn convert_pod_named_ports(ports: &[String], pod: &Value) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for spec in ports {
        let (local, remote) = split_port(spec);
        if remote.is_empty() {
            return Err(Error::cli("remote port cannot be empty"));
        }
        let number = match atoi(&remote) {
            Some(_) => remote.clone(),
            None => container_port_by_name(pod, &remote)?.to_string(),
        };
        out.push(if local != remote { format!("{local}:{number}") } else { number });
    }
    Ok(out)
}

/// translateServicePortToTargetPort: a service port (number or name) becomes the target port
/// of the chosen pod.
fn translate_service_ports(ports: &[String], svc: &Value, pod: &Value) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for spec in ports {
        let (mut local, remote) = split_port(spec);
        let number = match atoi(&remote) {
            Some(n) => n,
            None => {
                let n = service_port_by_name(svc, &remote)?;
                if local == remote {
                    local = n.to_string();
                }
                n
            }
        };
        let container = container_port_for_service_port(svc, pod, number)?;
        let remote = container.to_string();
        out.push(if local != remote { format!("{local}:{remote}") } else { remote });
    }
    Ok(out)
}

/// LookupContainerPortNumberByServicePort.
fn container_port_for_service_port(svc: &Value, pod: &Value, port: i64) -> Result<i64> {
    for sp in svc.array_at("spec.ports") {
        if sp.i64_at("port") != Some(port) {
            continue;
        }
        return match sp.get("targetPort") {
            None => Ok(port),
            Some(Value::Number(n)) => Ok(n.as_i64().filter(|n| *n != 0).unwrap_or(port)),
            Some(Value::String(s)) => match atoi(s) {
                Some(n) if n != 0 => Ok(n),
                _ => container_port_by_name(pod, s),
            },
            Some(_) => Ok(port),
        };
    }
    Err(Error::cli(format!("Service {} does not have a service port {port}", svc.name())))
}

/// checkUDPPorts: a remote port only UDP ports declare cannot be forwarded.
fn check_udp(udp_only: &[i64], ports: &[String], number_of: &dyn Fn(&str) -> Result<i64>) -> Result<()> {
    for spec in ports {
        let (_, remote) = split_port(spec);
        let n = match atoi(&remote) {
            Some(n) => n,
            None => number_of(&remote)?,
        };
        if udp_only.contains(&n) {
            return Err(Error::cli(format!("UDP protocol is not supported for {remote}")));
        }
    }
    Ok(())
}

/// The port numbers declared only with UDP among `(number, protocol)` pairs.
fn udp_only(declared: Vec<(i64, String)>) -> Vec<i64> {
    let tcp: Vec<i64> = declared.iter().filter(|(_, p)| p == "TCP").map(|(n, _)| *n).collect();
    declared.iter().filter(|(n, p)| p == "UDP" && !tcp.contains(n)).map(|(n, _)| *n).collect()
}

fn protocol(p: &Value) -> String {
    match p.str_at("protocol") {
        "" => "TCP".to_string(),
        other => other.to_string(),
    }
}

fn check_udp_in_pod(ports: &[String], pod: &Value) -> Result<()> {
    let declared = pod
        .array_at("spec.containers")
        .iter()
        .flat_map(|c| c.array_at("ports"))
        .filter_map(|p| Some((p.i64_at("containerPort")?, protocol(p))))
        .collect();
    check_udp(&udp_only(declared), ports, &|name| container_port_by_name(pod, name))
}

fn check_udp_in_service(ports: &[String], svc: &Value) -> Result<()> {
    let declared = svc.array_at("spec.ports").iter().filter_map(|p| Some((p.i64_at("port")?, protocol(p)))).collect();
    check_udp(&udp_only(declared), ports, &|name| service_port_by_name(svc, name))
}

/// client-go's parseAddresses: sorted by address, `localhost` as both loopback addresses.
fn parse_addresses(given: &[String]) -> Result<Vec<ListenAddress>> {
    let mut out: Vec<ListenAddress> = Vec::new();
    let mut add = |a: ListenAddress| {
        if let Some(existing) = out.iter_mut().find(|e| e.address == a.address) {
            // An explicit address replaces localhost's entry for it, as the map in Go does.
            if a.must_bind {
                *existing = a;
            }
        } else {
            out.push(a);
        }
    };
    for address in given {
        if address == "localhost" {
            for (text, ip) in
                [("127.0.0.1", IpAddr::from([127, 0, 0, 1])), ("::1", IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]))]
            {
                add(ListenAddress { address: text.to_string(), ip, must_bind: false });
            }
            continue;
        }
        let ip: IpAddr = address.parse().map_err(|_| Error::cli(format!("{address} is not a valid IP")))?;
        add(ListenAddress { address: address.clone(), ip, must_bind: true });
    }
    out.sort_by(|a, b| a.address.cmp(&b.address));
    Ok(out)
}

/// Go's strconv.ParseUint(s, 10, 16) error text, as client-go quotes it.
fn parse_u16(s: &str) -> std::result::Result<u16, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.ParseUint: parsing \"{s}\": invalid syntax"));
    }
    s.parse::<u16>().map_err(|_| format!("strconv.ParseUint: parsing \"{s}\": value out of range"))
}

/// client-go's parsePorts.
fn parse_ports(specs: &[String]) -> Result<Vec<Forwarded>> {
    let mut out = Vec::new();
    for spec in specs {
        let parts: Vec<&str> = spec.split(':').collect();
        let (local, remote) = match parts.as_slice() {
            [one] => (*one, *one),
            [l, r] => (if l.is_empty() { "0" } else { l }, *r),
            _ => return Err(Error::cli(format!("invalid port format '{spec}'"))),
        };
        let local = parse_u16(local).map_err(|e| Error::cli(format!("error parsing local port '{local}': {e}")))?;
        let remote = parse_u16(remote).map_err(|e| Error::cli(format!("error parsing remote port '{remote}': {e}")))?;
        if remote == 0 {
            return Err(Error::cli("remote port must be > 0"));
        }
        out.push(Forwarded { local, remote });
    }
    Ok(out)
}

/// Go's net.JoinHostPort.
fn join_host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// listenOnPort: binds every address (a port of 0 becomes the first bound port for the rest),
/// printing `Forwarding from ...` for each. The outer error is an output failure; the inner one
/// kubectl's reason for giving up on the port.
fn listen_on_port(
    ctx: &mut Context,
    addresses: &[ListenAddress],
    fwd: &mut Forwarded,
) -> Result<std::result::Result<Vec<TcpListener>, String>> {
    let mut listeners = Vec::new();
    let mut errors = Vec::new();
    let (mut failed_localhost, mut bound_localhost, mut failed_explicit) = (0, 0, 0);
    for a in addresses {
        match TcpListener::bind(SocketAddr::new(a.ip, fwd.local)) {
            Ok(l) => {
                let port = l.local_addr().map_err(io)?.port();
                fwd.local = port;
                let line = format!("Forwarding from {} -> {}\n", join_host_port(&a.address, port), fwd.remote);
                ctx.out.write_all(line.as_bytes()).map_err(io)?;
                listeners.push(l);
                if !a.must_bind {
                    bound_localhost += 1;
                }
            }
            Err(e) => {
                let network = if a.ip.is_ipv4() { "tcp4" } else { "tcp6" };
                errors.push(format!(
                    "unable to create listener: Error listen {network} {}: {}",
                    join_host_port(&a.address, fwd.local),
                    go_errno(&e)
                ));
                if a.must_bind {
                    failed_explicit += 1;
                } else {
                    failed_localhost += 1;
                }
            }
        }
    }
    ctx.out.flush().map_err(io)?;
    if (bound_localhost == 0 && failed_localhost > 0) || failed_explicit > 0 {
        return Ok(Err(format!("Listeners failed to create with the following errors: [{}]", errors.join(" "))));
    }
    Ok(Ok(listeners))
}

/// How Go words a failed bind (`bind: address already in use`).
fn go_errno(e: &std::io::Error) -> String {
    let text = match e.kind() {
        std::io::ErrorKind::AddrInUse => "address already in use".to_string(),
        std::io::ErrorKind::AddrNotAvailable => "cannot assign requested address".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    format!("bind: {text}")
}

/// What every connection needs: how to open the cluster, which pod, and where to report.
struct Shared {
    env: Env,
    namespace: String,
    pod: String,
    uid: String,
    events: Mutex<Sender<Event>>,
}

/// What a connection reports to the command's thread.
enum Event {
    Out(String),
    Err(String),
    /// The connection to the pod is lost: kubectl ends.
    Lost,
}

fn accept_in_background(shared: Arc<Shared>, listener: TcpListener, fwd: Forwarded) {
    let _ = std::thread::Builder::new().name("port-forward".into()).spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let s = Arc::clone(&shared);
            let _ = std::thread::Builder::new().name("forwarded".into()).spawn(move || handle(&s, stream, fwd));
        }
    });
}

fn report(shared: &Shared, event: Event) {
    if let Ok(tx) = shared.events.lock() {
        let _ = tx.send(event);
    }
}

/// One local connection: HTTP requests read from it are answered by the pod's server on the
/// remote port until the client closes (or asks to close).
fn handle(shared: &Shared, stream: TcpStream, fwd: Forwarded) {
    report(shared, Event::Out(format!("Handling connection for {}\n", fwd.local)));
    let _ = stream.set_read_timeout(Some(Duration::from_secs(300)));
    let Ok(read_half) = stream.try_clone() else { return };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    // redis-cli speaks first with a RESP array; HTTP never starts with `*`.
    let resp = reader.fill_buf().ok().and_then(|b| b.first().copied()) == Some(b'*');
    loop {
        let (answered, close) = if resp {
            let Some(argv) = read_resp_command(&mut reader) else { return };
            (answer_redis(shared, fwd.remote, argv), false)
        } else {
            let Some((req, close)) = read_request(&mut reader) else { return };
            (answer(shared, fwd.remote, &req), close)
        };
        match answered {
            Answer::Http(bytes, server_closes) => {
                if writer.write_all(&bytes).and_then(|_| writer.flush()).is_err() || close || server_closes {
                    return;
                }
            }
            Answer::Close => return,
            Answer::Refused => {
                report(shared, Event::Err(refused_line(shared, fwd)));
                report(shared, Event::Lost);
                return;
            }
            Answer::Lost => {
                report(shared, Event::Lost);
                return;
            }
        }
    }
}

enum Answer {
    /// The reply's bytes, and whether the server closes the connection after it.
    Http(Vec<u8>, bool),
    /// A server that does not speak HTTP: the connection ends.
    Close,
    Refused,
    /// The pod is gone or no longer runs.
    Lost,
}

/// Runs `f` over the forwarded pod in its own write transaction (the server logs what it
/// serves): the store, the cluster network, the pod's address and the time. `Lost` when the pod
/// is gone or no longer runs.
fn with_pod(
    shared: &Shared,
    f: impl FnOnce(&mut dyn exec::Backing, &ClusterNet, &str, i64) -> Answer,
) -> Result<Answer> {
    let mut cluster = shared.env.write()?;
    let pod = cluster.get(&Key::new(&POD, &shared.namespace, &shared.pod))?;
    let ip = match &pod {
        Some(p) if p.uid() == shared.uid && p.str_at("status.phase") == "Running" => {
            p.str_at("status.podIP").to_string()
        }
        _ => {
            cluster.abandon()?;
            return Ok(Answer::Lost);
        }
    };
    let net = ClusterNet::build(&mut cluster)?;
    let now = cluster.clock.now();
    let answer = {
        let mut files = cluster.files();
        f(&mut files, &net, &ip, now)
    };
    crate::serve::finish(cluster)?;
    Ok(answer)
}

/// Answers one HTTP request.
fn answer(shared: &Shared, port: u16, req: &HttpRequest) -> Answer {
    let result = with_pod(shared, |files, net, ip, now| match exec::reach(files, net, ip, port, req, now) {
        Reached::Http(resp) => {
            let closes = resp.header("connection").is_some_and(|c| c.eq_ignore_ascii_case("close"));
            Answer::Http(exec::wire(&resp), closes)
        }
        Reached::NotHttp => Answer::Close,
        Reached::Refused => Answer::Refused,
        Reached::Unreachable => Answer::Lost,
    });
    result.unwrap_or(Answer::Close)
}

/// Answers one Redis command (RESP), when a Redis server listens on the port.
fn answer_redis(shared: &Shared, port: u16, argv: Vec<String>) -> Answer {
    let result = with_pod(shared, |files, net, ip, now| {
        if !exec::listening(net, ip, port) {
            return Answer::Refused;
        }
        match exec::redis_command(files, net, ip, port, argv, now) {
            Some(reply) => Answer::Http(reply, false),
            None => Answer::Close,
        }
    });
    result.unwrap_or(Answer::Close)
}

/// One RESP command: an array of bulk strings (`*1\r\n$4\r\nPING\r\n`), as redis-cli sends it.
fn read_resp_command(reader: &mut impl BufRead) -> Option<Vec<String>> {
    let line = |reader: &mut dyn BufRead| -> Option<String> {
        let mut l = Vec::new();
        reader.take(64 * 1024).read_until(b'\n', &mut l).ok()?;
        let text = String::from_utf8(l).ok()?;
        Some(text.trim_end_matches(['\r', '\n']).to_string())
    };
    let count: usize = line(reader)?.strip_prefix('*')?.parse().ok()?;
    let mut argv = Vec::new();
    for _ in 0..count.min(1024) {
        let len: u64 = line(reader)?.strip_prefix('$')?.parse().ok()?;
        let mut data = Vec::new();
        reader.take(len.min(MAX_ARGUMENT) + 2).read_to_end(&mut data).ok()?;
        data.truncate(data.len().saturating_sub(2));
        argv.push(String::from_utf8_lossy(&data).into_owned());
    }
    Some(argv)
}

/// The longest RESP argument read (redis' own limit is 512 MB; a forwarded session needs less).
const MAX_ARGUMENT: u64 = 1024 * 1024;

/// Reads one HTTP/1.x request head (and skips its body); `None` when the client is done or
/// does not speak HTTP. The flag: the client asked to close after this request.
fn read_request(reader: &mut impl BufRead) -> Option<(HttpRequest, bool)> {
    let head = crate::serve::read_head(reader).ok()?;
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Request::new(&mut headers);
    if !matches!(parsed.parse(&head), Ok(httparse::Status::Complete(_))) {
        return None;
    }
    let header = |name: &str| {
        parsed
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).into_owned())
            .unwrap_or_default()
    };
    let length: u64 = header("content-length").trim().parse().unwrap_or(0);
    let close = header("connection").eq_ignore_ascii_case("close") || parsed.version == Some(0);
    let req = HttpRequest {
        method: parsed.method.unwrap_or("GET").to_string(),
        target: parsed.path.unwrap_or("/").to_string(),
        host: header("host"),
        user_agent: header("user-agent"),
        referer: header("referer"),
        // The kubelet connects to the port from inside the pod's network namespace.
        client: "127.0.0.1".to_string(),
    };
    if length > 0 {
        std::io::copy(&mut reader.take(length), &mut std::io::sink()).ok()?;
    }
    Some((req, close))
}

/// What kubectl logs (klog, through runtime.HandleError) when the pod refuses the connection:
/// containerd's message for a port nothing listens on inside the pod's network namespace.
fn refused_line(shared: &Shared, fwd: Forwarded) -> String {
    let sandbox = hex(&Sha256::digest(format!("sandbox/{}", shared.uid).as_bytes()));
    let netns = hex(&Sha256::digest(format!("netns/{}", shared.uid).as_bytes()));
    let netns =
        format!("cni-{}-{}-{}-{}-{}", &netns[..8], &netns[8..12], &netns[12..16], &netns[16..20], &netns[20..32]);
    let p = fwd.remote;
    let message = format!(
        "an error occurred forwarding {} -> {p}: error forwarding port {p} to pod {sandbox}, uid : failed to execute portforward in network namespace \\\"/var/run/netns/{netns}\\\": failed to connect to localhost:{p} inside namespace \\\"{sandbox}\\\", IPv4: dial tcp4 127.0.0.1:{p}: connect: connection refused IPv6 dial tcp6 [::1]:{p}: connect: connection refused ",
        fwd.local
    );
    format!("{} portforward.go:424] \"Unhandled Error\" err=\"{message}\"\n", klog_header())
}

/// klog's `E1207 19:40:00.123456   12345 ` prefix, from the wall clock (kubectl's own time).
fn klog_header() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let secs = i64::try_from(now.as_secs()).unwrap_or(0);
    let (_, month, day, hour, minute, second) = crate::clock::split(secs);
    let stamp = format!("{month:02}{day:02} {hour:02}:{minute:02}:{second:02}");
    format!("E{stamp}.{:06} {:>7}", now.subsec_micros(), std::process::id())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn ports_parse_as_client_go_parses_them() {
        let f = parse_ports(&specs(&["8080:80", ":5000", "6000"])).unwrap();
        assert_eq!(
            f,
            vec![
                Forwarded { local: 8080, remote: 80 },
                Forwarded { local: 0, remote: 5000 },
                Forwarded { local: 6000, remote: 6000 }
            ]
        );
        let err = |s: &str| parse_ports(&specs(&[s])).unwrap_err().to_string();
        assert_eq!(err("1:2:3"), "error: invalid port format '1:2:3'");
        assert_eq!(
            err("x:80"),
            "error: error parsing local port 'x': strconv.ParseUint: parsing \"x\": invalid syntax"
        );
        assert_eq!(
            err("80:70000"),
            "error: error parsing remote port '70000': strconv.ParseUint: parsing \"70000\": value out of range"
        );
        assert_eq!(err("8080:0"), "error: remote port must be > 0");
    }

    #[test]
    fn localhost_is_both_loopback_addresses_sorted() {
        let a = parse_addresses(&specs(&["localhost"])).unwrap();
        let names: Vec<&str> = a.iter().map(|a| a.address.as_str()).collect();
        assert_eq!(names, vec!["127.0.0.1", "::1"]);
        assert!(a.iter().all(|a| !a.must_bind));
        assert_eq!(parse_addresses(&specs(&["nope"])).unwrap_err().to_string(), "error: nope is not a valid IP");
    }

    #[test]
    fn ports_split_as_kubectl_splits_them() {
        assert_eq!(split_port("8080:80"), ("8080".to_string(), "80".to_string()));
        assert_eq!(split_port("1:2:3"), ("1".to_string(), "1".to_string()));
        assert_eq!(atoi("+80"), Some(80));
        assert_eq!(atoi("http"), None);
    }
}
