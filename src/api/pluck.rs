//! Decoding chosen fields of a stored object's JSON text and skipping the rest unparsed.
//!
//! Walks over every pod of a namespace (the endpoints), a listing's table and the scheduler's
//! volume checks read a few fields of objects stored whole. serde's derived decoders skip an
//! unwanted field by parsing it (every key and string checked, every number read); a stored
//! object's text is kstate's own valid JSON, so here an unwanted value is skipped by finding
//! where it ends: strings by their closing quote, objects and arrays by their brackets.
//!
//! What is kept matches a serde decoder of `Option` fields: a wanted field that is absent or
//! `null` is left out; the values kept are whole `Value`s, parsed by serde_json.

use anyhow::{anyhow, bail, Result};
use serde_json::{Map, Value};

/// What to keep of a field's value.
pub enum Want {
    /// The whole value.
    All,
    /// Of an object, these fields; of an array, these fields of each object in it.
    Fields(&'static [(&'static str, Want)]),
}

/// The fields `want` names of the JSON object `text`, as an object.
pub fn pluck(text: &str, want: &'static [(&'static str, Want)]) -> Result<Value> {
    let mut cur = Cursor { text, at: 0 };
    cur.skip_ws();
    let value = cur.object(want)?;
    cur.skip_ws();
    if cur.at != text.len() {
        bail!("trailing characters at byte {}", cur.at);
    }
    Ok(value)
}

struct Cursor<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Cursor<'t> {
    fn bytes(&self) -> &'t [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result<()> {
        if self.peek() != Some(byte) {
            return Err(self.error(&format!("expected '{}'", byte as char)));
        }
        self.at += 1;
        Ok(())
    }

    fn error(&self, what: &str) -> anyhow::Error {
        anyhow!("corrupt JSON: {what} at byte {}", self.at)
    }

    /// An object (the cursor on its `{`) reduced to the wanted fields.
    fn object(&mut self, want: &'static [(&'static str, Want)]) -> Result<Value> {
        self.expect(b'{')?;
        let mut out = Map::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(out));
        }
        loop {
            self.skip_ws();
            let key_start = self.at;
            self.expect(b'"')?;
            self.skip_string_body()?;
            let raw = &self.text[key_start..self.at];
            self.skip_ws();
            self.expect(b':')?;
            self.skip_ws();
            match wanted(raw, want)? {
                Some((name, sub)) => {
                    if let Some(value) = self.kept(sub)? {
                        out.insert(name, value);
                    }
                }
                None => self.skip_value()?,
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(out));
                }
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
    }

    /// The value at the cursor, as `want` keeps it (`None` for `null`).
    fn kept(&mut self, want: &'static Want) -> Result<Option<Value>> {
        let value = match (want, self.peek()) {
            (Want::Fields(sub), Some(b'{')) => self.object(sub)?,
            (Want::Fields(sub), Some(b'[')) => self.array(sub)?,
            _ => {
                let start = self.at;
                self.skip_value()?;
                serde_json::from_str(&self.text[start..self.at])?
            }
        };
        Ok((!value.is_null()).then_some(value))
    }

    /// An array (the cursor on its `[`) whose objects are reduced to the wanted fields.
    fn array(&mut self, want: &'static [(&'static str, Want)]) -> Result<Value> {
        self.expect(b'[')?;
        let mut out = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(out));
        }
        loop {
            self.skip_ws();
            if self.peek() == Some(b'{') {
                out.push(self.object(want)?);
            } else {
                let start = self.at;
                self.skip_value()?;
                out.push(serde_json::from_str(&self.text[start..self.at])?);
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(out));
                }
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    /// Moves past the value at the cursor without decoding it.
    fn skip_value(&mut self) -> Result<()> {
        match self.peek() {
            Some(b'"') => {
                self.at += 1;
                self.skip_string_body()
            }
            Some(b'{' | b'[') => self.skip_nested(),
            Some(_) => {
                // A number, `true`, `false` or `null`: up to the next delimiter.
                let rest = self.bytes().get(self.at..).unwrap_or_default();
                let len = rest.iter().position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'));
                self.at += len.unwrap_or(rest.len());
                Ok(())
            }
            None => Err(self.error("unexpected end")),
        }
    }

    /// Moves past a string whose opening quote the cursor has passed.
    fn skip_string_body(&mut self) -> Result<()> {
        loop {
            let rest = self.bytes().get(self.at..).unwrap_or_default();
            let Some(i) = memchr::memchr2(b'"', b'\\', rest) else {
                return Err(self.error("unterminated string"));
            };
            if rest[i] == b'"' {
                self.at += i + 1;
                return Ok(());
            }
            // An escape: the next byte is escaped (a `\uXXXX`'s digits hold no quote).
            self.at += i + 2;
        }
    }

    /// Moves past an object or array by its brackets, strings skipped whole.
    fn skip_nested(&mut self) -> Result<()> {
        let mut depth = 0usize;
        let bytes = self.bytes();
        while let Some(&b) = bytes.get(self.at) {
            self.at += 1;
            match b {
                b'"' => self.skip_string_body()?,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err(self.error("unterminated object or array"))
    }
}

/// The wanted entry for the key whose quoted text is `raw`, with the key's name.
fn wanted(raw: &str, want: &'static [(&'static str, Want)]) -> Result<Option<(String, &'static Want)>> {
    let inner = &raw[1..raw.len() - 1];
    if !inner.contains('\\') {
        return Ok(want.iter().find(|(name, _)| *name == inner).map(|(name, w)| (name.to_string(), w)));
    }
    let name: String = serde_json::from_str(raw)?;
    Ok(want.iter().find(|(n, _)| *n == name).map(|(_, w)| (name, w)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const WANT: &[(&str, Want)] = &[
        ("metadata", Want::Fields(&[("name", Want::All), ("labels", Want::All)])),
        ("spec", Want::Fields(&[("containers", Want::Fields(&[("ports", Want::All)])), ("nodeName", Want::All)])),
        ("status", Want::All),
    ];

    #[test]
    fn keeps_the_wanted_fields_and_skips_the_rest() {
        let text = r#"{"apiVersion":"v1","metadata":{"annotations":{"a":"x\"}]{["},"labels":{"app":"web"},"name":"web-0"},
            "spec":{"containers":[{"env":[{"name":"A","value":"\\"}],"name":"c","ports":[{"containerPort":80}]},{"name":"d"}],
            "nodeName":null,"volumes":[[1,2],{"x":[true,false,-1.5e3]}]},
            "status":{"phase":"Running","conditions":[{"lastProbeTime":null}]}}"#;
        let got = pluck(text, WANT).expect("decodes");
        let expected = json!({
            "metadata": {"labels": {"app": "web"}, "name": "web-0"},
            "spec": {"containers": [{"ports": [{"containerPort": 80}]}, {}]},
            "status": {"phase": "Running", "conditions": [{"lastProbeTime": null}]},
        });
        assert_eq!(got, expected);
    }

    #[test]
    fn escaped_keys_and_non_object_values_are_read_as_serde_would() {
        let text = r#" { "meta\u0064ata" : "plain" , "spec" : [ 1 , {"nodeName":"n","x":1} ] , "status" : null } "#;
        let got = pluck(text, WANT).expect("decodes");
        assert_eq!(got, json!({"metadata": "plain", "spec": [1, {"nodeName": "n"}]}));
        assert_eq!(pluck("{}", WANT).expect("empty"), json!({}));
    }

    #[test]
    fn broken_text_is_an_error_not_a_panic() {
        for text in [
            "",
            "{",
            "{\"a\":\"x\\",
            "{\"a\"",
            "{\"a\":",
            "{\"a\":\"x",
            "{\"a\":[1,2",
            "{\"status\":tru}",
            "[]",
            "{\"a\":1}x",
            "{\"a\":1,}",
        ] {
            assert!(pluck(text, WANT).is_err(), "{text:?} decoded");
        }
    }
}
