//! `kstate tree`: an ownership tree as the kubectl-tree plugin draws it (`├─`, `└─`, `│ `),
//! one object a row, with its Ready condition, status and age.

use serde_json::Value;

use crate::api::ObjectExt;
use crate::clock::Instant;
use crate::print::age::age;
use crate::print::tabwriter::{align, TABLE};

/// An object and the objects below it.
pub struct Node {
    pub object: Value,
    pub children: Vec<Node>,
}

/// The Ready condition's status and reason (`-` and "" when there is none).
fn ready(obj: &Value) -> (String, String) {
    let cond = obj.array_at("status.conditions").iter().find(|c| c.str_at("type") == "Ready");
    match cond {
        Some(c) => (c.str_at("status").to_string(), c.str_at("reason").to_string()),
        None => ("-".to_string(), String::new()),
    }
}

/// The table: NAMESPACE, NAME (with the tree drawn before `Kind/name`), READY, REASON, STATUS, AGE.
pub fn render(root: &Node, now: Instant) -> String {
    let mut rows = vec!["NAMESPACE\tNAME\tREADY\tREASON\tSTATUS\tAGE".to_string()];
    walk(root, "", "", now, &mut rows);
    let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
    align(&text, TABLE)
}

/// `branch` is drawn before this node's name; `indent` before its children's branches.
fn walk(node: &Node, branch: &str, indent: &str, now: Instant, rows: &mut Vec<String>) {
    let o = &node.object;
    let (ready, reason) = ready(o);
    let status = o.str_at("status.phase");
    rows.push(format!(
        "{}\t{branch}{}/{}\t{ready}\t{reason}\t{status}\t{}",
        o.namespace(),
        o.kind(),
        o.name(),
        age(now, o.created())
    ));
    for (i, child) in node.children.iter().enumerate() {
        let last = i + 1 == node.children.len();
        let (mark, more) = if last { ("└─", "  ") } else { ("├─", "│ ") };
        walk(child, &format!("{indent}{mark}"), &format!("{indent}{more}"), now, rows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn leaf(kind: &str, name: &str) -> Node {
        Node { object: json!({"kind": kind, "metadata": {"name": name, "namespace": "default"}}), children: vec![] }
    }

    #[test]
    fn draws_branches_and_pipes() {
        let mut pod = leaf("Pod", "web-0");
        pod.children.push(leaf("PersistentVolumeClaim", "www-web-0"));
        let root = Node { children: vec![pod, leaf("Pod", "web-1")], ..leaf("StatefulSet", "web") };
        let text = render(&root, 0);
        let names: Vec<&str> = text
            .lines()
            .map(|l| l.split("   ").map(str::trim).filter(|c| !c.is_empty()).nth(1).unwrap_or(""))
            .collect();
        assert_eq!(
            names,
            ["NAME", "StatefulSet/web", "├─Pod/web-0", "│ └─PersistentVolumeClaim/www-web-0", "└─Pod/web-1"]
        );
    }
}
