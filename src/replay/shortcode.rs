//! Hugo shortcodes kubernetes.io uses to show an example file in a page:
//! `{{< codenew file="application/web/web.yaml" >}}`, `{{% code_sample language="yaml" file="..." %}}`.
//! The page names the file; its text comes from a local folder of examples (`--examples`).

const NAMES: [&str; 4] = ["codenew", "code_sample", "code", "codenew_nolines"];

/// The example file a shortcode on this line shows (a path relative to the examples folder).
pub fn example_file(line: &str) -> Option<String> {
    let t = line.trim();
    let inner = t
        .strip_prefix("{{<")
        .and_then(|r| r.strip_suffix(">}}"))
        .or_else(|| t.strip_prefix("{{%").and_then(|r| r.strip_suffix("%}}")))?
        .trim();
    let (name, attrs) = inner.split_once(char::is_whitespace)?;
    if !NAMES.contains(&name) {
        return None;
    }
    let at = attrs.find("file=")?;
    let value = attrs[at + 5..].trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let end = value[1..].find(quote)?;
    // kubernetes.io also writes the path from the examples folder's root: `/controllers/x.yaml`.
    let file = value[1..1 + end].strip_prefix('/').unwrap_or(&value[1..1 + end]);
    let safe = !file.is_empty() && !file.starts_with('/') && !file.split('/').any(|p| p == "..");
    safe.then(|| file.to_string())
}

/// The command a tab of `{{< tabs >}}` is named after, when it is a kubectl command whose output
/// the tab shows: `{{< tab name="kubectl describe job pi" codelang="bash" >}}`.
pub fn tab_command(line: &str) -> Option<String> {
    let inner = line.trim().strip_prefix("{{<")?.strip_suffix(">}}")?.trim();
    let attrs = inner.strip_prefix("tab ")?;
    let at = attrs.find("name=\"")?;
    let value = &attrs[at + 6..];
    let name = &value[..value.find('"')?];
    name.starts_with("kubectl ").then(|| name.to_string())
}

/// Whether this line closes a tab.
pub fn tab_end(line: &str) -> bool {
    line.trim().replace(' ', "") == "{{</tab>}}"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_named_after_commands() {
        let open = r#"{{< tab name="kubectl describe job pi" codelang="bash" >}}"#;
        assert_eq!(tab_command(open).as_deref(), Some("kubectl describe job pi"));
        assert_eq!(tab_command(r#"{{< tab name="Linux" >}}"#), None);
        assert!(tab_end("{{< /tab >}}"));
    }

    #[test]
    fn shortcodes() {
        assert_eq!(
            example_file(r#"{{< codenew file="application/web/web.yaml" >}}"#).as_deref(),
            Some("application/web/web.yaml")
        );
        assert_eq!(
            example_file(r#"  {{% code_sample language="yaml" file="pods/pod.yaml" %}}"#).as_deref(),
            Some("pods/pod.yaml")
        );
        assert_eq!(
            example_file(r#"{{% code_sample file="/controllers/job.yaml" %}}"#).as_deref(),
            Some("controllers/job.yaml")
        );
        assert_eq!(example_file(r#"{{< codenew file="//etc/passwd" >}}"#), None);
        assert_eq!(example_file(r#"{{< note >}}"#), None);
        assert_eq!(example_file(r#"{{< codenew file="../etc/passwd" >}}"#), None);
        assert_eq!(example_file("kubectl get pods"), None);
    }
}
