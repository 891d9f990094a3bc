//! `GET /`: a live, read-only page of the cluster for a browser. Its script reads the API this
//! server serves (list, then watch), draws each workload as its tree (pods, claims, volumes) and
//! the latest events; nothing here knows more than any API client does.

use super::http::Response;

const INDEX: &str = include_str!("page/index.html");

pub fn index() -> Response {
    Response::new(200, "text/html; charset=utf-8", INDEX.as_bytes().to_vec()).with_header("Cache-Control", "no-cache")
}
