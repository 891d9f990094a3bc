//! A stream of JSON values (`{...}{...}`), read the way Go's `json.Decoder` reads it, with its
//! error texts: `json: offset 63: invalid character '}' looking for beginning of object key
//! string`, or `unexpected EOF` when the stream ends inside a value. The offset is Go's: the
//! number of bytes read up to and including the bad one.

use serde_json::Value;

/// One value of the stream: where it starts (byte offset) and what it is.
pub struct JsonValue {
    pub offset: usize,
    pub value: Value,
}

/// Reads values until the end or the first error; the error ends the stream, as in kubectl.
pub fn read_stream(text: &str) -> (Vec<JsonValue>, Option<String>) {
    let mut out = Vec::new();
    let mut s = Scanner { b: text.as_bytes(), pos: 0, depth: 0 };
    loop {
        s.skip_ws();
        if s.pos >= s.b.len() {
            return (out, None);
        }
        let start = s.pos;
        if let Err(e) = s.value() {
            return (out, Some(e.message()));
        }
        let slice = &text[start..s.pos];
        match serde_json::from_str::<Value>(slice) {
            Ok(v) => out.push(JsonValue { offset: start, value: normalize(v) }),
            Err(e) => return (out, Some(format!("json: {e}"))),
        }
    }
}

/// Integers beyond int64 become floats, as kubectl's number conversion does.
fn normalize(v: Value) -> Value {
    match v {
        Value::Number(n) if n.is_u64() && n.as_i64().is_none() => {
            n.as_f64().and_then(serde_json::Number::from_f64).map(Value::Number).unwrap_or(Value::Null)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(normalize).collect()),
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, normalize(v))).collect()),
        other => other,
    }
}

enum ScanError {
    Eof,
    Syntax { offset: usize, ch: u8, context: String },
}

impl ScanError {
    fn message(&self) -> String {
        match self {
            ScanError::Eof => "unexpected EOF".to_string(),
            ScanError::Syntax { offset, ch, context } => {
                format!("json: offset {offset}: invalid character {} {context}", quote_char(*ch))
            }
        }
    }
}

/// Go's `quoteChar`.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_string(),
        b'"' => "'\"'".to_string(),
        b'\n' => "'\\n'".to_string(),
        b'\t' => "'\\t'".to_string(),
        b'\r' => "'\\r'".to_string(),
        0x20..=0x7e => format!("'{}'", c as char),
        0x80..=0xff => format!("'\\u{c:04x}'"),
        _ => format!("'\\x{c:02x}'"),
    }
}

struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
    depth: usize,
}

/// Deeper nesting than serde_json accepts (128) is refused here already, without recursing further.
const MAX_DEPTH: usize = 128;

type Scan = Result<(), ScanError>;

impl Scanner<'_> {
    fn peek(&self) -> Result<u8, ScanError> {
        self.b.get(self.pos).copied().ok_or(ScanError::Eof)
    }

    fn fail(&self, context: &'static str) -> ScanError {
        match self.b.get(self.pos) {
            Some(&ch) => ScanError::Syntax { offset: self.pos + 1, ch, context: context.to_string() },
            None => ScanError::Eof,
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.b.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Scan {
        if self.depth >= MAX_DEPTH {
            return Err(ScanError::Syntax {
                offset: self.pos + 1,
                ch: self.peek()?,
                context: "(exceeded max depth)".into(),
            });
        }
        self.depth += 1;
        let res = self.value_inner();
        self.depth -= 1;
        res
    }

    fn value_inner(&mut self) -> Scan {
        match self.peek()? {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => self.string(),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.literal(b"true", "in literal true (expecting "),
            b'f' => self.literal(b"false", "in literal false (expecting "),
            b'n' => self.literal(b"null", "in literal null (expecting "),
            _ => Err(self.fail("looking for beginning of value")),
        }
    }

    fn object(&mut self) -> Scan {
        self.pos += 1;
        self.skip_ws();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Ok(());
        }
        loop {
            if self.peek()? != b'"' {
                return Err(self.fail("looking for beginning of object key string"));
            }
            self.string()?;
            self.skip_ws();
            if self.peek()? != b':' {
                return Err(self.fail("after object key"));
            }
            self.pos += 1;
            self.skip_ws();
            self.value()?;
            if self.closes(b'}', "after object key:value pair")? {
                return Ok(());
            }
        }
    }

    /// After an object member or array element: `,` (more follow: false) or `close` (done: true).
    fn closes(&mut self, close: u8, context: &'static str) -> Result<bool, ScanError> {
        self.skip_ws();
        match self.peek()? {
            b',' => {
                self.pos += 1;
                self.skip_ws();
                Ok(false)
            }
            c if c == close => {
                self.pos += 1;
                Ok(true)
            }
            _ => Err(self.fail(context)),
        }
    }

    fn array(&mut self) -> Scan {
        self.pos += 1;
        self.skip_ws();
        if self.peek()? == b']' {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.value()?;
            if self.closes(b']', "after array element")? {
                return Ok(());
            }
        }
    }

    fn string(&mut self) -> Scan {
        self.pos += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Ok(());
                }
                b'\\' => {
                    self.pos += 1;
                    self.escape()?;
                }
                c if c < 0x20 => return Err(self.fail("in string literal")),
                _ => self.pos += 1,
            }
        }
    }

    fn escape(&mut self) -> Scan {
        match self.peek()? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {
                self.pos += 1;
                Ok(())
            }
            b'u' => {
                self.pos += 1;
                for _ in 0..4 {
                    if !self.peek()?.is_ascii_hexdigit() {
                        return Err(self.fail("in \\u hexadecimal character escape"));
                    }
                    self.pos += 1;
                }
                Ok(())
            }
            _ => Err(self.fail("in string escape code")),
        }
    }

    fn digits(&mut self) -> Scan {
        if !self.peek()?.is_ascii_digit() {
            return Err(self.fail("in numeric literal"));
        }
        while self.b.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        Ok(())
    }

    fn number(&mut self) -> Scan {
        if self.peek()? == b'-' {
            self.pos += 1;
        }
        if self.peek()? == b'0' {
            self.pos += 1;
        } else {
            self.digits()?;
        }
        if self.b.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            self.digits()?;
        }
        if matches!(self.b.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek()?, b'+' | b'-') {
                self.pos += 1;
            }
            self.digits()?;
        }
        Ok(())
    }

    fn literal(&mut self, word: &'static [u8], context: &'static str) -> Scan {
        for &want in word {
            let got = self.peek()?;
            if got != want {
                let context = format!("{context}'{}')", want as char);
                return Err(ScanError::Syntax { offset: self.pos + 1, ch: got, context });
            }
            self.pos += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_stream_of_objects() {
        let (vals, err) = read_stream("{\"a\":1}\n {\"b\":[true,null,1.5]}");
        assert!(err.is_none());
        assert_eq!(vals.len(), 2);
        assert_eq!(vals[1].value, json!({"b": [true, null, 1.5]}));
        assert_eq!(vals[1].offset, 9);
    }

    #[test]
    fn syntax_errors_read_like_go() {
        let text = "{\"apiVersion\":\"v1\",\n\"kind\":\"Service\",\n \"metadata\":{\"name\":\"a\",}}\n";
        let (_, err) = read_stream(text);
        assert_eq!(err.unwrap(), "json: offset 63: invalid character '}' looking for beginning of object key string");
        let (vals, err) = read_stream("{\"a\":1}\n{\"b\":2");
        assert_eq!(vals.len(), 1);
        assert_eq!(err.unwrap(), "unexpected EOF");
        assert_eq!(read_stream("{\"a\" 1}").1.unwrap(), "json: offset 6: invalid character '1' after object key");
        assert_eq!(
            read_stream("{\"a\":1 \"b\"}").1.unwrap(),
            "json: offset 8: invalid character '\"' after object key:value pair"
        );
        assert_eq!(
            read_stream("{\"a\":tru}").1.unwrap(),
            "json: offset 9: invalid character '}' in literal true (expecting 'e')"
        );
        assert_eq!(read_stream("{\"a\":-x}").1.unwrap(), "json: offset 7: invalid character 'x' in numeric literal");
        assert_eq!(
            read_stream("{\"a\":[1 2]}").1.unwrap(),
            "json: offset 9: invalid character '2' after array element"
        );
        assert_eq!(
            read_stream("{\"a\":[1,2]]").1.unwrap(),
            "json: offset 11: invalid character ']' after object key:value pair"
        );
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let text = "[".repeat(100_000);
        assert!(read_stream(&text).1.unwrap().contains("exceeded max depth"));
    }

    #[test]
    fn big_integers_become_floats() {
        let (vals, _) = read_stream("{\"a\":12345678901234567890}");
        assert_eq!(vals[0].value["a"], json!(12345678901234567890.0));
    }
}
