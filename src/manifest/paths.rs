//! Turning `-f` arguments into sources, as kubectl's `ExpandPathsToFileVisitors` does: a file
//! given by name is read whatever its extension; a folder contributes its `.json`, `.yaml` and
//! `.yml` files in name order (Go's `filepath.Walk`), subfolders only with `-R`.

use std::fs;
use std::io::{ErrorKind, Read};
use std::path::Path;

use crate::{Error, Result};

const STDIN: &str = "STDIN";
const EXTENSIONS: [&str; 3] = ["json", "yaml", "yml"];

/// The sources to read, in order; every missing path is reported before anything is read.
pub fn expand(paths: &[String], recursive: bool) -> Result<Vec<String>> {
    let mut sources = Vec::new();
    let mut missing = Vec::new();
    for p in paths {
        if p == "-" {
            sources.push(STDIN.to_string());
        } else if super::split_built(p).is_some() {
            sources.push(p.clone());
        } else if p.starts_with("http://") || p.starts_with("https://") {
            // kubectl would download it; kstate never reaches the network.
            missing.push(format!(
                "unable to read URL {}: kstate has no network access; save the manifest to a file and use -f FILE",
                super::go_quote(p)
            ));
        } else if fs::metadata(p).is_err() {
            missing.push(format!("the path {} does not exist", super::go_quote(p)));
        } else if Path::new(p).is_dir() {
            walk(p, recursive, &mut sources)?;
        } else {
            sources.push(p.clone());
        }
    }
    match missing.len() {
        0 => Ok(sources),
        1 => Err(Error::Cli(missing.remove(0))),
        _ => Err(Error::Aggregate(missing)),
    }
}

fn walk(dir: &str, recursive: bool, out: &mut Vec<String>) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| io_error("lstat", dir, &e))?;
    let mut names: Vec<String> =
        entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    for name in names {
        let path = go_join(dir, &name);
        let meta = fs::symlink_metadata(&path).map_err(|e| io_error("lstat", &path, &e))?;
        if meta.is_dir() {
            if recursive {
                walk(&path, recursive, out)?;
            }
        } else if has_manifest_extension(&name) {
            out.push(path);
        }
    }
    Ok(())
}

fn has_manifest_extension(name: &str) -> bool {
    match name.rsplit_once('.') {
        Some((_, ext)) => EXTENSIONS.contains(&ext),
        None => false,
    }
}

/// Go's `filepath.Join`: joins and cleans (`./dir` + `a.yaml` → `dir/a.yaml`).
fn go_join(dir: &str, name: &str) -> String {
    let joined = format!("{dir}/{name}");
    let absolute = joined.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            other => parts.push(other),
        }
    }
    let body = parts.join("/");
    match (absolute, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

/// The API server's limit on a request body (`MaxRequestBodyBytes`, 3 MiB).
pub const MAX_REQUEST_BYTES: u64 = 3 << 20;

/// A source's text; stdin for `STDIN`. Read in pieces: a document (the text between `---`
/// lines) that grows past the API server's request limit ends the read with the server's
/// answer, so `-f /dev/zero` stops after 3 MiB.
pub fn load(source: &str, stdin: &mut dyn Read) -> Result<String> {
    let bytes = if source == STDIN {
        read_bounded(stdin)
    } else {
        fs::File::open(source).and_then(|mut f| read_bounded(&mut f))
    };
    let bytes = bytes.map_err(|e| io_error("open", source, &e))?.ok_or(Error::TooLarge(MAX_REQUEST_BYTES))?;
    if let Some(problem) = yaml_utf8_problem(&bytes) {
        return Err(Error::Cli(format!("error parsing {source}: error converting YAML to JSON: yaml: {problem}")));
    }
    Ok(decode_text(bytes))
}

/// What go-yaml's reader says of bytes that are not UTF-8, for YAML (a JSON stream, which Go's
/// decoder reads with replacement characters, and UTF-16 text pass).
fn yaml_utf8_problem(bytes: &[u8]) -> Option<&'static str> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(bytes, [0xFE, 0xFF, ..] | [0xFF, 0xFE, ..]) || first == Some(&b'{') {
        return None;
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let err = std::str::from_utf8(body).err()?;
    let rest = &body[err.valid_up_to()..];
    let lead = rest[0];
    let width = match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return Some("invalid leading UTF-8 octet"),
    };
    if rest.len() < width {
        return Some("incomplete UTF-8 octet sequence");
    }
    if rest[1..width].iter().any(|b| b & 0xC0 != 0x80) {
        return Some("invalid trailing UTF-8 octet");
    }
    let value = rest[1..width].iter().fold(u32::from(lead) & (0x7F >> width), |v, b| (v << 6) | u32::from(b & 0x3F));
    let shortest = match value {
        0..=0x7F => 1,
        0x80..=0x7FF => 2,
        0x800..=0xFFFF => 3,
        _ => 4,
    };
    if shortest != width {
        return Some("invalid length of a UTF-8 sequence");
    }
    Some("invalid Unicode character")
}

/// Everything `r` holds, or None once one document exceeds [`MAX_REQUEST_BYTES`].
fn read_bounded(r: &mut dyn Read) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 << 10];
    let mut doc_start = 0;
    loop {
        let n = match r.read(&mut chunk) {
            Ok(0) => return Ok(Some(bytes)),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let scan_from = bytes.len().saturating_sub(4);
        bytes.extend_from_slice(&chunk[..n]);
        if let Some(p) = bytes[scan_from..].windows(4).rposition(|w| w == b"\n---") {
            doc_start = scan_from + p + 1;
        }
        if (bytes.len() - doc_start) as u64 > MAX_REQUEST_BYTES {
            return Ok(None);
        }
    }
}

/// UTF-8 (BOM dropped), or UTF-16 when it starts with a byte-order mark, as kubectl's reader does.
fn decode_text(bytes: Vec<u8>) -> String {
    let utf16 = |be: bool, body: &[u8]| {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|c| if be { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes.as_slice() {
        [0xFE, 0xFF, rest @ ..] => utf16(true, rest),
        [0xFF, 0xFE, rest @ ..] => utf16(false, rest),
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        _ => String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

/// Go's `*PathError` text: `open web.yaml: permission denied`.
fn io_error(op: &str, path: &str, e: &std::io::Error) -> Error {
    let reason = match e.kind() {
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::NotFound => "no such file or directory".to_string(),
        _ => {
            let s = e.to_string();
            let s = s.split(" (os error").next().unwrap_or(&s).to_string();
            let mut c = s.chars();
            match c.next() {
                Some(first) => first.to_lowercase().chain(c).collect(),
                None => s,
            }
        }
    };
    if path == STDIN {
        return Error::Cli(format!("read /dev/stdin: {reason}"));
    }
    Error::Cli(format!("{op} {path}: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_in_yaml_is_go_yamls_reader_error() {
        let cases: &[(&[u8], Option<&str>)] = &[
            (b"kind: Pod\n", None),
            (b"name: caf\xC3\xA9\n", None),
            (b"name: \xFF\n", Some("invalid leading UTF-8 octet")),
            (b"name: \x80\n", Some("invalid leading UTF-8 octet")),
            (b"name: \xC3", Some("incomplete UTF-8 octet sequence")),
            (b"name: \xC3x\n", Some("invalid trailing UTF-8 octet")),
            (b"name: \xC0\x80\n", Some("invalid length of a UTF-8 sequence")),
            (b"name: \xED\xA0\x80\n", Some("invalid Unicode character")),
            (b"{\"name\": \"\xFF\"}", None),
        ];
        for (bytes, want) in cases {
            assert_eq!(yaml_utf8_problem(bytes), *want, "{bytes:?}");
        }
    }

    #[test]
    fn joins_like_go() {
        assert_eq!(go_join("./dir", "a.yaml"), "dir/a.yaml");
        assert_eq!(go_join("dir/", "a.yaml"), "dir/a.yaml");
        assert_eq!(go_join("/x/../y", "a.yaml"), "/y/a.yaml");
        assert_eq!(go_join("..", "a.yaml"), "../a.yaml");
    }

    #[test]
    fn extensions_are_case_sensitive() {
        assert!(has_manifest_extension("a.yml"));
        assert!(has_manifest_extension("a.json"));
        assert!(!has_manifest_extension("a.YAML"));
        assert!(!has_manifest_extension("yaml"));
    }

    #[test]
    fn boms_are_handled() {
        assert_eq!(decode_text(vec![0xEF, 0xBB, 0xBF, b'a']), "a");
        assert_eq!(decode_text(vec![0xFF, 0xFE, b'a', 0]), "a");
    }
}
