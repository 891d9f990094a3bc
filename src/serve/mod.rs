//! `kstate serve`: the Kubernetes API over HTTP/1.1 on a loopback address, so the real kubectl and
//! client libraries drive the same state directory as the CLI.
//!
//! Each connection has its own thread; each request runs as one kstate command (one transaction
//! over the store, with catch-up and convergence as the CLI does them). A watch cache polls the
//! store for changes made by any process; a ticker brings time-driven work (processes, probes,
//! back-offs, cron) up to the present every second while serving.

mod attach;
mod cache;
mod discovery;
mod eviction;
mod exec;
mod exec_tty;
mod front;
mod http;
mod logs;
mod openapi;
mod page;
mod protobuf;
mod proxy;
mod read;
mod route;
mod session;
mod status;
mod table;
mod tls;
mod token;

/// The request-head reader `kstate port-forward` shares with the API server.
pub(crate) use http::read_head;
mod watch;
mod write;

use std::io::BufReader;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use crate::cmd::{io, Context};
use crate::{Error, Result};
use cache::Cache;
pub use front::ProxyOptions;
use http::{ReadError, Request, Response};
use route::{Route, Target};
pub use session::Env;

/// What `kstate serve` was asked for.
pub struct Options {
    pub listen: String,
    pub kubeconfig: Option<PathBuf>,
    /// HTTPS with a self-signed certificate made at start-up (written into the kubeconfig).
    pub tls: bool,
}

/// The answer to `kubectl port-forward` (its SPDY/3.1 framing, tunnelled in WebSocket or not, is
/// not implemented).
const PORTFORWARD_REFUSED: &str = "kstate serve does not serve port-forward (portforward.k8s.io); reach the pod's simulated servers with kstate exec (wget, curl)";

/// Connections served at once; more are answered 503 and closed.
const MAX_CONNECTIONS: usize = 512;
/// A keep-alive connection idle this long is closed.
const IDLE: Duration = Duration::from_secs(90);
/// How often the ticker brings time-driven work up to the present.
const TICK: Duration = Duration::from_secs(1);

/// Shared by every connection thread.
struct Server {
    env: Env,
    cache: Arc<Cache>,
    address: String,
    stop: Arc<AtomicBool>,
    active: AtomicUsize,
    /// `kstate proxy`: kubectl proxy's prefixes and filter in front of the API.
    front: Option<front::Front>,
}

pub fn run(ctx: &mut Context, opts: Options) -> Result<()> {
    let addr: SocketAddr = opts
        .listen
        .parse()
        .map_err(|_| Error::cli(format!("--listen {:?} is not an address such as 127.0.0.1:8080", opts.listen)))?;
    if !addr.ip().is_loopback() {
        return Err(Error::cli(format!("--listen {addr}: kstate serve listens on loopback addresses only")));
    }
    let env = Env::of(ctx);
    // The first command on a state directory seeds the cluster; do it before anyone connects.
    env.read()?.abandon()?;
    let public = TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
    let local = public.local_addr().map_err(io)?;
    let stop = stop_on_signals()?;
    // With TLS the HTTP server listens on an internal loopback port behind the TLS relay.
    let (listener, url, certificate) = if opts.tls {
        let tls = tls::generate()?;
        let internal = TcpListener::bind((addr.ip(), 0)).context("cannot listen on a loopback port")?;
        tls::accept(&tls, public, internal.local_addr().map_err(io)?, Arc::clone(&stop));
        (internal, format!("https://{local}"), Some(tls.certificate_pem))
    } else {
        (public, format!("http://{local}"), None)
    };
    if let Some(path) = &opts.kubeconfig {
        write_kubeconfig(path, &url, certificate.as_deref())?;
    }
    ctx.out.write_all(format!("listening on {url}\n").as_bytes()).map_err(io)?;
    ctx.out.flush().map_err(io)?;
    serve(env, &listener, local, stop, None)
}

/// `kstate proxy`: kubectl proxy's server (`Starting to serve on 127.0.0.1:8001`), in front of
/// the API `kstate serve` serves, plain HTTP without credentials.
pub fn proxy(ctx: &mut Context, opts: ProxyOptions) -> Result<()> {
    let front = front::Front::new(&opts).map_err(Error::cli)?;
    let ip: std::net::IpAddr =
        opts.address.parse().map_err(|_| Error::cli(format!("listen tcp: lookup {}: no such host", opts.address)))?;
    if !ip.is_loopback() {
        return Err(Error::cli(format!("--address {ip}: kstate proxy listens on loopback addresses only")));
    }
    let env = Env::of(ctx);
    env.read()?.abandon()?;
    let addr = SocketAddr::new(ip, opts.port);
    let listener = TcpListener::bind(addr).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::AddrInUse => "address already in use".to_string(),
            _ => e.to_string(),
        };
        Error::cli(format!("listen tcp {addr}: bind: {why}"))
    })?;
    let local = listener.local_addr().map_err(io)?;
    // kubectl proxy handles no signal: SIGINT and SIGTERM end it as their default actions do.
    let stop = Arc::new(AtomicBool::new(false));
    ctx.out.write_all(format!("Starting to serve on {local}\n").as_bytes()).map_err(io)?;
    ctx.out.flush().map_err(io)?;
    serve(env, &listener, local, stop, Some(front))
}

/// A flag SIGINT and SIGTERM set.
fn stop_on_signals() -> Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(io)?;
    }
    Ok(stop)
}

/// Serves connections on `listener` until a signal sets `stop`.
fn serve(
    env: Env,
    listener: &TcpListener,
    local: SocketAddr,
    stop: Arc<AtomicBool>,
    front: Option<front::Front>,
) -> Result<()> {
    let cache = Cache::start(&env.state_dir, Arc::clone(&stop))?;
    let server = Arc::new(Server {
        env,
        cache,
        address: local.to_string(),
        stop: Arc::clone(&stop),
        active: AtomicUsize::new(0),
        front,
    });
    start_ticker(Arc::clone(&server));
    accept_loop(&server, listener);
    // Streams see the stop flag within half a second and end their responses properly.
    for _ in 0..100 {
        if server.active.load(Ordering::Relaxed) == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

fn write_kubeconfig(path: &Path, url: &str, certificate: Option<&str>) -> Result<()> {
    let authority = certificate
        .map(|pem| format!("    certificate-authority-data: {}\n", crate::cluster::base64(pem.as_bytes())))
        .unwrap_or_default();
    // Over HTTPS a user without credentials makes kubectl prompt for a username; a token (which
    // kstate does not check) keeps it quiet.
    let user = if certificate.is_some() { "{token: kstate}" } else { "{}" };
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n{authority}    server: {url}\n  name: kstate\ncontexts:\n- context:\n    cluster: kstate\n    namespace: default\n    user: kstate\n  name: kstate\ncurrent-context: kstate\npreferences: {{}}\nusers:\n- name: kstate\n  user: {user}\n"
    );
    std::fs::write(path, text).with_context(|| format!("cannot write the kubeconfig {}", path.display()))?;
    Ok(())
}

/// Cluster time runs while serving: each tick opens the cluster as a read does, which catches up
/// and converges when time-driven work is due.
fn start_ticker(server: Arc<Server>) {
    let _ = std::thread::Builder::new().name("ticker".into()).spawn(move || {
        while !server.stop.load(Ordering::Relaxed) {
            std::thread::sleep(TICK);
            if let Ok(cluster) = server.env.read() {
                let _ = cluster.abandon();
            }
        }
    });
}

/// Accepts connections until a signal sets the stop flag. Accepting blocks (no polling delay on a
/// new connection); a watcher thread wakes it with a connection of its own once the flag is set.
fn accept_loop(server: &Arc<Server>, listener: &TcpListener) {
    if let Ok(local) = listener.local_addr() {
        let stop = Arc::clone(&server.stop);
        let _ = std::thread::Builder::new().name("stop-waker".into()).spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = TcpStream::connect(local);
        });
    }
    for stream in listener.incoming() {
        if server.stop.load(Ordering::Relaxed) {
            return;
        }
        let Ok(stream) = stream else {
            // Out of file descriptors and the like: let some connections finish.
            std::thread::sleep(Duration::from_millis(20));
            continue;
        };
        if server.active.load(Ordering::Relaxed) >= MAX_CONNECTIONS {
            let busy = status::response(503, "ServiceUnavailable", "too many connections; try again later");
            let mut stream = stream;
            let _ = http::write_response(&mut stream, &busy, false);
            continue;
        }
        server.active.fetch_add(1, Ordering::Relaxed);
        let s = Arc::clone(server);
        let spawned = std::thread::Builder::new().name("conn".into()).spawn(move || {
            connection(&s, stream);
            s.active.fetch_sub(1, Ordering::Relaxed);
        });
        if spawned.is_err() {
            server.active.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

/// What a request turns into.
enum Reply {
    Full(Response),
    Watch(Target),
    Exec(Target),
    Attach(Target),
    FollowLog(Target),
}

fn connection(server: &Server, stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else { return };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    while !server.stop.load(Ordering::Relaxed) {
        let mut req = match http::read_request(&mut reader) {
            Ok(req) => req,
            Err(ReadError::Closed) | Err(ReadError::Io) => return,
            Err(ReadError::Malformed(m)) => {
                let _ = http::write_response(&mut writer, &status::bad_request(&m), false);
                return;
            }
            Err(ReadError::TooLarge) => {
                let e = Error::TooLarge(http::MAX_BODY as u64);
                let _ = http::write_response(&mut writer, &status::from_error(&e), false);
                return;
            }
        };
        let keep = req.keep_alive();
        if let Some(front) = &server.front {
            match front.route(&req) {
                front::Routed::Api(path) => req.path = path,
                front::Routed::Answer(resp) => {
                    if http::write_response(&mut writer, &resp, keep).is_err() || !keep {
                        return;
                    }
                    continue;
                }
            }
        }
        let reply = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| server.dispatch(&req)))
            .unwrap_or_else(|_| Reply::Full(status::response(500, "InternalError", "the request handler failed")));
        let response = match reply {
            Reply::Full(resp) => resp,
            Reply::Watch(target) => {
                let stop = || server.stop.load(Ordering::Relaxed);
                match watch::stream(&server.env, &server.cache, &req, &target, &mut writer, &stop) {
                    Ok(None) => return,
                    Ok(Some(resp)) => resp,
                    Err(e) => status::from_error(&e),
                }
            }
            Reply::FollowLog(target) => {
                let stop = || server.stop.load(Ordering::Relaxed);
                match logs::follow(&server.env, &req, &target, &mut writer, &stop) {
                    Ok(()) => return,
                    Err(e) => status::from_error(&e),
                }
            }
            Reply::Attach(target) => {
                let Ok(conn) = writer.try_clone() else { return };
                let stop = || server.stop.load(Ordering::Relaxed);
                match attach::handle(&server.env, &req, &target, conn, reader.buffer().to_vec(), &stop) {
                    Some(refused) => refused,
                    None => return,
                }
            }
            Reply::Exec(target) => {
                let Ok(conn) = writer.try_clone() else { return };
                match exec::handle(&server.env, &req, &target, conn, reader.buffer().to_vec()) {
                    Some(refused) => refused,
                    None => return,
                }
            }
        };
        if http::write_response(&mut writer, &response, keep).is_err() || !keep {
            return;
        }
    }
}

impl Env {
    /// How a command outside `kstate serve` (port-forward, proxy) opens the cluster for each
    /// connection: the command's state directory, seed, clock and bootstrap.
    pub fn of(ctx: &Context) -> Env {
        Env {
            state_dir: ctx.state_dir.clone(),
            seed: ctx.seed,
            frozen: std::env::var_os("KSTATE_NOW").filter(|v| !v.is_empty()).map(|_| ctx.clock),
            bootstrap: ctx.bootstrap,
        }
    }
}

/// Converges and commits a write opened with [`Env::write`].
pub fn finish(cluster: crate::cluster::Cluster) -> Result<()> {
    session::finish(cluster, false).map(|_| ())
}

impl Server {
    fn dispatch(&self, req: &Request) -> Reply {
        dispatch(&self.env, &self.address, req)
    }
}

/// What the API server answers `req` with (`address`: the server's own, for `/api`).
fn dispatch(env: &Env, address: &str, req: &Request) -> Reply {
    // pods/proxy and services/proxy carry a path of their own after the subresource.
    if let Some(p) = proxy::parse(&req.path) {
        return Reply::Full(proxy::handle(env, req, &p));
    }
    let mut route = route::parse(&req.path);
    // Discovery, OpenAPI, custom resources and paths of kinds not known yet reload the kinds
    // CustomResourceDefinitions serve: another request or process may have changed them.
    let stale = match &route {
        Route::Resource(t) => crate::api::custom::is_custom(t.kind.kind),
        Route::Version | Route::Health | Route::Page => false,
        _ => true,
    };
    if stale {
        let _ = crate::cluster::load_custom_kinds(&env.state_dir);
        route = route::parse(&req.path);
    }
    let resp = match route {
        Route::Version => discovery::version(),
        Route::Health => Response::new(200, "text/plain; charset=utf-8", b"ok".to_vec()),
        Route::CoreGroups => discovery::core_groups(req, address),
        Route::Groups => discovery::groups_list(req),
        Route::GroupVersion { group, version } => {
            discovery::resource_list(&group, &version).unwrap_or_else(status::not_found)
        }
        Route::OpenApiIndex => openapi::index(),
        Route::OpenApiDoc { group, version } => openapi::document(&group, &version).unwrap_or_else(status::not_found),
        Route::Resource(target) => return resource(env, req, target),
        Route::Page if req.method == "GET" => page::index(),
        Route::Page => status::method_not_allowed(&req.method),
        Route::Unknown => status::not_found(),
    };
    Reply::Full(resp)
}

fn resource(env: &Env, req: &Request, t: Target) -> Reply {
    let sub = t.subresource.as_deref();
    if t.kind.kind == "Pod" && sub == Some("portforward") {
        return Reply::Full(status::bad_request(PORTFORWARD_REFUSED));
    }
    if let Some(s) = sub {
        if !discovery::subresources(t.kind).iter().any(|(name, ..)| *name == s) {
            return Reply::Full(status::not_found());
        }
    }
    let named = t.name.is_some();
    let result = match (req.method.as_str(), named, sub) {
        ("GET" | "POST", true, Some("exec")) => return Reply::Exec(t),
        ("GET" | "POST", true, Some("attach")) => return Reply::Attach(t),
        (_, _, Some("attach")) => Ok(status::method_not_allowed(&req.method)),
        (_, _, Some("exec")) => Ok(status::method_not_allowed(&req.method)),
        ("POST", true, Some("eviction")) => eviction::evict(env, req, &t),
        ("POST", true, Some("token")) => token::create(env, req, &t),
        ("GET", true, Some("log")) if req.flag("follow") => return Reply::FollowLog(t),
        ("GET", true, Some("log")) => logs::get(env, req, &t),
        ("GET", _, None) if req.flag("watch") => return Reply::Watch(t),
        ("GET", false, None) => read::list(env, req, &t),
        ("GET", true, _) => read::get(env, req, &t),
        ("POST", false, None) => write::create(env, req, &t),
        ("PUT", true, _) => write::update(env, req, &t),
        ("PATCH", true, _) => write::patch(env, req, &t),
        ("DELETE", true, None) => write::delete(env, req, &t),
        ("DELETE", false, None) => write::delete_collection(env, req, &t),
        (method, ..) => Ok(status::method_not_allowed(method)),
    };
    Reply::Full(result.unwrap_or_else(|e| status::from_error(&e)))
}

/// The address `/api` reports for `get --raw`, where no server listens: the API server's
/// usual port on the loopback address.
const RAW_ADDRESS: &str = "127.0.0.1:6443";

/// `kstate get --raw PATH`: the body `kstate serve` answers a GET of PATH with, from the very
/// same handlers, or the API server's failure as kubectl prints it
/// (`Error from server (NotFound): ...`). Streams (watch, follow, exec, attach) are not served here.
pub fn get_raw(ctx: &Context, target: &str) -> Result<Vec<u8>> {
    let (path, query) = http::split_target(target)
        .map_err(|_| Error::cli(format!("--raw must be a valid URL path: parse {target:?}: invalid URL escape")))?;
    let req = Request {
        method: "GET".into(),
        path,
        query,
        headers: vec![("accept".into(), "application/json, */*".into())],
        body: Vec::new(),
    };
    let env =
        Env { state_dir: ctx.state_dir.clone(), seed: ctx.seed, frozen: Some(ctx.clock), bootstrap: ctx.bootstrap };
    let resp = match dispatch(&env, RAW_ADDRESS, &req) {
        Reply::Full(resp) => resp,
        _ => {
            return Err(Error::cli(
                "kstate get --raw does not stream: watches, followed logs, exec and attach need kstate serve",
            ))
        }
    };
    if (200..300).contains(&resp.status) {
        return Ok(resp.body);
    }
    let body: serde_json::Value = serde_json::from_slice(&resp.body).unwrap_or_default();
    let reason = body.get("reason").and_then(|r| r.as_str()).unwrap_or("Unknown");
    let message = body.get("message").and_then(|m| m.as_str()).unwrap_or("");
    Err(Error::Raw(format!("Error from server ({reason}): {message}")))
}
