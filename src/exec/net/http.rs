//! The web servers of the built-in images: nginx (and nginx-slim) serving
//! /usr/share/nginx/html, httpd serving /usr/local/apache2/htdocs, each through the target
//! container's own view of its files (volumes included), with the images' error pages, headers
//! and access-log lines.

use super::app::{self, App, APP_PORT};
use super::log::append_log;
use super::startup::NGINX_FIRST_WORKER;
use crate::exec::backing::{Backing, Entry, EntryKind};
use crate::exec::clock_fmt::strftime;
use crate::exec::fs::Fs;
use crate::exec::image::{image_for, repository};
use crate::exec::{normalized, path, Peer};

/// Which server a container runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    Nginx,
    Httpd,
}

impl Server {
    /// The server an image runs, and the port it listens on.
    pub fn of(image: &str) -> Option<(Server, u16)> {
        let repo = repository(image);
        if repo.ends_with("nginx") || repo.ends_with("nginx-slim") {
            Some((Server::Nginx, 80))
        } else if repo.ends_with("httpd") {
            Some((Server::Httpd, 80))
        } else {
            None
        }
    }

    fn root(self) -> &'static str {
        match self {
            Server::Nginx => "/usr/share/nginx/html",
            Server::Httpd => "/usr/local/apache2/htdocs",
        }
    }

    fn version(self) -> &'static str {
        match self {
            Server::Nginx => "nginx/1.27.3",
            Server::Httpd => "Apache/2.4.62 (Unix)",
        }
    }
}

/// One request as the client sends it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    /// The request target (`/`, `/a/b.html?x=1`).
    pub target: String,
    /// The Host header.
    pub host: String,
    pub user_agent: String,
    pub referer: String,
    /// The client's address, as the server logs it.
    pub client: String,
}

#[derive(Debug, Clone, Default)]
pub struct Response {
    pub status: u16,
    /// In the order the server sends them.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// `HTTP/1.1 200 OK` and the headers, each line ending in CRLF, then the blank line.
    pub fn head_text(&self) -> String {
        let mut s = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (k, v) in &self.headers {
            s.push_str(&format!("{k}: {v}\r\n"));
        }
        s.push_str("\r\n");
        s
    }
}

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Not Allowed",
        _ => "Internal Server Error",
    }
}

/// The port an image's HTTP server listens on: a web server's or a sample application's.
pub fn listen_port(image: &str) -> Option<u16> {
    Server::of(image).map(|(_, p)| p).or_else(|| App::of(image).map(|_| APP_PORT))
}

/// Serves `req` from `peer` when its image listens on `port`; `None` when nothing does
/// (connection refused). Logs the request in the peer's log.
pub fn serve(backing: &mut dyn Backing, peer: &Peer, port: u16, req: &Request, now: i64) -> Option<Response> {
    if let Some(app) = App::of(&peer.container.image) {
        if port != APP_PORT {
            return None;
        }
        if let Some(line) = app::request_log(app, req, now) {
            append_log(backing, &peer.log, now, &[line]);
        }
        return Some(app::answer(app, &peer.container, req, now));
    }
    let (server, listen) = Server::of(&peer.container.image)?;
    if listen != port {
        return None;
    }
    let target = normalized(&peer.container);
    let (resp, error_line) = {
        let image = image_for(&target);
        let mut fs = Fs::new(&mut *backing, &target, image);
        respond(&mut fs, server, req, now)
    };
    let mut lines = Vec::new();
    let mut resp = resp;
    let sent = if req.method == "HEAD" { 0 } else { resp.body.len() };
    let request_line = format!("{} {} HTTP/1.1", req.method, req.target);
    let when = strftime("%d/%b/%Y:%H:%M:%S +0000", now);
    match server {
        Server::Nginx => {
            if let Some(e) = error_line {
                let stamp = strftime("%Y/%m/%d %H:%M:%S", now);
                let conn = next_connection(backing, &peer.log, now);
                lines.push(format!(
                    "{stamp} [error] {w}#{w}: *{conn} {e}, client: {}, server: localhost, request: \"{request_line}\", host: \"{}\"",
                    req.client,
                    req.host,
                    w = NGINX_FIRST_WORKER
                ));
            }
            let dash = |s: &str| if s.is_empty() { "-".to_string() } else { s.to_string() };
            lines.push(format!(
                "{} - - [{when}] \"{request_line}\" {} {sent} \"{}\" \"{}\" \"-\"",
                req.client,
                resp.status,
                dash(&req.referer),
                dash(&req.user_agent)
            ));
        }
        Server::Httpd => {
            let size = if sent == 0 { "-".to_string() } else { sent.to_string() };
            lines.push(format!("{} - - [{when}] \"{request_line}\" {} {size}", req.client, resp.status));
        }
    }
    append_log(backing, &peer.log, now, &lines);
    if req.method == "HEAD" {
        resp.body.clear();
    }
    Some(resp)
}

/// nginx numbers connections; kept next to the log so it grows across commands.
fn next_connection(backing: &mut dyn Backing, log: &str, now: i64) -> u64 {
    let n = match backing.get(log, "/connections") {
        Ok(Some(e)) => String::from_utf8_lossy(&e.data).trim().parse::<u64>().unwrap_or(0),
        _ => 0,
    } + 1;
    let _ = backing.put(log, "/connections", &Entry::file(0o644, now, n.to_string().into_bytes()));
    n
}

/// The response and, for nginx, the error-log message the request causes.
fn respond(fs: &mut Fs, server: Server, req: &Request, now: i64) -> (Response, Option<String>) {
    let raw_path = req.target.split(['?', '#']).next().unwrap_or("/");
    let Some(decoded) = percent_decode(raw_path) else { return (error(server, 400, now, ""), None) };
    if !decoded.starts_with('/') || escapes_root(&decoded) {
        return (error(server, 400, now, ""), None);
    }
    let root = server.root();
    let full = format!("{root}{decoded}");
    let method_ok = matches!(req.method.as_str(), "GET" | "HEAD");
    if decoded.ends_with('/') {
        let dir = full.trim_end_matches('/').to_string();
        let is_dir = fs.is_dir("/", &dir);
        for index in ["index.html", "index.htm"] {
            let p = format!("{dir}/{index}");
            if let Ok((_, e)) = fs.stat("/", &p) {
                if e.kind == EntryKind::File {
                    if !method_ok {
                        return (error(server, 405, now, ""), None);
                    }
                    return (file_response(server, &p, &e, now), None);
                }
            }
        }
        if !is_dir {
            let msg = format!("\"{dir}/index.html\" is not found (2: No such file or directory)");
            return (error(server, 404, now, ""), Some(msg));
        }
        if server == Server::Httpd {
            return (autoindex(fs, &dir, &decoded, now), None);
        }
        let msg = format!("directory index of \"{dir}/\" is forbidden");
        return (error(server, 403, now, ""), Some(msg));
    }
    match fs.stat("/", &full) {
        Ok((_, e)) if e.is_dir() => {
            let location = format!("http://{}{}/", req.host, decoded);
            (error(server, 301, now, &location), None)
        }
        Ok((_, e)) if e.mode & 0o004 == 0 && !(e.uid == 101 && server == Server::Nginx) => {
            let msg = format!("open() \"{full}\" failed (13: Permission denied)");
            (error(server, 403, now, ""), Some(msg))
        }
        Ok((_, e)) if !method_ok => {
            let _ = e;
            (error(server, 405, now, ""), None)
        }
        Ok((_, e)) => (file_response(server, &full, &e, now), None),
        Err(_) => {
            let msg = format!("open() \"{full}\" failed (2: No such file or directory)");
            (error(server, 404, now, ""), Some(msg))
        }
    }
}

fn escapes_root(p: &str) -> bool {
    let mut depth: i32 = 0;
    for comp in p.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            _ => depth += 1,
        }
    }
    false
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    let text = String::from_utf8(out).ok()?;
    (!text.contains('\0')).then_some(text)
}

fn http_date(t: i64) -> String {
    strftime("%a, %d %b %Y %H:%M:%S GMT", t)
}

fn mime(p: &str) -> &'static str {
    let ext = path::base(p).rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" | "shtml" => "text/html",
        "css" => "text/css",
        "txt" => "text/plain",
        "xml" => "text/xml",
        "js" => "application/javascript",
        "json" => "application/json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

fn file_response(server: Server, p: &str, e: &Entry, now: i64) -> Response {
    let len = e.data.len();
    let headers: Vec<(String, String)> = match server {
        Server::Nginx => vec![
            ("Server".into(), server.version().into()),
            ("Date".into(), http_date(now)),
            ("Content-Type".into(), mime(p).into()),
            ("Content-Length".into(), len.to_string()),
            ("Last-Modified".into(), http_date(e.mtime)),
            ("Connection".into(), "keep-alive".into()),
            ("ETag".into(), format!("\"{:x}-{:x}\"", e.mtime, len)),
            ("Accept-Ranges".into(), "bytes".into()),
        ],
        Server::Httpd => vec![
            ("Date".into(), http_date(now)),
            ("Server".into(), server.version().into()),
            ("Last-Modified".into(), http_date(e.mtime)),
            ("ETag".into(), format!("\"{:x}-{:x}\"", len, e.mtime.max(0) as u64 * 1_000_000)),
            ("Accept-Ranges".into(), "bytes".into()),
            ("Content-Length".into(), len.to_string()),
            ("Content-Type".into(), mime(p).into()),
        ],
    };
    Response { status: 200, headers, body: e.data.clone() }
}

/// The server's own page for an error status (and 301).
fn error(server: Server, status: u16, now: i64, location: &str) -> Response {
    let title = format!("{status} {}", reason(status));
    match server {
        Server::Nginx => {
            let body = format!(
                "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>{}</center>\r\n</body>\r\n</html>\r\n",
                server.version()
            );
            let mut headers = vec![
                ("Server".to_string(), server.version().to_string()),
                ("Date".into(), http_date(now)),
                ("Content-Type".into(), "text/html".into()),
                ("Content-Length".into(), body.len().to_string()),
            ];
            if !location.is_empty() {
                headers.push(("Location".into(), location.into()));
            }
            headers.push(("Connection".into(), if status == 400 { "close" } else { "keep-alive" }.into()));
            Response { status, headers, body: body.into_bytes() }
        }
        Server::Httpd => {
            let text = match status {
                301 => format!("<p>The document has moved <a href=\"{location}\">here</a>.</p>"),
                403 => "<p>You don't have permission to access this resource.</p>".to_string(),
                404 => "<p>The requested URL was not found on this server.</p>".to_string(),
                405 => "<p>The requested method is not allowed for this URL.</p>".to_string(),
                _ => "<p>Your browser sent a request that this server could not understand.<br />\n</p>".to_string(),
            };
            let heading = if status == 405 { "Method Not Allowed" } else { reason(status) };
            let title = if status == 405 { "405 Method Not Allowed".to_string() } else { title };
            let body = format!(
                "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>{title}</title>\n</head><body>\n<h1>{heading}</h1>\n{text}\n</body></html>\n"
            );
            let mut headers = vec![("Date".to_string(), http_date(now)), ("Server".into(), server.version().into())];
            if !location.is_empty() {
                headers.push(("Location".into(), location.into()));
            }
            headers.push(("Content-Length".into(), body.len().to_string()));
            headers.push(("Content-Type".into(), "text/html; charset=iso-8859-1".into()));
            Response { status, headers, body: body.into_bytes() }
        }
    }
}

/// httpd's `Options Indexes` listing (no FancyIndexing).
fn autoindex(fs: &mut Fs, dir: &str, url: &str, now: i64) -> Response {
    let mut body = format!(
        "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<html>\n <head>\n  <title>Index of {u}</title>\n </head>\n <body>\n<h1>Index of {u}</h1>\n<ul>",
        u = url.trim_end_matches('/').to_string() + if url == "/" { "/" } else { "" }
    );
    if url != "/" {
        let parent = path::parent(url.trim_end_matches('/'));
        let parent = if parent == "/" { "/".to_string() } else { format!("{parent}/") };
        body.push_str(&format!("<li><a href=\"{parent}\"> Parent Directory</a></li>\n"));
    }
    let canon = fs.resolve("/", dir, true).unwrap_or_else(|_| dir.to_string());
    for name in fs.children(&canon).unwrap_or_default() {
        let slash = if fs.is_dir("/", &format!("{dir}/{name}")) { "/" } else { "" };
        body.push_str(&format!("<li><a href=\"{name}{slash}\"> {name}{slash}</a></li>\n"));
    }
    body.push_str("</ul>\n</body></html>\n");
    let headers = vec![
        ("Date".to_string(), http_date(now)),
        ("Server".into(), Server::Httpd.version().into()),
        ("Content-Length".into(), body.len().to_string()),
        ("Content-Type".into(), "text/html;charset=ISO-8859-1".into()),
    ];
    Response { status: 200, headers, body: body.into_bytes() }
}
