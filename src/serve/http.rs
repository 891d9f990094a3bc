//! HTTP/1.1 over a blocking stream: request heads parsed by `httparse`, bodies by length or
//! chunked framing (at most [`MAX_BODY`] bytes), responses with a length or as a chunked stream.

use std::io::{self, BufRead, Read, Write};

/// The API server's request body limit (3 MiB).
pub const MAX_BODY: usize = 3 * 1024 * 1024;
/// Request line plus headers.
const MAX_HEAD: usize = 64 * 1024;
const MAX_HEADERS: usize = 64;

/// One parsed request. Header names are lower-case; the path and query are percent-decoded.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The first value of query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated query parameter (`command=sh&command=-c`).
    pub fn params<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.query.iter().filter(move |(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn flag(&self, name: &str) -> bool {
        self.param(name).is_some_and(|v| v == "true" || v == "1")
    }

    /// Whether the client keeps the connection open after this request (HTTP/1.1's default).
    pub fn keep_alive(&self) -> bool {
        !self.header("connection").is_some_and(|c| c.eq_ignore_ascii_case("close"))
    }

    fn has_token(&self, header: &str, token: &str) -> bool {
        self.header(header).is_some_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
    }

    pub fn wants_websocket(&self) -> bool {
        self.has_token("upgrade", "websocket") && self.has_token("connection", "upgrade")
    }

    pub fn wants_spdy(&self) -> bool {
        self.header("upgrade").is_some_and(|u| u.to_ascii_lowercase().starts_with("spdy/"))
    }
}

/// Why no request could be read.
#[derive(Debug)]
pub enum ReadError {
    /// The client closed the connection (or idled out) between requests.
    Closed,
    /// Not HTTP/1.1 as a client sends it: answered with 400.
    Malformed(String),
    /// A body over [`MAX_BODY`]: answered with 413.
    TooLarge,
    /// The connection failed mid-request.
    Io,
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::UnexpectedEof => ReadError::Malformed("unexpected end of request".into()),
            _ => ReadError::Io,
        }
    }
}

/// Reads one request from a buffered stream.
pub fn read_request(reader: &mut impl BufRead) -> Result<Request, ReadError> {
    let head = read_head(reader)?;
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    match parsed.parse(&head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(ReadError::Malformed("incomplete request head".into())),
        Err(e) => return Err(ReadError::Malformed(format!("malformed request: {e}"))),
    }
    let method = parsed.method.unwrap_or_default().to_string();
    let target = parsed.path.unwrap_or_default();
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| (h.name.to_ascii_lowercase(), String::from_utf8_lossy(h.value).trim().to_string()))
        .collect();
    let (path, query) = split_target(target)?;
    let mut req = Request { method, path, query, headers, body: Vec::new() };
    req.body = read_body(reader, &req)?;
    Ok(req)
}

/// A request target (`/api/v1/pods?limit=1`) into its percent-decoded path and query pairs.
pub fn split_target(target: &str) -> Result<(String, Vec<(String, String)>), ReadError> {
    let (raw_path, raw_query) = target.split_once('?').unwrap_or((target, ""));
    let path = percent_decode(raw_path, false).ok_or_else(|| bad_escape(raw_path))?;
    let mut query = Vec::new();
    for pair in raw_query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = percent_decode(k, true).ok_or_else(|| bad_escape(k))?;
        let v = percent_decode(v, true).ok_or_else(|| bad_escape(v))?;
        query.push((k, v));
    }
    Ok((path, query))
}

fn bad_escape(s: &str) -> ReadError {
    ReadError::Malformed(format!("invalid URL escape in {s:?}"))
}

/// The bytes up to and including the blank line that ends the head.
pub fn read_head(reader: &mut impl BufRead) -> Result<Vec<u8>, ReadError> {
    let mut head = Vec::new();
    loop {
        let before = head.len();
        let n = match reader.take((MAX_HEAD + 1 - head.len()) as u64).read_until(b'\n', &mut head) {
            Ok(n) => n,
            Err(e) if before == 0 && is_idle(&e) => return Err(ReadError::Closed),
            Err(e) => return Err(e.into()),
        };
        if n == 0 {
            return if head.is_empty() {
                Err(ReadError::Closed)
            } else {
                Err(ReadError::Malformed("truncated request head".into()))
            };
        }
        if head.len() > MAX_HEAD {
            return Err(ReadError::Malformed("request head too large".into()));
        }
        // Tolerate blank lines before a request line (RFC 9112 §2.2).
        if head == b"\r\n" || head == b"\n" {
            head.clear();
            continue;
        }
        if head.ends_with(b"\r\n\r\n") || head.ends_with(b"\n\n") {
            return Ok(head);
        }
    }
}

fn is_idle(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::ConnectionReset)
}

fn read_body(reader: &mut impl BufRead, req: &Request) -> Result<Vec<u8>, ReadError> {
    if req.header("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        return read_chunked(reader);
    }
    let Some(len) = req.header("content-length") else { return Ok(Vec::new()) };
    let len: usize = len.parse().map_err(|_| ReadError::Malformed(format!("invalid Content-Length {len:?}")))?;
    if len > MAX_BODY {
        return Err(ReadError::TooLarge);
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body)?;
    Ok(body)
}

fn read_chunked(reader: &mut impl BufRead) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    loop {
        let line = read_line(reader)?;
        let size = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size, 16)
            .map_err(|_| ReadError::Malformed(format!("invalid chunk size {size:?}")))?;
        if size == 0 {
            // Trailers, up to the blank line.
            while !read_line(reader)?.is_empty() {}
            return Ok(body);
        }
        if body.len().saturating_add(size) > MAX_BODY {
            return Err(ReadError::TooLarge);
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        if !read_line(reader)?.is_empty() {
            return Err(ReadError::Malformed("chunk not followed by CRLF".into()));
        }
    }
}

fn read_line(reader: &mut impl BufRead) -> Result<String, ReadError> {
    let mut line = Vec::new();
    reader.take(1024).read_until(b'\n', &mut line)?;
    if !line.ends_with(b"\n") {
        return Err(ReadError::Malformed("overlong or truncated line in chunked body".into()));
    }
    Ok(String::from_utf8_lossy(&line).trim_end_matches(['\r', '\n']).to_string())
}

/// Decodes `%XX` escapes (and `+` as a space in a query); `None` for a broken escape or bytes
/// that are not UTF-8.
pub fn percent_decode(s: &str, plus_is_space: bool) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// A complete response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response { status, content_type: content_type.to_string(), headers: Vec::new(), body }
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::new(status, "application/json", json_line(value))
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// `value` as compact JSON plus a newline, as the API server writes bodies.
pub fn json_line(value: &serde_json::Value) -> Vec<u8> {
    let mut body = serde_json::to_vec(value).unwrap_or_default();
    body.push(b'\n');
    body
}

pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        410 => "Gone",
        413 => "Request Entity Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

pub fn write_response(w: &mut impl Write, resp: &Response, keep_alive: bool) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason_phrase(resp.status));
    head.push_str(&format!("Content-Type: {}\r\nContent-Length: {}\r\n", resp.content_type, resp.body.len()));
    for (n, v) in &resp.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str(if keep_alive { "\r\n" } else { "Connection: close\r\n\r\n" });
    w.write_all(head.as_bytes())?;
    w.write_all(&resp.body)?;
    w.flush()
}

/// A response streamed in chunks, each flushed as it is written (watch events, followed logs).
pub struct Chunked<'a, W: Write> {
    w: &'a mut W,
}

impl<'a, W: Write> Chunked<'a, W> {
    pub fn start(w: &'a mut W, content_type: &str) -> io::Result<Self> {
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache, private\r\n\r\n"
        );
        w.write_all(head.as_bytes())?;
        w.flush()?;
        Ok(Chunked { w })
    }

    pub fn send(&mut self, data: &[u8]) -> io::Result<()> {
        if data.is_empty() {
            return Ok(());
        }
        write!(self.w, "{:x}\r\n", data.len())?;
        self.w.write_all(data)?;
        self.w.write_all(b"\r\n")?;
        self.w.flush()
    }

    pub fn inner(&self) -> &W {
        self.w
    }

    pub fn finish(self) -> io::Result<()> {
        self.w.write_all(b"0\r\n\r\n")?;
        self.w.flush()
    }
}

/// Whether the peer closed its end (a read would return end-of-file at once).
pub fn client_gone(conn: &std::net::TcpStream) -> io::Result<bool> {
    conn.set_nonblocking(true)?;
    let mut byte = [0u8; 1];
    let gone = match conn.peek(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => false,
        Err(_) => true,
    };
    conn.set_nonblocking(false)?;
    Ok(gone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<Request, ReadError> {
        read_request(&mut io::BufReader::new(raw.as_bytes()))
    }

    #[test]
    fn parses_path_query_and_body() {
        let req = parse("POST /api/v1/namespaces/default/pods?fieldManager=kubectl-create&labelSelector=app%3Dweb HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}").unwrap();
        assert_eq!(req.method, "POST");
        assert_eq!(req.path, "/api/v1/namespaces/default/pods");
        assert_eq!(req.param("labelSelector"), Some("app=web"));
        assert_eq!(req.body, b"{}");
    }

    #[test]
    fn decodes_chunked_bodies() {
        let req =
            parse("PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").unwrap();
        assert_eq!(req.body, b"abcde");
    }

    #[test]
    fn refuses_bodies_over_the_limit() {
        let raw = format!("POST /x HTTP/1.1\r\nContent-Length: {}\r\n\r\n", MAX_BODY + 1);
        assert!(matches!(parse(&raw), Err(ReadError::TooLarge)));
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        for raw in ["GARBAGE\r\n\r\n", "GET /%zz HTTP/1.1\r\n\r\n", "POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n"] {
            assert!(matches!(parse(raw), Err(ReadError::Malformed(_))), "{raw:?}");
        }
        assert!(matches!(parse(""), Err(ReadError::Closed)));
    }
}
