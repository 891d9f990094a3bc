//! The Go types of `types.schema`, read once: what each JSON field of a served kind decodes into.

use std::sync::OnceLock;

use foldhash::{HashMap, HashMapExt};

/// The type a JSON value is decoded into.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// A Go string, or a named string type (`v1.RestartPolicy`) as errors print it.
    Str(&'static str),
    Bool,
    Int32,
    Int64,
    Float64,
    Quantity,
    IntOrString,
    Time,
    /// `[]byte`: base64 in JSON.
    Bytes,
    /// `v1.ResourceList`: a map of quantities.
    Quantities,
    /// Not checked.
    Any,
    List(Box<Ty>),
    Map(Box<Ty>),
    /// An index into [`Schema::structs`].
    Struct(usize),
}

/// A Go struct: its bare name (`PodSpec`), its printed type (`v1.PodSpec`) and its JSON fields
/// in the struct's order.
#[derive(Debug)]
pub struct Struct {
    pub name: &'static str,
    pub display: &'static str,
    pub fields: Vec<Field>,
}

/// One JSON field of a struct: its name, type and the shape Go's encoder sees.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    /// A Go pointer (`*int32`, `*PodSecurityContext`): unset is nil, a set zero is kept.
    pub pointer: bool,
    /// No `omitempty` in the json tag: an unset value is still written ("", 0, false, null).
    pub always: bool,
}

impl Struct {
    /// The field's Go (JSON) name and type; names match case-sensitively, as the server's do.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

#[derive(Debug, Default)]
pub struct Schema {
    pub structs: Vec<Struct>,
    /// `(apiVersion, kind)` → the struct a request body of that kind decodes into.
    kinds: HashMap<(&'static str, &'static str), usize>,
}

impl Schema {
    /// The struct for a request body, or None when kstate has no schema for that version.
    pub fn kind(&self, api_version: &str, kind: &str) -> Option<&Struct> {
        self.kinds.get(&(api_version, kind)).map(|&i| &self.structs[i])
    }

    /// How Go prints a type in `json: cannot unmarshal ... of type T`.
    pub fn display(&self, ty: &Ty) -> String {
        match ty {
            Ty::Str(name) => (*name).to_string(),
            Ty::Bool => "bool".into(),
            Ty::Int32 => "int32".into(),
            Ty::Int64 => "int64".into(),
            Ty::Float64 => "float64".into(),
            Ty::Quantity => "resource.Quantity".into(),
            Ty::IntOrString => "intstr.IntOrString".into(),
            Ty::Time => "v1.Time".into(),
            Ty::Bytes => "[]uint8".into(),
            Ty::Quantities => "v1.ResourceList".into(),
            Ty::Any => "interface {}".into(),
            Ty::List(t) => format!("[]{}", self.display(t)),
            Ty::Map(t) => format!("map[string]{}", self.display(t)),
            Ty::Struct(i) => self.structs[*i].display.to_string(),
        }
    }
}

const SOURCE: &str = include_str!("types.schema");

/// The schema of every served kind, parsed on first use.
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| match parse(SOURCE) {
        Ok(s) => s,
        // The file is part of the program and a unit test parses it; never user input.
        Err(e) => panic!("types.schema: {e}"),
    })
}

/// A struct while the file is read: its base (`< Other`) and fields still by type name.
struct Draft {
    name: &'static str,
    display: &'static str,
    base: Option<&'static str>,
    /// Name, type (without the pointer star), pointer, always.
    fields: Vec<(&'static str, &'static str, bool, bool)>,
}

fn parse(src: &'static str) -> Result<Schema, String> {
    let mut drafts: Vec<Draft> = Vec::new();
    let mut kind_lines = Vec::new();
    for (n, raw) in src.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("");
        if line.trim().is_empty() {
            continue;
        }
        let words: Vec<&'static str> = line.split_whitespace().collect();
        if line.starts_with(' ') {
            let (field, ty, always) = match words[..] {
                [field, ty] => (field, ty, false),
                [field, ty, "always"] => (field, ty, true),
                _ => return Err(format!("line {}: expected `field type [always]`", n + 1)),
            };
            let (ty, pointer) = match ty.strip_prefix('*') {
                Some(t) => (t, true),
                None => (ty, false),
            };
            let draft = drafts.last_mut().ok_or_else(|| format!("line {}: field outside a struct", n + 1))?;
            draft.fields.push((field, ty, pointer, always));
        } else if words[0] == "kind" {
            let [_, gv, kind, target] = words[..] else { return Err(format!("line {}: bad kind line", n + 1)) };
            kind_lines.push((gv, kind, target));
        } else {
            drafts.push(header(&words).ok_or_else(|| format!("line {}: bad struct header", n + 1))?);
        }
    }
    let index: HashMap<&str, usize> = drafts.iter().enumerate().map(|(i, d)| (d.name, i)).collect();
    let mut structs = Vec::with_capacity(drafts.len());
    for d in &drafts {
        let mut fields = Vec::new();
        let mut chain = vec![d];
        while let Some(base) = chain.last().and_then(|c| c.base) {
            chain.push(&drafts[*index.get(base).ok_or_else(|| format!("unknown base {base}"))?]);
        }
        for part in chain.iter().rev() {
            for &(name, ty, pointer, always) in &part.fields {
                fields.push(Field { name, ty: resolve(ty, &index)?, pointer, always });
            }
        }
        let name = d.display.rsplit('.').next().unwrap_or(d.display);
        structs.push(Struct { name, display: d.display, fields });
    }
    let mut kinds = HashMap::new();
    for (gv, kind, target) in kind_lines {
        kinds.insert((gv, kind), *index.get(target).ok_or_else(|| format!("unknown struct {target}"))?);
    }
    Ok(Schema { structs, kinds })
}

/// `Name [pkg.GoName] [< Base]`.
fn header(words: &[&'static str]) -> Option<Draft> {
    let (name, rest) = words.split_first()?;
    let (display, rest) = match rest.first() {
        Some(d) if *d != "<" => (*d, &rest[1..]),
        _ => (leak(format!("v1.{name}")), rest),
    };
    let base = match rest {
        [] => None,
        ["<", base] => Some(*base),
        _ => return None,
    };
    Some(Draft { name, display, base, fields: Vec::new() })
}

/// Struct display names are built once per process, for the life of the program.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn resolve(ty: &'static str, index: &HashMap<&str, usize>) -> Result<Ty, String> {
    if let Some(elem) = ty.strip_prefix("[]") {
        return Ok(Ty::List(Box::new(resolve(elem, index)?)));
    }
    if let Some(elem) = ty.strip_prefix("map[string]") {
        return Ok(Ty::Map(Box::new(resolve(elem, index)?)));
    }
    if let Some(named) = ty.strip_prefix("string@") {
        return Ok(Ty::Str(named));
    }
    Ok(match ty {
        "string" => Ty::Str("string"),
        "bool" => Ty::Bool,
        "int32" => Ty::Int32,
        "int64" => Ty::Int64,
        "float64" => Ty::Float64,
        "quantity" => Ty::Quantity,
        "intstr" => Ty::IntOrString,
        "time" => Ty::Time,
        "bytes" => Ty::Bytes,
        "quantities" => Ty::Quantities,
        "any" => Ty::Any,
        name => Ty::Struct(*index.get(name).ok_or_else(|| format!("unknown type {name}"))?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_file_parses_and_names_every_served_kind() {
        let s = schema();
        for kind in crate::api::kinds::ALL {
            assert!(s.kind(&kind.api_version(), kind.kind).is_some(), "no schema for {}", kind.kind);
        }
        let pod = s.kind("v1", "Pod").unwrap();
        assert_eq!(pod.display, "v1.Pod");
        assert_eq!(pod.field("apiVersion").map(|f| &f.ty), Some(&Ty::Str("string")));
        let hpa = s.kind("autoscaling/v2", "HorizontalPodAutoscaler").unwrap();
        assert_eq!((hpa.name, hpa.display), ("HorizontalPodAutoscaler", "v2.HorizontalPodAutoscaler"));
        let Some(Field { ty: Ty::Struct(spec), .. }) = pod.field("spec") else { panic!("spec is a struct") };
        let containers = s.structs[*spec].field("containers").unwrap();
        assert_eq!(s.display(&containers.ty), "[]v1.Container");
        assert!(containers.always && !containers.pointer);
        let grace = s.structs[*spec].field("terminationGracePeriodSeconds").unwrap();
        assert!(grace.pointer && !grace.always);
        assert_eq!(s.display(&s.structs[*spec].field("restartPolicy").unwrap().ty), "v1.RestartPolicy");
    }

    #[test]
    fn bad_lines_are_reported() {
        assert!(parse("Foo\n  a\n").is_err());
        assert!(parse("Foo\n  a Bar\n").is_err());
        assert!(parse("Foo\n  a string sometimes\n").is_err());
        assert!(parse("  a string\n").is_err());
        assert!(parse("Foo < Missing\n").is_err());
    }
}
