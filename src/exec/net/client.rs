//! HTTP clients: `curl` (7.88.1, as Debian bookworm ships it) and busybox `wget`.

use super::http::{reason, serve, Request, Response};
use super::{connect, resolve, Connection};
use crate::exec::backing::Entry;
use crate::exec::builtins::put;
use crate::exec::errno::Errno;
use crate::exec::interp::{Res, Shell};
use crate::exec::io::Io;
use crate::exec::path;

/// Redirects `-L` and wget follow before giving up, as curl's default `--max-redirs`.
const MAX_REDIRECTS: usize = 50;

/// A parsed `http://host:port/path` URL.
#[derive(Debug, Clone)]
struct Url {
    scheme: String,
    host: String,
    port: u16,
    /// `host` or `host:port` as written (busybox wget shows it).
    authority: String,
    /// Path and query, starting with `/`.
    target: String,
}

fn parse_url(s: &str) -> Result<Url, String> {
    let (scheme, rest) = match s.split_once("://") {
        Some((sc, rest)) => (sc.to_ascii_lowercase(), rest),
        None => ("http".to_string(), s),
    };
    let (authority, target) = match rest.find(['/', '?']) {
        Some(i) if rest[i..].starts_with('/') => (&rest[..i], rest[i..].to_string()),
        Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
        None => (rest, "/".to_string()),
    };
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let default_port = if scheme == "https" { 443 } else { 80 };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse::<u16>().map_err(|_| "port".to_string())?),
        None => (authority.to_string(), default_port),
    };
    Ok(Url { scheme, host, port, authority: authority.to_string(), target })
}

/// What became of one request.
enum Outcome {
    Done(Box<Response>, String),
    Failed(FailKind),
}

enum FailKind {
    Resolve,
    Refused,
    Timeout,
}

/// Resolves, connects and serves one request; the second value is the peer address.
fn fetch(sh: &mut Shell, url: &Url, req: &Request) -> Outcome {
    let Some(host) = resolve(sh, &url.host) else { return Outcome::Failed(FailKind::Resolve) };
    let ip = host.addrs[0].clone();
    let now = sh.fs.now;
    match connect(sh, &ip, url.port) {
        Connection::Unreachable => Outcome::Failed(FailKind::Timeout),
        Connection::Refused => Outcome::Failed(FailKind::Refused),
        Connection::Peer(peer, port) => {
            if url.scheme == "https" {
                return Outcome::Failed(FailKind::Refused);
            }
            match serve(sh.fs.backing(), &peer, port, req, now) {
                Some(resp) => Outcome::Done(Box::new(resp), ip),
                None => Outcome::Failed(FailKind::Refused),
            }
        }
    }
}

fn host_header(url: &Url) -> String {
    if url.port == 80 {
        url.host.clone()
    } else {
        format!("{}:{}", url.host, url.port)
    }
}

/// Writes a downloaded body inside the container (`-o`/`-O`); `/dev/null` swallows it.
fn save(sh: &mut Shell, name: &str, data: &[u8]) -> Result<(), Errno> {
    if name == "/dev/null" {
        return Ok(());
    }
    let cwd = sh.env.cwd.clone();
    let p = sh.fs.resolve(&cwd, name, true)?;
    if let Ok(Some(e)) = sh.fs.lstat(&p) {
        if e.is_dir() {
            return Err(Errno::IsDir);
        }
    }
    let now = sh.fs.now;
    sh.fs.write_file(&p, Entry::file(0o644, now, data.to_vec()))
}

#[derive(Default)]
struct CurlOpts {
    silent: bool,
    show_error: bool,
    output: Option<String>,
    remote_name: bool,
    head: bool,
    include: bool,
    location: bool,
    method: Option<String>,
    data: Option<Vec<u8>>,
    headers: Vec<String>,
    fail: bool,
    write_out: Option<String>,
    verbose: bool,
    max_time: Option<u64>,
    user_agent: Option<String>,
    referer: Option<String>,
    urls: Vec<String>,
}

fn curl_opts(argv: &[String]) -> Result<CurlOpts, String> {
    let mut o = CurlOpts::default();
    let mut i = 1;
    let takes = |c: char| "oXdHwmAeu".contains(c);
    while i < argv.len() {
        let a = argv[i].clone();
        i += 1;
        let value = |i: &mut usize, flag: &str| -> Result<String, String> {
            let v = argv.get(*i).cloned().ok_or_else(|| format!("option {flag}: requires parameter"))?;
            *i += 1;
            Ok(v)
        };
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            };
            let v = |i: &mut usize| inline.clone().map_or_else(|| value(i, &a), Ok);
            match name.as_str() {
                "silent" => o.silent = true,
                "show-error" => o.show_error = true,
                "output" => o.output = Some(v(&mut i)?),
                "remote-name" => o.remote_name = true,
                "head" => o.head = true,
                "include" => o.include = true,
                "location" => o.location = true,
                "request" => o.method = Some(v(&mut i)?),
                "data" | "data-raw" | "data-binary" | "data-ascii" => o.data = Some(v(&mut i)?.into_bytes()),
                "header" => o.headers.push(v(&mut i)?),
                "fail" => o.fail = true,
                "write-out" => o.write_out = Some(v(&mut i)?),
                "verbose" => o.verbose = true,
                "max-time" | "connect-timeout" => o.max_time = Some(seconds(&v(&mut i)?, &format!("--{name}"))?),
                "user-agent" => o.user_agent = Some(v(&mut i)?),
                "referer" => o.referer = Some(v(&mut i)?),
                "url" => o.urls.push(v(&mut i)?),
                "insecure" | "compressed" | "no-progress-meter" | "http1.1" | "ipv4" | "no-keepalive" => {
                    if name == "no-progress-meter" {
                        o.silent = true;
                        o.show_error = true;
                    }
                }
                "retry" | "retry-delay" | "max-redirs" | "cacert" | "user" => {
                    v(&mut i)?;
                }
                _ => return Err(format!("option --{name}: is unknown")),
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                j += 1;
                if takes(c) {
                    let rest: String = chars[j..].iter().collect();
                    let v = if rest.is_empty() { value(&mut i, &format!("-{c}"))? } else { rest };
                    match c {
                        'o' => o.output = Some(v),
                        'X' => o.method = Some(v),
                        'd' => o.data = Some(v.into_bytes()),
                        'H' => o.headers.push(v),
                        'w' => o.write_out = Some(v),
                        'm' => o.max_time = Some(seconds(&v, "-m")?),
                        'A' => o.user_agent = Some(v),
                        'e' => o.referer = Some(v),
                        _ => {}
                    }
                    break;
                }
                match c {
                    's' => o.silent = true,
                    'S' => o.show_error = true,
                    'O' => o.remote_name = true,
                    'I' => o.head = true,
                    'i' => o.include = true,
                    'L' => o.location = true,
                    'f' => o.fail = true,
                    'v' => o.verbose = true,
                    'k' | '4' | 'N' | 'q' => {}
                    _ => return Err(format!("option -{c}: is unknown")),
                }
            }
            continue;
        }
        o.urls.push(a);
    }
    Ok(o)
}

/// curl's progress meter for a transfer of `size` bytes that took no time.
fn progress_meter(size: usize) -> String {
    let speed = size * 1000;
    let speed = if speed < 100_000 { speed.to_string() } else { format!("{}k", speed / 1024) };
    format!(
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\r100 {size:>5}  100 {size:>5}    0     0  {speed:>5}      0 --:--:-- --:--:-- --:--:-- {speed:>5}\n"
    )
}

pub fn curl(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let o = match curl_opts(argv) {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("curl: {e}\ncurl: try 'curl --help' or 'curl --manual' for more information\n"));
            return Ok(2);
        }
    };
    if o.urls.is_empty() {
        io.err("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
        return Ok(2);
    }
    let show_errors = !o.silent || o.show_error;
    let meter = !o.silent && !sh.fs.c.tty;
    let mut status = 0;
    for raw in &o.urls {
        let Ok(mut url) = parse_url(raw) else {
            if show_errors {
                io.err("curl: (3) URL using bad/illegal format or missing URL\n");
            }
            status = 3;
            continue;
        };
        if url.scheme != "http" && url.scheme != "https" {
            if show_errors {
                io.err(&format!("curl: (1) Protocol \"{}\" not supported or disabled in libcurl\n", url.scheme));
            }
            status = 1;
            continue;
        }
        let method = o.method.clone().unwrap_or_else(|| {
            if o.head {
                "HEAD".into()
            } else if o.data.is_some() {
                "POST".into()
            } else {
                "GET".into()
            }
        });
        let mut user_agent = o.user_agent.clone().unwrap_or_else(|| "curl/7.88.1".to_string());
        let mut host_override = None;
        for h in &o.headers {
            if let Some((k, v)) = h.split_once(':') {
                match k.trim().to_ascii_lowercase().as_str() {
                    "user-agent" => user_agent = v.trim().to_string(),
                    "host" => host_override = Some(v.trim().to_string()),
                    _ => {}
                }
            }
        }
        let mut redirects = 0;
        let (resp, ip) = loop {
            let req = Request {
                method: method.clone(),
                target: url.target.clone(),
                host: host_override.clone().unwrap_or_else(|| host_header(&url)),
                user_agent: user_agent.clone(),
                referer: o.referer.clone().unwrap_or_default(),
                client: sh.fs.c.pod_ip.clone(),
            };
            if o.verbose {
                io.err(&format!("*   Trying {}:{}...\n", url.host, url.port));
            }
            match fetch(sh, &url, &req) {
                Outcome::Failed(kind) => {
                    let (code, msg) = match kind {
                        FailKind::Resolve => (6, format!("Could not resolve host: {}", url.host)),
                        FailKind::Refused => (
                            7,
                            format!(
                                "Failed to connect to {} port {} after 0 ms: Couldn't connect to server",
                                url.host, url.port
                            ),
                        ),
                        FailKind::Timeout => match o.max_time {
                            Some(t) => (
                                28,
                                format!(
                                    "Connection timed out after {} milliseconds",
                                    t.saturating_mul(1000).saturating_add(1)
                                ),
                            ),
                            None => (
                                28,
                                format!(
                                    "Failed to connect to {} port {} after 130000 ms: Couldn't connect to server",
                                    url.host, url.port
                                ),
                            ),
                        },
                    };
                    if meter {
                        io.err("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\n");
                    }
                    if show_errors {
                        io.err(&format!("curl: ({code}) {msg}\n"));
                    }
                    if let Some(w) = &o.write_out {
                        let _ = put(io, "curl", write_out(w, 0, 0, raw, "").as_bytes());
                    }
                    status = code;
                    break (None, String::new());
                }
                Outcome::Done(resp, ip) => {
                    if o.verbose {
                        io.err(&format!(
                            "* Connected to {} ({ip}) port {} (#0)\n> {method} {} HTTP/1.1\n> Host: {}\n> User-Agent: {user_agent}\n> Accept: */*\n> \n",
                            url.host, url.port, url.target, req.host
                        ));
                        for line in resp.head_text().trim_end().split("\r\n") {
                            io.err(&format!("< {line}\n"));
                        }
                        io.err("< \n");
                    }
                    let location = resp.header("Location").map(str::to_string);
                    if o.location && matches!(resp.status, 301 | 302 | 303 | 307 | 308) && redirects < MAX_REDIRECTS {
                        if let Some(next) = location.and_then(|l| parse_url(&l).ok()) {
                            if o.include || o.head {
                                let _ = put(io, "curl", resp.head_text().as_bytes());
                            }
                            url = next;
                            redirects += 1;
                            continue;
                        }
                    }
                    break (Some(resp), ip);
                }
            }
        };
        let Some(resp) = resp else { continue };
        if o.fail && resp.status >= 400 {
            if meter {
                io.err(&progress_meter(0));
            }
            if show_errors {
                io.err(&format!("curl: (22) The requested URL returned error: {}\n", resp.status));
            }
            status = 22;
            continue;
        }
        let mut body = Vec::new();
        if o.include || o.head {
            body.extend_from_slice(resp.head_text().as_bytes());
        }
        if !o.head {
            body.extend_from_slice(&resp.body);
        }
        if meter {
            io.err(&progress_meter(resp.body.len()));
        }
        let file = o.output.clone().or_else(|| {
            o.remote_name.then(|| {
                let base = path::base(url.target.split('?').next().unwrap_or("/")).to_string();
                if base.is_empty() || base == "/" {
                    "curl_response".to_string()
                } else {
                    base
                }
            })
        });
        match file.as_deref() {
            None | Some("-") => {
                if let Err(code) = put(io, "curl", &body) {
                    return Ok(code);
                }
            }
            Some(name) => {
                if let Err(e) = save(sh, name, &body) {
                    io.err(&format!("Warning: Failed to open the file {name}: {e}\n"));
                    if show_errors {
                        io.err("curl: (23) Failure writing output to destination\n");
                    }
                    status = 23;
                    continue;
                }
            }
        }
        if let Some(w) = &o.write_out {
            let _ = put(io, "curl", write_out(w, resp.status, resp.body.len(), raw, &ip).as_bytes());
        }
    }
    Ok(status)
}

/// `-w`: the variables scripts use, and curl's escapes.
fn write_out(fmt: &str, code: u16, size: usize, url: &str, ip: &str) -> String {
    let mut s = fmt.to_string();
    for (k, v) in [
        ("%{http_code}", format!("{code:03}")),
        ("%{response_code}", format!("{code:03}")),
        ("%{size_download}", size.to_string()),
        ("%{url_effective}", url.to_string()),
        ("%{remote_ip}", ip.to_string()),
        ("%{time_total}", "0.001000".to_string()),
    ] {
        s = s.replace(k, &v);
    }
    s.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r")
}

/// busybox `wget`.
pub fn wget(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut quiet = false;
    let mut output: Option<String> = None;
    let mut server_response = false;
    let mut spider = false;
    let mut user_agent = "Wget".to_string();
    let mut post: Option<Vec<u8>> = None;
    let mut prefix: Option<String> = None;
    let mut urls = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].clone();
        i += 1;
        let next = |i: &mut usize| {
            let v = argv.get(*i).cloned().unwrap_or_default();
            *i += 1;
            v
        };
        match a.as_str() {
            "-q" | "--quiet" => quiet = true,
            "-O" | "--output-document" => output = Some(next(&mut i)),
            "-S" | "--server-response" => server_response = true,
            "--spider" => spider = true,
            "-U" | "--user-agent" => user_agent = next(&mut i),
            "--post-data" => post = Some(next(&mut i).into_bytes()),
            // Accepted and dropped: the simulated servers answer the same whatever the headers.
            "--header" => {
                next(&mut i);
            }
            "-P" => prefix = Some(next(&mut i)),
            "--no-check-certificate" => {}
            s if s.starts_with('-') && !s.starts_with("--") && s.len() > 1 => {
                let chars: Vec<char> = s[1..].chars().collect();
                let mut j = 0;
                while j < chars.len() {
                    let c = chars[j];
                    j += 1;
                    if "OPTtYU".contains(c) {
                        let rest: String = chars[j..].iter().collect();
                        let v = if rest.is_empty() { next(&mut i) } else { rest };
                        match c {
                            'O' => output = Some(v),
                            'P' => prefix = Some(v),
                            'U' => user_agent = v,
                            _ => {}
                        }
                        break;
                    }
                    match c {
                        'q' => quiet = true,
                        'S' => server_response = true,
                        'c' | 's' => {}
                        _ => {
                            io.err(&format!(
                                "wget: invalid option -- '{c}'\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n"
                            ));
                            return Ok(1);
                        }
                    }
                }
            }
            s if s.starts_with("--") => {
                io.err(&format!(
                    "wget: unrecognized option '{s}'\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n"
                ));
                return Ok(1);
            }
            _ => urls.push(a),
        }
    }
    if urls.is_empty() {
        io.err("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...\n\nRetrieve files via HTTP or FTP\n");
        return Ok(1);
    }
    let mut status = 0;
    for raw in urls {
        let Ok(mut url) = parse_url(&raw) else {
            io.err(&format!("wget: bad address '{raw}'\n"));
            status = 1;
            continue;
        };
        let mut redirects = 0;
        let resp = loop {
            let Some(host) = resolve(sh, &url.host) else {
                io.err(&format!("wget: bad address '{}'\n", url.host));
                break None;
            };
            let ip = host.addrs[0].clone();
            if !quiet {
                io.err(&format!("Connecting to {} ({ip}:{})\n", url.authority, url.port));
            }
            let req = Request {
                method: if spider {
                    "HEAD".into()
                } else if post.is_some() {
                    "POST".into()
                } else {
                    "GET".into()
                },
                target: url.target.clone(),
                host: host_header(&url),
                user_agent: user_agent.clone(),
                referer: String::new(),
                client: sh.fs.c.pod_ip.clone(),
            };
            match fetch(sh, &url, &req) {
                Outcome::Failed(FailKind::Resolve) => {
                    io.err(&format!("wget: bad address '{}'\n", url.host));
                    break None;
                }
                Outcome::Failed(FailKind::Refused) => {
                    io.err(&format!("wget: can't connect to remote host ({ip}): Connection refused\n"));
                    break None;
                }
                Outcome::Failed(FailKind::Timeout) => {
                    io.err(&format!("wget: can't connect to remote host ({ip}): Connection timed out\n"));
                    break None;
                }
                Outcome::Done(resp, _) => {
                    if server_response {
                        for line in resp.head_text().trim_end().split("\r\n") {
                            io.err(&format!("  {line}\n"));
                        }
                    }
                    if matches!(resp.status, 301 | 302 | 303 | 307 | 308) && redirects < MAX_REDIRECTS {
                        if let Some(next) = resp.header("Location").and_then(|l| parse_url(l).ok()) {
                            url = next;
                            redirects += 1;
                            continue;
                        }
                    }
                    break Some(resp);
                }
            }
        };
        let Some(resp) = resp else {
            status = 1;
            continue;
        };
        if resp.status >= 400 {
            io.err(&format!("wget: server returned error: HTTP/1.1 {} {}\n", resp.status, reason(resp.status)));
            status = 1;
            continue;
        }
        if spider {
            if !quiet {
                io.err("remote file exists\n");
            }
            continue;
        }
        let name = output.clone().unwrap_or_else(|| {
            let base = path::base(url.target.split('?').next().unwrap_or("/")).to_string();
            let base = if base.is_empty() || base == "/" { "index.html".to_string() } else { base };
            match &prefix {
                Some(p) => format!("{}/{base}", p.trim_end_matches('/')),
                None => base,
            }
        });
        let size = resp.body.len();
        let bar = |label: &str| format!("{:<20} 100% |{}| {size:>5}  0:00:00 ETA\n", label, "*".repeat(32));
        if name == "-" {
            if !quiet {
                io.err("writing to stdout\n");
                io.err(&bar("-"));
            }
            if let Err(code) = put(io, "wget", &resp.body) {
                return Ok(code);
            }
            if !quiet {
                io.err("written to stdout\n");
            }
            continue;
        }
        if output.is_none() {
            let cwd = sh.env.cwd.clone();
            if sh.fs.lookup(&cwd, &name).is_ok() {
                io.err(&format!("wget: can't open '{name}': File exists\n"));
                status = 1;
                continue;
            }
        }
        if !quiet {
            io.err(&format!("saving to '{name}'\n"));
        }
        if let Err(e) = save(sh, &name, &resp.body) {
            io.err(&format!("wget: can't open '{name}': {e}\n"));
            status = 1;
            continue;
        }
        if !quiet {
            io.err(&bar(path::base(&name)));
            io.err(&format!("'{name}' saved\n"));
        }
    }
    Ok(status)
}

/// A `-m`/`--max-time` value as curl 7.88's `str2udouble` reads it: a non-negative number of
/// seconds no larger than LONG_MAX/1000 (whole seconds kept).
fn seconds(v: &str, flag: &str) -> Result<u64, String> {
    match v.trim().parse::<f64>() {
        Ok(t) if t.is_nan() => Err(format!("option {flag}: expected a proper numerical parameter")),
        Ok(t) if t < 0.0 => Err(format!("option {flag}: expected a positive numerical parameter")),
        Ok(t) if t > i64::MAX as f64 / 1000.0 => Err(format!("option {flag}: too large number")),
        Ok(t) => Ok(t as u64),
        Err(_) => Err(format!("option {flag}: expected a proper numerical parameter")),
    }
}
