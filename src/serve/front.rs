//! `kstate proxy`: kubectl proxy's front in front of the API `kstate serve` serves. kubectl's
//! proxy server routes a request by prefix: the API prefix (stripped unless it starts with
//! `/api`) goes to the API through the request filter (hosts, paths, methods), the `--www`
//! prefix to static files, anything else is Go's `404 page not found`.

use std::path::PathBuf;

use regex::Regex;

use super::http::{Request, Response};

/// What `kstate proxy` was asked for (`--api-prefix`, `--www`, the filter flags).
pub struct ProxyOptions {
    pub address: String,
    pub port: u16,
    pub api_prefix: String,
    pub www: Option<PathBuf>,
    pub www_prefix: String,
    pub accept_hosts: String,
    pub accept_paths: String,
    pub reject_paths: String,
    pub reject_methods: String,
    pub disable_filter: bool,
}

/// kubectl's FilterServer: comma-separated regular expressions.
struct Filter {
    accept_hosts: Vec<Regex>,
    accept_paths: Vec<Regex>,
    reject_paths: Vec<Regex>,
    reject_methods: Vec<Regex>,
}

pub struct Front {
    api_prefix: String,
    www: Option<(PathBuf, String)>,
    filter: Option<Filter>,
}

/// Where a request goes.
pub enum Routed {
    /// To the API, with this path.
    Api(String),
    Answer(Response),
}

fn regexes(list: &str, flag: &str) -> Result<Vec<Regex>, String> {
    list.split(',')
        .map(|r| Regex::new(r).map_err(|e| format!("invalid --{flag} regular expression {r:?}: {e}")))
        .collect()
}

/// Go's http.ServeMux pattern: one ending in `/` matches the subtree, another the path only.
fn mux_matches(pattern: &str, path: &str) -> bool {
    if pattern.ends_with('/') {
        path.starts_with(pattern)
    } else {
        path == pattern
    }
}

impl Front {
    pub fn new(o: &ProxyOptions) -> Result<Front, String> {
        // kubectl adds the trailing slash to both prefixes.
        let slash = |p: &str| if p.ends_with('/') { p.to_string() } else { format!("{p}/") };
        let filter = if o.disable_filter {
            None
        } else {
            Some(Filter {
                accept_hosts: regexes(&o.accept_hosts, "accept-hosts")?,
                accept_paths: regexes(&o.accept_paths, "accept-paths")?,
                reject_paths: regexes(&o.reject_paths, "reject-paths")?,
                reject_methods: regexes(&o.reject_methods, "reject-methods")?,
            })
        };
        Ok(Front {
            api_prefix: slash(&o.api_prefix),
            www: o.www.clone().map(|dir| (dir, slash(&o.www_prefix))),
            filter,
        })
    }

    pub fn route(&self, req: &Request) -> Routed {
        // The longest pattern wins, as in Go's ServeMux.
        let static_first = self.www.as_ref().is_some_and(|(_, prefix)| {
            mux_matches(prefix, &req.path)
                && (!mux_matches(&self.api_prefix, &req.path) || prefix.len() > self.api_prefix.len())
        });
        if static_first {
            if let Some((dir, prefix)) = &self.www {
                return Routed::Answer(static_file(dir, prefix, &req.path));
            }
        }
        if !mux_matches(&self.api_prefix, &req.path) {
            return Routed::Answer(not_found());
        }
        let path = if self.api_prefix.starts_with("/api") {
            req.path.clone()
        } else {
            // stripLeaveSlash: the prefix without its slash goes, and the path keeps a leading `/`.
            let strip = self.api_prefix.trim_end_matches('/');
            let rest = req.path.strip_prefix(strip).unwrap_or(&req.path);
            if rest.starts_with('/') {
                rest.to_string()
            } else {
                format!("/{rest}")
            }
        };
        if let Some(f) = &self.filter {
            let host = req.header("host").and_then(split_host).unwrap_or_default();
            let any = |list: &[Regex], s: &str| list.iter().any(|r| r.is_match(s));
            let accepted = !any(&f.reject_paths, &path)
                && !any(&f.reject_methods, &req.method)
                && any(&f.accept_paths, &path)
                && any(&f.accept_hosts, &host);
            if !accepted {
                return Routed::Answer(Response::new(
                    403,
                    "text/html; charset=utf-8",
                    b"<h3>Unauthorized</h3>".to_vec(),
                ));
            }
        }
        Routed::Api(path)
    }
}

/// Go's net.SplitHostPort host part; `None` (an empty host for the filter) without a port.
fn split_host(hostport: &str) -> Option<String> {
    if let Some(rest) = hostport.strip_prefix('[') {
        let (host, port) = rest.split_once(']')?;
        return port.starts_with(':').then(|| host.to_string());
    }
    let (host, _) = hostport.rsplit_once(':')?;
    (!host.contains(':')).then(|| host.to_string())
}

/// Go's http.NotFound.
fn not_found() -> Response {
    Response::new(404, "text/plain; charset=utf-8", b"404 page not found\n".to_vec())
        .with_header("X-Content-Type-Options", "nosniff")
}

/// http.StripPrefix(prefix, http.FileServer(http.Dir(dir))): files, a directory's index.html,
/// or its listing.
fn static_file(dir: &std::path::Path, prefix: &str, path: &str) -> Response {
    let rel = path.strip_prefix(prefix).unwrap_or("");
    if rel.split('/').any(|c| c == "..") {
        return Response::new(400, "text/plain; charset=utf-8", b"invalid URL path\n".to_vec());
    }
    let full = dir.join(rel);
    if full.is_dir() {
        if !path.ends_with('/') {
            let base = path.rsplit('/').next().unwrap_or("");
            return Response::new(301, "text/html; charset=utf-8", Vec::new())
                .with_header("Location", &format!("{base}/"));
        }
        let index = full.join("index.html");
        if index.is_file() {
            return file(&index);
        }
        let mut names: Vec<String> = std::fs::read_dir(&full)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        if e.path().is_dir() {
                            format!("{name}/")
                        } else {
                            name
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        let mut body =
            String::from("<!doctype html>\n<meta name=\"viewport\" content=\"width=device-width\">\n<pre>\n");
        for n in names {
            body.push_str(&format!("<a href=\"{n}\">{n}</a>\n"));
        }
        body.push_str("</pre>\n");
        return Response::new(200, "text/html; charset=utf-8", body.into_bytes());
    }
    if full.is_file() {
        return file(&full);
    }
    not_found()
}

fn file(p: &std::path::Path) -> Response {
    let Ok(data) = std::fs::read(p) else { return not_found() };
    let ext = p.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let kind = match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
    Response::new(200, kind, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(api_prefix: &str) -> ProxyOptions {
        ProxyOptions {
            address: "127.0.0.1".into(),
            port: 8001,
            api_prefix: api_prefix.into(),
            www: None,
            www_prefix: "/static/".into(),
            accept_hosts: "^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$".into(),
            accept_paths: "^.*".into(),
            reject_paths: "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach".into(),
            reject_methods: "^$".into(),
            disable_filter: false,
        }
    }

    fn request(path: &str, host: &str) -> Request {
        Request {
            method: "GET".into(),
            path: path.into(),
            query: Vec::new(),
            headers: vec![("host".into(), host.into())],
            body: Vec::new(),
        }
    }

    fn api_path(front: &Front, path: &str, host: &str) -> Option<String> {
        match front.route(&request(path, host)) {
            Routed::Api(p) => Some(p),
            Routed::Answer(r) => {
                assert!(r.status == 403 || r.status == 404, "{}", r.status);
                None
            }
        }
    }

    #[test]
    fn prefixes_and_the_filter_route_as_kubectl_proxy_does() {
        let front = Front::new(&options("/")).unwrap();
        assert_eq!(api_path(&front, "/api/v1/pods", "localhost:8001").as_deref(), Some("/api/v1/pods"));
        assert_eq!(api_path(&front, "/api/v1/pods", "example.com:8001"), None);
        assert_eq!(api_path(&front, "/api/v1/pods", "localhost"), None);
        assert_eq!(api_path(&front, "/api/v1/namespaces/default/pods/web/exec", "127.0.0.1:8001"), None);
        let custom = Front::new(&options("/custom")).unwrap();
        assert_eq!(api_path(&custom, "/custom/api/v1/pods", "localhost:8001").as_deref(), Some("/api/v1/pods"));
        // Go's SplitHostPort drops the brackets, so the default `^\[::1\]$` never matches.
        assert_eq!(api_path(&custom, "/custom/api/v1/pods", "[::1]:8001"), None);
        assert_eq!(api_path(&custom, "/api/v1/pods", "localhost:8001"), None);
        let api = Front::new(&options("/api/")).unwrap();
        assert_eq!(api_path(&api, "/api/v1/pods", "localhost:8001").as_deref(), Some("/api/v1/pods"));
    }
}
