//! Everything a user reads: tables, describe, yaml/json/name/jsonpath, ages. The core never prints.

pub mod age;
pub mod describe;
pub mod json;
pub mod jsonpath;
pub mod table;
pub mod tabwriter;
pub mod yaml;
pub mod yaml_resolve;

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
            ("jsonpath" | "jsonpath-as-json", None) => {
                return Err("template format specified but no template given".into())
            }
            ("custom-columns", None) => {
                return Err("custom-columns format specified but no custom columns given".into())
            }
            _ => {
                return Err(format!(
                    "unable to match a printer suitable for the output format \"{v}\", allowed formats are: {ALLOWED}"
                ))
            }
        };
        Ok(format)
    }
}
