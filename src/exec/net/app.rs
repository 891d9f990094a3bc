//! The sample applications of kubernetes.io's tutorials, which answer every request with one
//! line naming the pod that served it: the Kubernetes Basics bootcamp app (`kubernetes-bootcamp`,
//! Node.js on 8080) and Google's `hello-app` (Go on 8080). Readers `curl` them to see which pod
//! a Service sent them to.

use super::http::{Request, Response};
use crate::exec::clock_fmt::strftime;
use crate::exec::image::repository;
use crate::exec::Container;

/// Which sample application an image runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum App {
    /// `gcr.io/google-samples/kubernetes-bootcamp:v1`, `jocatalin/kubernetes-bootcamp:v2`.
    Bootcamp,
    /// `gcr.io/google-samples/hello-app:1.0`, `.../gke/hello-app:2.0`.
    HelloApp,
}

/// The port both applications listen on.
pub const APP_PORT: u16 = 8080;

impl App {
    pub fn of(image: &str) -> Option<App> {
        let repo = repository(image);
        let name = repo.rsplit('/').next().unwrap_or(&repo);
        match name {
            "kubernetes-bootcamp" => Some(App::Bootcamp),
            "hello-app" => Some(App::HelloApp),
            _ => None,
        }
    }
}

/// The image's tag (`v1`, `2.0`), empty when it has none.
fn tag(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split_once(':').map(|(_, t)| t).unwrap_or("")
}

/// The bootcamp's version as its reply shows it (`v=1`): the tag's number.
fn bootcamp_version(image: &str) -> String {
    let t = tag(image);
    let n = t.strip_prefix('v').unwrap_or(t);
    if n.is_empty() {
        "1".to_string()
    } else {
        n.to_string()
    }
}

/// hello-app's version: `Version: 2.0.0` for the tag `2.0`.
fn hello_version(image: &str) -> String {
    let t = tag(image);
    match t.matches('.').count() {
        _ if t.is_empty() || t == "latest" => "1.0.0".to_string(),
        0 => format!("{t}.0.0"),
        1 => format!("{t}.0"),
        _ => t.to_string(),
    }
}

/// The reply to any request: the application does not look at the path or the method.
pub fn answer(app: App, c: &Container, req: &Request, now: i64) -> Response {
    let host = if c.hostname.is_empty() { &c.pod_name } else { &c.hostname };
    let date = strftime("%a, %d %b %Y %H:%M:%S GMT", now);
    let body = match app {
        App::Bootcamp => {
            format!("Hello Kubernetes bootcamp! | Running on: {host} | v={}\n", bootcamp_version(&c.image))
        }
        App::HelloApp => format!("Hello, world!\nVersion: {}\nHostname: {host}\n", hello_version(&c.image)),
    };
    let headers = match app {
        // Node's http module: chunked, as the handler writes in three calls.
        App::Bootcamp => vec![
            ("Content-Type".to_string(), "text/plain".to_string()),
            ("Date".into(), date),
            ("Connection".into(), "keep-alive".into()),
            ("Transfer-Encoding".into(), "chunked".into()),
        ],
        // Go's net/http: a short body gets its length and a sniffed type.
        App::HelloApp => vec![
            ("Date".to_string(), date),
            ("Content-Length".into(), body.len().to_string()),
            ("Content-Type".into(), "text/plain; charset=utf-8".into()),
        ],
    };
    let body = if req.method == "HEAD" { Vec::new() } else { body.into_bytes() };
    Response { status: 200, headers, body }
}

/// What the application logs when it has served `req` (hello-app's `Serving request: /`).
pub fn request_log(app: App, req: &Request, now: i64) -> Option<String> {
    match app {
        App::HelloApp => Some(format!("{} Serving request: {}", strftime("%Y/%m/%d %H:%M:%S", now), req.target)),
        App::Bootcamp => None,
    }
}

/// The lines each application logs when it starts listening.
pub fn startup_lines(app: App, host: &str, started: i64) -> Vec<String> {
    match app {
        // console.log joins its arguments with spaces: the start Date (ISO, milliseconds), the
        // host, and a last argument "\n", which leaves an empty line after it.
        App::Bootcamp => vec![
            format!(
                "Kubernetes Bootcamp App Started At: {} | Running On:  {host} ",
                strftime("%Y-%m-%dT%H:%M:%S.000Z", started)
            ),
            String::new(),
        ],
        App::HelloApp => {
            vec![format!("{} Server listening on port {APP_PORT}", strftime("%Y/%m/%d %H:%M:%S", started))]
        }
    }
}

/// The bootcamp image's application, /server.js, which `cat server.js` shows.
pub const BOOTCAMP_SERVER_JS: &str = r#"var http = require('http');
var requests=0;
var podname= process.env.HOSTNAME;
var startTime;
var host;
var handleRequest = function(request, response) {
  response.setHeader('Content-Type', 'text/plain');
  response.writeHead(200);
  response.write("Hello Kubernetes bootcamp! | Running on: ");
  response.write(host);
  response.end(" | v=1\n");
  console.log("Running On:" ,host, "| Total Requests:", ++requests,"| App Uptime:", (new Date() - startTime)/1000 , "seconds", "| Log Time:",new Date());
}
var www = http.createServer(handleRequest);
www.listen(8080,function () {
    startTime = new Date();;
    host = process.env.HOSTNAME;
    console.log ("Kubernetes Bootcamp App Started At:",startTime, "| Running On: " ,host, "\n" );
});
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_come_from_the_tag() {
        assert_eq!(bootcamp_version("gcr.io/google-samples/kubernetes-bootcamp:v1"), "1");
        assert_eq!(bootcamp_version("docker.io/jocatalin/kubernetes-bootcamp:v2"), "2");
        assert_eq!(hello_version("us-docker.pkg.dev/google-samples/containers/gke/hello-app:2.0"), "2.0.0");
        assert_eq!(hello_version("gcr.io/google-samples/hello-app:1.0"), "1.0.0");
        assert_eq!(App::of("gcr.io/google-samples/kubernetes-bootcamp:v1"), Some(App::Bootcamp));
        assert_eq!(App::of("registry.example/hello-app-x:1"), None);
    }
}
