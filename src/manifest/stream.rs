//! Splitting one source's text into documents, as kubectl's `YAMLOrJSONDecoder` does: a text
//! whose first non-space byte (within 4096 bytes) is `{` is a JSON stream, anything else YAML
//! split at lines that start with `---`.

use serde_json::Value;

use super::{json, yaml};

/// One raw document: its 1-based first line and its value (or the error that ends the source).
pub struct Raw {
    pub line: usize,
    pub value: Value,
}

/// What kubectl calls a parse error, without the `error parsing <source>: ` prefix.
pub type ParseError = String;

/// Every document of `text` up to the first parse error; null and empty documents are dropped.
pub fn documents(text: &str) -> (Vec<Raw>, Option<ParseError>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if looks_like_json(text) {
        return json_documents(text);
    }
    yaml_documents(text)
}

fn looks_like_json(text: &str) -> bool {
    let head = text.as_bytes().get(..4096).unwrap_or(text.as_bytes());
    head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

fn json_documents(text: &str) -> (Vec<Raw>, Option<ParseError>) {
    let (values, err) = json::read_stream(text);
    let docs = values
        .into_iter()
        .filter(|v| !v.value.is_null())
        .map(|v| Raw { line: line_of_offset(text, v.offset), value: v.value })
        .collect();
    (docs, err)
}

fn line_of_offset(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// One chunk of YAML between separators, with the line its first line has in the source.
struct Chunk {
    first_line: usize,
    text: String,
}

fn yaml_documents(text: &str) -> (Vec<Raw>, Option<ParseError>) {
    let (chunks, split_err) = split_yaml(text);
    let mut docs = Vec::new();
    for chunk in chunks {
        match yaml::to_json(&chunk.text) {
            Ok(Value::Null) => {}
            Ok(value) => docs.push(Raw { line: chunk.first_line + content_offset(&chunk.text), value }),
            Err(e) => return (docs, Some(format!("error converting YAML to JSON: {}", e.0))),
        }
    }
    (docs, split_err)
}

/// Lines before the first one that is neither blank nor a comment: where the document "starts".
fn content_offset(chunk: &str) -> usize {
    chunk
        .lines()
        .position(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .unwrap_or(0)
}

/// kubectl's `YAMLReader`: a line starting with `---` ends a document; anything but spaces or a
/// comment after the dashes is an error, which also loses the document being read.
fn split_yaml(text: &str) -> (Vec<Chunk>, Option<ParseError>) {
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut first_line = 1;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return (chunks, Some(format!("invalid Yaml document separator: {trimmed}")));
            }
            if !current.is_empty() {
                chunks.push(Chunk { first_line, text: std::mem::take(&mut current) });
            }
            first_line = i + 2;
            continue;
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        chunks.push(Chunk { first_line, text: current });
    }
    (chunks, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn splits_yaml_and_skips_empty_documents() {
        let (docs, err) = documents("---\n# c\n---\na: 1\n---\n\n\nb: 2\n--- # x\n~\n");
        assert!(err.is_none());
        assert_eq!(docs.len(), 2);
        assert_eq!((docs[0].line, docs[0].value.clone()), (4, json!({"a": 1})));
        assert_eq!(docs[1].line, 8);
    }

    #[test]
    fn yaml_errors_count_lines_from_the_document() {
        let (docs, err) = documents("a: 1\n---\nb: 2\nc: d: e\n");
        assert_eq!(docs.len(), 1);
        assert_eq!(
            err.unwrap(),
            "error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
        );
    }

    #[test]
    fn bad_separator_loses_the_current_document() {
        let (docs, err) = documents("a: 1\n--- foo\nb: 2\n");
        assert!(docs.is_empty());
        assert_eq!(err.unwrap(), "invalid Yaml document separator: foo");
    }

    #[test]
    fn json_streams_are_sniffed() {
        let (docs, err) = documents("\n {\"a\":1}\n{\"b\":2}\n");
        assert!(err.is_none());
        assert_eq!(docs.iter().map(|d| d.line).collect::<Vec<_>>(), vec![2, 3]);
    }
}
