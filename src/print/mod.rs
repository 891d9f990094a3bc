//! Everything a user reads: tables, describe, yaml/json/name/jsonpath, ages. The core never prints.

pub mod access_table;
pub mod age;
pub mod describe;
pub mod gosort;
pub mod gosyntax;
pub mod gotemplate;
pub mod json;
pub mod jsonpath;
pub mod pod_row;
pub mod snapshot_table;
pub mod sort;
pub mod table;
pub mod tabwriter;
pub mod tree;
pub mod typed;
pub mod workload_table;
pub mod yaml;
pub mod yaml_resolve;

/// `--allow-missing-template-keys`, kubectl's printer flag for jsonpath and go-template output.
/// One setting for the whole process (as it is one flag for the whole command line), so every
/// verb's template printer sees it without each request carrying it.
static ALLOW_MISSING_TEMPLATE_KEYS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

pub fn set_allow_missing_template_keys(allow: bool) {
    ALLOW_MISSING_TEMPLATE_KEYS.store(allow, std::sync::atomic::Ordering::Relaxed);
}

pub fn allow_missing_template_keys() -> bool {
    ALLOW_MISSING_TEMPLATE_KEYS.load(std::sync::atomic::Ordering::Relaxed)
}

/// What `-o` asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFormat {
    Table,
    Wide,
    Yaml,
    Json,
    Name,
    JsonPath(String),
    JsonPathAsJson(String),
    CustomColumns(String),
    GoTemplate(String),
}

const ALLOWED: &str = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";

impl OutputFormat {
    /// Parses `-o VALUE` with kubectl's error for an unknown format (without `error: `).
    pub fn parse(value: Option<&str>) -> Result<OutputFormat, String> {
        let Some(v) = value else { return Ok(OutputFormat::Table) };
        let (name, arg) = match v.split_once('=') {
            Some((n, a)) => (n, Some(a.to_string())),
            None => (v, None),
        };
        let format = match (name, arg) {
            ("", None) => OutputFormat::Table,
            ("wide", None) => OutputFormat::Wide,
            ("yaml", None) => OutputFormat::Yaml,
            ("json", None) => OutputFormat::Json,
            ("name", None) => OutputFormat::Name,
            ("jsonpath", Some(t)) => OutputFormat::JsonPath(t),
            ("jsonpath-as-json", Some(t)) => OutputFormat::JsonPathAsJson(t),
            ("custom-columns", Some(spec)) => OutputFormat::CustomColumns(spec),
            ("go-template" | "template", Some(t)) => OutputFormat::GoTemplate(t),
            ("jsonpath-file", Some(path)) => OutputFormat::JsonPath(read_template(&path)?),
            ("go-template-file" | "templatefile", Some(path)) => OutputFormat::GoTemplate(read_template(&path)?),
            ("custom-columns-file", Some(path)) => OutputFormat::CustomColumns(columns_file(&read_template(&path)?)?),
            (
                "jsonpath" | "jsonpath-as-json" | "go-template" | "template" | "jsonpath-file" | "go-template-file"
                | "templatefile",
                None,
            ) => return Err("template format specified but no template given".into()),
            ("custom-columns" | "custom-columns-file", None) => {
                return Err("custom-columns format specified but no custom columns given".into())
            }
            _ => {
                return Err(format!(
                    "unable to match a printer suitable for the output format \"{v}\", allowed formats are: {ALLOWED}"
                ))
            }
        };
        // kubectl builds the JSONPath printer (and parses its template) before it reads anything.
        if let OutputFormat::JsonPath(t) | OutputFormat::JsonPathAsJson(t) = &format {
            jsonpath::check(t).map_err(|e| jsonpath::parse_error_message(t, &e))?;
        }
        Ok(format)
    }
}

/// The contents of a `-o *-file=PATH` template, with kubectl's error for an unreadable file.
fn read_template(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
            _ => e.to_string(),
        };
        format!("error reading template {path}, open {path}: {why}")
    })
}

/// A custom-columns file (kubectl's `NewCustomColumnsPrinterFromTemplate`): a line of headers and
/// a line of paths, whitespace separated, turned into the `HDR:path,...` spec.
fn columns_file(text: &str) -> Result<String, String> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let (Some(headers), Some(paths)) = (lines.next(), lines.next()) else {
        return Err(format!("invalid template, expected two lines, saw {}", text.lines().count()));
    };
    let headers: Vec<&str> = headers.split_whitespace().collect();
    let paths: Vec<&str> = paths.split_whitespace().collect();
    if headers.len() != paths.len() {
        return Err(format!(
            "number of headers ({}) and field specifications ({}) don't match",
            headers.len(),
            paths.len()
        ));
    }
    Ok(headers.iter().zip(&paths).map(|(h, p)| format!("{h}:{p}")).collect::<Vec<_>>().join(","))
}
