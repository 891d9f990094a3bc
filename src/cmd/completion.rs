//! `kstate completion bash|zsh|fish` and the hidden `kstate __complete -- WORDS... CURRENT` helper
//! the scripts call: commands, flags, resource types (as `kubectl api-resources` names them) and
//! object names read from the cluster (`get po <TAB>`, `get pod/<TAB>`, `exec <TAB>`).

use super::{io, Context};
use crate::api::kinds::{self, ALL};
use crate::api::ObjectExt;
use crate::{Error, Result};

const BASH: &str = r#"# bash completion for kstate                               -*- shell-script -*-
# Load with: source <(kstate completion bash)
_kstate() {
    local IFS=$'\n' prog="${COMP_WORDS[0]}"
    # Under `alias kubectl=kstate` the word typed is kubectl, and the program is kstate.
    [[ $prog == kubectl ]] && prog=kstate
    COMPREPLY=($("$prog" __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _kstate kstate
# bash looks completions up by the word typed, not the alias's expansion.
if [[ "$(alias kubectl 2>/dev/null)" == *kstate* ]]; then
    complete -o default -F _kstate kubectl
fi
"#;

const ZSH: &str = r#"#compdef kstate
# Load with: source <(kstate completion zsh)
_kstate() {
    local -a completions
    completions=("${(@f)$(${words[1]} __complete -- "${(@)words[2,$CURRENT]}" 2>/dev/null)}")
    compadd -a completions
}
compdef _kstate kstate
"#;

const FISH: &str = r#"# fish completion for kstate
# Load with: kstate completion fish | source
function __kstate_complete
    set -l words (commandline -opc) (commandline -ct)
    $words[1] __complete -- $words[2..-1] 2>/dev/null
end
complete -c kstate -f -a '(__kstate_complete)'
"#;

pub fn script(ctx: &mut Context, shell: Option<&str>) -> Result<()> {
    let text = match shell {
        Some("bash") => BASH,
        Some("zsh") => ZSH,
        Some("fish") => FISH,
        None => {
            return Err(Error::Usage { cmd: "completion".into(), msg: "Shell not specified.".into() });
        }
        Some(other) => return Err(Error::cli(format!("Unsupported shell type \"{other}\"."))),
    };
    ctx.out.write_all(text.as_bytes()).map_err(io)
}

/// Every command kstate has (sorted, `help` last), as the candidates for the first word.
const COMMANDS: [&str; 42] = [
    "advance",
    "annotate",
    "api-resources",
    "api-versions",
    "apply",
    "auth",
    "autoscale",
    "cluster-info",
    "completion",
    "config",
    "cordon",
    "cp",
    "create",
    "delete",
    "describe",
    "diff",
    "drain",
    "edit",
    "events",
    "exec",
    "explain",
    "expose",
    "get",
    "init",
    "label",
    "logs",
    "node",
    "patch",
    "profile",
    "replace",
    "replay",
    "rollout",
    "run",
    "scale",
    "serve",
    "set",
    "taint",
    "tree",
    "uncordon",
    "version",
    "wait",
    "help",
];

fn flags(verb: &str) -> &'static [&'static str] {
    match verb {
        "get" => &[
            "--all-namespaces",
            "--field-selector",
            "--label-columns",
            "--namespace",
            "--no-headers",
            "--output",
            "--output-watch-events",
            "--selector",
            "--show-labels",
            "--sort-by",
            "--template",
            "--watch",
            "--watch-only",
        ],
        "describe" => &["--all-namespaces", "--namespace", "--selector"],
        "delete" => &[
            "--all",
            "--cascade",
            "--filename",
            "--force",
            "--grace-period",
            "--ignore-not-found",
            "--namespace",
            "--output",
            "--recursive",
            "--selector",
            "--wait",
        ],
        "create" => &["--dry-run", "--filename", "--namespace", "--output", "--recursive"],
        "scale" => &["--current-replicas", "--filename", "--namespace", "--replicas"],
        "exec" => &["--container", "--namespace", "--quiet", "--stdin", "--tty"],
        "version" => &["--client", "--output"],
        "api-resources" => &["--api-group", "--namespaced", "--no-headers", "--output"],
        _ => &["--namespace"],
    }
}

/// Flags whose value is the next word.
fn takes_value(flag: &str) -> bool {
    matches!(
        flag,
        "-n" | "--namespace"
            | "-o"
            | "--output"
            | "-l"
            | "--selector"
            | "-f"
            | "--filename"
            | "--state-dir"
            | "--field-selector"
            | "--sort-by"
            | "-L"
            | "--label-columns"
            | "-c"
            | "--container"
            | "--replicas"
            | "--template"
    )
}

/// Prints the candidates for the last word of `words` (the word being completed), one per line.
pub fn complete(ctx: &mut Context, words: Vec<String>) -> Result<()> {
    let Some((cur, before)) = words.split_last() else { return Ok(()) };
    let mut verb: Option<&str> = None;
    let mut args: Vec<&str> = Vec::new();
    let mut namespace: Option<String> = None;
    let mut i = 0;
    while i < before.len() {
        let w = before[i].as_str();
        if takes_value(w) {
            if matches!(w, "-n" | "--namespace") {
                namespace = before.get(i + 1).cloned();
            }
            i += 2;
            continue;
        }
        if let Some(ns) = w.strip_prefix("--namespace=") {
            namespace = Some(ns.to_string());
        } else if !w.starts_with('-') {
            if verb.is_none() {
                verb = Some(w);
            } else {
                args.push(w);
            }
        }
        i += 1;
    }
    if let Some(ns) = namespace {
        ctx.namespace = ns;
    }
    let candidates: Vec<String> = match verb {
        None => COMMANDS.iter().map(|s| s.to_string()).collect(),
        Some(v) if cur.starts_with('-') => flags(v).iter().map(|s| s.to_string()).collect(),
        Some("completion") if args.is_empty() => vec!["bash".into(), "fish".into(), "zsh".into()],
        Some("create") => match args.as_slice() {
            [] => vec!["namespace".into(), "service".into()],
            ["service" | "svc"] => vec!["clusterip".into(), "loadbalancer".into(), "nodeport".into()],
            _ => Vec::new(),
        },
        Some("exec") if args.is_empty() => names(ctx, "pods")?,
        Some("get" | "describe" | "delete" | "scale" | "explain") => {
            if let Some((typed, _)) = cur.split_once('/') {
                names(ctx, typed)?.into_iter().map(|n| format!("{typed}/{n}")).collect()
            } else if args.is_empty() {
                let mut types: Vec<String> = ALL.iter().map(|k| k.plural.to_string()).collect();
                if matches!(verb, Some("get" | "describe")) {
                    types.push("all".into());
                }
                types.sort();
                types
            } else if args[0].contains('/') || verb == Some("explain") {
                Vec::new()
            } else {
                let first = args[0].split(',').next().unwrap_or("");
                names(ctx, first)?
            }
        }
        _ => Vec::new(),
    };
    let mut out = String::new();
    for c in candidates.into_iter().filter(|c| c.starts_with(cur.as_str())) {
        out.push_str(&c);
        out.push('\n');
    }
    ctx.out.write_all(out.as_bytes()).map_err(io)
}

/// Names of the objects of a type in the current namespace (none for an unknown type).
fn names(ctx: &mut Context, typed: &str) -> Result<Vec<String>> {
    let Some(kind) = kinds::lookup(typed) else { return Ok(Vec::new()) };
    let mut cluster = ctx.read()?;
    let ns = ctx.namespace.clone();
    let list = cluster.list(kind, Some(&ns))?;
    cluster.abandon()?;
    Ok(list.iter().map(|o| o.name().to_string()).collect())
}
