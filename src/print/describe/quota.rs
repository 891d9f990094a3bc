//! `describeQuota`, `describeLimitRange`, and the quota and limit sections of `describeNamespace`
//! (`DescribeResourceQuotas`, `DescribeLimitRanges`). kubectl ranges over Go maps for a limit
//! item's resources, in no fixed order; kstate lists them in name order.

use std::collections::BTreeSet;

use serde_json::Value;

use super::common::Writer;
use crate::api::quantity::Quantity;
use crate::api::quota::{self, Usage};
use crate::api::ObjectExt;

/// `helpTextForResourceQuotaScope`.
fn scope_help(scope: &str) -> Option<&'static str> {
    Some(match scope {
        "Terminating" => "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.",
        "NotTerminating" => "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.",
        "BestEffort" => "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.",
        "NotBestEffort" => "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.",
        _ => return None,
    })
}

fn scopes(q: &Value) -> Vec<String> {
    let mut s: Vec<String> = q.array_at("spec.scopes").iter().filter_map(Value::as_str).map(str::to_string).collect();
    s.sort();
    s
}

fn used_of(used: &Usage, name: &str) -> Quantity {
    used.get(name).copied().unwrap_or_else(Quantity::zero)
}

pub fn describe_quota(q: &Value) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", q.name()));
    w.line(0, &format!("Namespace:\t{}", q.namespace()));
    let scopes = scopes(q);
    if !scopes.is_empty() {
        w.line(0, &format!("Scopes:\t{}", scopes.join(", ")));
        for help in scopes.iter().filter_map(|s| scope_help(s)) {
            w.line(0, &format!(" * {help}"));
        }
    }
    w.line(0, "Resource\tUsed\tHard");
    w.line(0, "--------\t----\t----");
    let used = quota::used(q);
    for (name, hard) in quota::hard(q) {
        let mut u = used_of(&used, &name);
        if u.format() != hard.format() {
            u = u.whole_in(hard.format());
        }
        w.line(0, &format!("{name}\t{u}\t{hard}"));
    }
    w.finish()
}

/// `describeLimitRangeSpec`: one row per item and resource, `-` for what the item leaves out.
fn limit_rows(w: &mut Writer, lr: &Value, prefix: &str) {
    const FIELDS: [&str; 5] = ["min", "max", "defaultRequest", "default", "maxLimitRequestRatio"];
    for item in lr.array_at("spec.limits") {
        let names: BTreeSet<&str> = FIELDS
            .iter()
            .filter_map(|f| item.get(*f).and_then(Value::as_object))
            .flat_map(|m| m.keys().map(String::as_str))
            .collect();
        for name in names {
            let cell = |f: &str| {
                item.get(f)
                    .and_then(|m| m.get(name))
                    .and_then(Quantity::from_json)
                    .map_or_else(|| "-".to_string(), |q| q.to_string())
            };
            let cells: Vec<String> = FIELDS.iter().map(|f| cell(f)).collect();
            w.line(0, &format!("{prefix}{}\t{name}\t{}", item.str_at("type"), cells.join("\t")));
        }
    }
}

pub fn describe_limit_range(lr: &Value) -> String {
    let mut w = Writer::new();
    w.line(0, &format!("Name:\t{}", lr.name()));
    w.line(0, &format!("Namespace:\t{}", lr.namespace()));
    w.line(0, "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio");
    w.line(0, "----\t--------\t---\t---\t---------------\t-------------\t-----------------------");
    limit_rows(&mut w, lr, "");
    w.finish()
}

/// `DescribeResourceQuotas`, quotas by name.
pub fn namespace_quotas(w: &mut Writer, quotas: &[Value]) {
    if quotas.is_empty() {
        w.line(0, "No resource quota.");
        return;
    }
    let mut sorted: Vec<&Value> = quotas.iter().collect();
    sorted.sort_by(|a, b| a.name().cmp(b.name()));
    w.line(0, "Resource Quotas");
    for q in sorted {
        w.line(1, &format!("Name:\t{}", q.name()));
        let scopes = scopes(q);
        if !scopes.is_empty() {
            w.line(1, &format!("Scopes:\t{}", scopes.join(", ")));
            for help in scopes.iter().filter_map(|s| scope_help(s)) {
                w.line(1, &format!("* {help}"));
            }
        }
        w.line(1, "Resource\tUsed\tHard");
        w.line(1, "--------\t---\t---");
        let used = quota::used(q);
        for (name, hard) in quota::hard(q) {
            w.line(1, &format!("{name}\t{}\t{hard}", used_of(&used, &name)));
        }
    }
}

/// `DescribeLimitRanges`: every item of every LimitRange in one table.
pub fn namespace_limits(w: &mut Writer, ranges: &[Value]) {
    if ranges.is_empty() {
        w.line(0, "No LimitRange resource.");
        return;
    }
    w.line(0, "Resource Limits");
    w.line(0, " Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio");
    w.line(0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------");
    for lr in ranges {
        limit_rows(w, lr, " ");
    }
}
