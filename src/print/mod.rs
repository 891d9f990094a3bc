//! Everything a user reads: tables, describe, yaml/json/name/jsonpath, ages. The core never prints.

pub mod age;
pub mod describe;
pub mod json;
pub mod jsonpath;
pub mod table;
pub mod tabwriter;
pub mod yaml;
pub mod yaml_resolve;
