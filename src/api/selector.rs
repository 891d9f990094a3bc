//! Label selectors: the `-l` string form and the `matchLabels`/`matchExpressions` object form.

use serde_json::Value;

use super::object::{Labels, ObjectExt};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Req {
    Eq(String, String),
    NotEq(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

fn req_key(r: &Req) -> &str {
    match r {
        Req::Eq(k, _) | Req::NotEq(k, _) | Req::In(k, _) | Req::NotIn(k, _) | Req::Exists(k) | Req::NotExists(k) => k,
    }
}

/// A parsed selector; the empty selector matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    reqs: Vec<Req>,
}

impl Selector {
    pub fn everything() -> Selector {
        Selector::default()
    }

    pub fn is_empty(&self) -> bool {
        self.reqs.is_empty()
    }

    pub fn matches(&self, labels: &Labels) -> bool {
        self.reqs.iter().all(|r| match r {
            Req::Eq(k, v) => labels.get(k) == Some(v),
            Req::NotEq(k, v) => labels.get(k) != Some(v),
            Req::In(k, vs) => labels.get(k).is_some_and(|l| vs.contains(l)),
            Req::NotIn(k, vs) => labels.get(k).is_none_or(|l| !vs.contains(l)),
            Req::Exists(k) => labels.contains_key(k),
            Req::NotExists(k) => !labels.contains_key(k),
        })
    }

    pub fn matches_object(&self, obj: &Value) -> bool {
        self.is_empty() || self.matches(&obj.labels())
    }

    /// Parses kubectl's `-l` syntax: `a=b,c!=d,e in (x,y),f notin (z),g,!h`.
    pub fn parse(s: &str) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        for term in split_terms(s) {
            let term = term.trim();
            if term.is_empty() {
                continue;
            }
            reqs.push(parse_term(term).ok_or_else(|| format!("unable to parse requirement: {term:?}"))?);
        }
        Ok(Selector { reqs })
    }

    /// apimachinery's `ParseToLabelSelector`: the `metav1.LabelSelector` object of a `-l` string
    /// (requirements sorted by key, values sorted; `=` into matchLabels). `!=` has no object form.
    pub fn to_label_selector(&self) -> Result<Value, String> {
        let mut match_labels = serde_json::Map::new();
        let mut expressions = Vec::new();
        let mut reqs = self.reqs.clone();
        reqs.sort_by(|a, b| req_key(a).cmp(req_key(b)));
        for r in reqs {
            let (key, op, mut values) = match r {
                Req::Eq(k, v) => {
                    match_labels.insert(k, Value::String(v));
                    continue;
                }
                Req::NotEq(..) => return Err("\"!=\" is not a valid label selector operator".into()),
                Req::In(k, vs) => (k, "In", vs),
                Req::NotIn(k, vs) => (k, "NotIn", vs),
                Req::Exists(k) => (k, "Exists", Vec::new()),
                Req::NotExists(k) => (k, "DoesNotExist", Vec::new()),
            };
            values.sort();
            values.dedup();
            let mut e = serde_json::json!({"key": key, "operator": op});
            if !values.is_empty() {
                e["values"] = serde_json::json!(values);
            }
            expressions.push(e);
        }
        let mut out = serde_json::Map::new();
        if !match_labels.is_empty() {
            out.insert("matchLabels".into(), Value::Object(match_labels));
        }
        if !expressions.is_empty() {
            out.insert("matchExpressions".into(), Value::Array(expressions));
        }
        Ok(Value::Object(out))
    }

    /// Builds the selector of a `metav1.LabelSelector` object (`spec.selector`).
    pub fn from_label_selector(sel: &Value) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        for (k, v) in sel.map_at("matchLabels") {
            reqs.push(Req::Eq(k, v));
        }
        for e in sel.array_at("matchExpressions") {
            let key = e.str_at("key").to_string();
            let values: Vec<String> =
                e.array_at("values").iter().filter_map(|v| v.as_str().map(String::from)).collect();
            reqs.push(match e.str_at("operator") {
                "In" => Req::In(key, values),
                "NotIn" => Req::NotIn(key, values),
                "Exists" => Req::Exists(key),
                "DoesNotExist" => Req::NotExists(key),
                op => return Err(format!("{op:?} is not a valid label selector operator")),
            });
        }
        Ok(Selector { reqs })
    }

    /// The `-l`-style text of this selector, as `describe` prints `Selector:`.
    pub fn to_string_form(&self) -> String {
        let parts: Vec<String> = self
            .reqs
            .iter()
            .map(|r| match r {
                Req::Eq(k, v) => format!("{k}={v}"),
                Req::NotEq(k, v) => format!("{k}!={v}"),
                Req::In(k, vs) => format!("{k} in ({})", sorted(vs).join(",")),
                Req::NotIn(k, vs) => format!("{k} notin ({})", sorted(vs).join(",")),
                Req::Exists(k) => k.clone(),
                Req::NotExists(k) => format!("!{k}"),
            })
            .collect();
        if parts.is_empty() {
            "<none>".to_string()
        } else {
            parts.join(",")
        }
    }
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

/// Splits on commas that are not inside parentheses.
fn split_terms(s: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth) = (Vec::new(), String::new(), 0i32);
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

fn valid_key(k: &str) -> bool {
    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
}

fn parse_term(t: &str) -> Option<Req> {
    if let Some(k) = t.strip_prefix('!') {
        let k = k.trim();
        return valid_key(k).then(|| Req::NotExists(k.to_string()));
    }
    for (op, ctor) in [("!=", 1), ("==", 0), ("=", 0)] {
        if let Some((k, v)) = t.split_once(op) {
            let (k, v) = (k.trim().to_string(), v.trim().to_string());
            if !valid_key(&k) || v.contains(['=', '!', ' ']) {
                return None;
            }
            return Some(if ctor == 1 { Req::NotEq(k, v) } else { Req::Eq(k, v) });
        }
    }
    for (op, notin) in [(" notin ", true), (" in ", false)] {
        if let Some((k, rest)) = t.split_once(op) {
            let k = k.trim().to_string();
            let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
            let vals: Vec<String> = inner.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
            if !valid_key(&k) {
                return None;
            }
            return Some(if notin { Req::NotIn(k, vals) } else { Req::In(k, vals) });
        }
    }
    valid_key(t).then(|| Req::Exists(t.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn every_form_matches() {
        let l = labels(&[("app", "nginx"), ("tier", "web")]);
        for (sel, want) in [
            ("app=nginx", true),
            ("app==nginx", true),
            ("app!=nginx", false),
            ("app in (nginx,httpd)", true),
            ("app notin (nginx)", false),
            ("tier", true),
            ("!tier", false),
            ("!missing", true),
            ("app=nginx,tier=db", false),
            ("", true),
        ] {
            assert_eq!(Selector::parse(sel).unwrap().matches(&l), want, "{sel}");
        }
    }

    #[test]
    fn rejects_nonsense() {
        assert!(Selector::parse("a=b=c").is_err());
        assert!(Selector::parse("in (x)").is_err());
    }

    #[test]
    fn object_form() {
        let sel = serde_json::json!({"matchLabels": {"app": "nginx"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["web"]}]});
        let s = Selector::from_label_selector(&sel).unwrap();
        assert!(s.matches(&labels(&[("app", "nginx"), ("tier", "web")])));
        assert!(!s.matches(&labels(&[("app", "nginx")])));
        assert_eq!(s.to_string_form(), "app=nginx,tier in (web)");
    }
}
