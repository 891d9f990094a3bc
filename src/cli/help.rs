//! kubectl's own help: `kstate VERB --help`, `kstate VERB -h` and `kstate help VERB` print
//! kubectl v1.32's text for the verb (its description, examples, options and usage), taken from
//! the real kubectl into `src/cli/help/*.txt`. kstate's own verbs (advance, init, serve, replay,
//! tree...) keep clap's help, and so does a path kubectl has no text for.

use std::ffi::OsString;

/// The commands kstate has and kubectl does not: their help is clap's.
pub const KSTATE_ONLY: &[&str] = &["replay", "advance", "init", "profile", "node", "tree", "serve"];

/// kubectl v1.32's help, one text per command path (words joined by spaces; "" is `kubectl --help`).
const TEXTS: &[(&str, &str)] = &[
    ("", include_str!("help/kubectl.txt")),
    ("annotate", include_str!("help/annotate.txt")),
    ("api-resources", include_str!("help/api-resources.txt")),
    ("api-versions", include_str!("help/api-versions.txt")),
    ("apply", include_str!("help/apply.txt")),
    ("apply edit-last-applied", include_str!("help/apply_edit-last-applied.txt")),
    ("apply set-last-applied", include_str!("help/apply_set-last-applied.txt")),
    ("apply view-last-applied", include_str!("help/apply_view-last-applied.txt")),
    ("auth", include_str!("help/auth.txt")),
    ("auth can-i", include_str!("help/auth_can-i.txt")),
    ("autoscale", include_str!("help/autoscale.txt")),
    ("cluster-info", include_str!("help/cluster-info.txt")),
    ("cluster-info dump", include_str!("help/cluster-info_dump.txt")),
    ("completion", include_str!("help/completion.txt")),
    ("config", include_str!("help/config.txt")),
    ("config current-context", include_str!("help/config_current-context.txt")),
    ("config get-contexts", include_str!("help/config_get-contexts.txt")),
    ("config set-cluster", include_str!("help/config_set-cluster.txt")),
    ("config set-context", include_str!("help/config_set-context.txt")),
    ("config set-credentials", include_str!("help/config_set-credentials.txt")),
    ("config unset", include_str!("help/config_unset.txt")),
    ("config use-context", include_str!("help/config_use-context.txt")),
    ("config view", include_str!("help/config_view.txt")),
    ("cordon", include_str!("help/cordon.txt")),
    ("cp", include_str!("help/cp.txt")),
    ("create", include_str!("help/create.txt")),
    ("create clusterrole", include_str!("help/create_clusterrole.txt")),
    ("create clusterrolebinding", include_str!("help/create_clusterrolebinding.txt")),
    ("create configmap", include_str!("help/create_configmap.txt")),
    ("create cronjob", include_str!("help/create_cronjob.txt")),
    ("create deployment", include_str!("help/create_deployment.txt")),
    ("create ingress", include_str!("help/create_ingress.txt")),
    ("create job", include_str!("help/create_job.txt")),
    ("create namespace", include_str!("help/create_namespace.txt")),
    ("create poddisruptionbudget", include_str!("help/create_poddisruptionbudget.txt")),
    ("create priorityclass", include_str!("help/create_priorityclass.txt")),
    ("create quota", include_str!("help/create_quota.txt")),
    ("create role", include_str!("help/create_role.txt")),
    ("create rolebinding", include_str!("help/create_rolebinding.txt")),
    ("create secret", include_str!("help/create_secret.txt")),
    ("create secret docker-registry", include_str!("help/create_secret_docker-registry.txt")),
    ("create secret generic", include_str!("help/create_secret_generic.txt")),
    ("create secret tls", include_str!("help/create_secret_tls.txt")),
    ("create service", include_str!("help/create_service.txt")),
    ("create service clusterip", include_str!("help/create_service_clusterip.txt")),
    ("create service externalname", include_str!("help/create_service_externalname.txt")),
    ("create service loadbalancer", include_str!("help/create_service_loadbalancer.txt")),
    ("create service nodeport", include_str!("help/create_service_nodeport.txt")),
    ("create serviceaccount", include_str!("help/create_serviceaccount.txt")),
    ("create token", include_str!("help/create_token.txt")),
    ("debug", include_str!("help/debug.txt")),
    ("delete", include_str!("help/delete.txt")),
    ("describe", include_str!("help/describe.txt")),
    ("diff", include_str!("help/diff.txt")),
    ("drain", include_str!("help/drain.txt")),
    ("edit", include_str!("help/edit.txt")),
    ("events", include_str!("help/events.txt")),
    ("exec", include_str!("help/exec.txt")),
    ("explain", include_str!("help/explain.txt")),
    ("expose", include_str!("help/expose.txt")),
    ("get", include_str!("help/get.txt")),
    ("kustomize", include_str!("help/kustomize.txt")),
    ("label", include_str!("help/label.txt")),
    ("logs", include_str!("help/logs.txt")),
    ("patch", include_str!("help/patch.txt")),
    ("port-forward", include_str!("help/port-forward.txt")),
    ("proxy", include_str!("help/proxy.txt")),
    ("replace", include_str!("help/replace.txt")),
    ("rollout", include_str!("help/rollout.txt")),
    ("rollout history", include_str!("help/rollout_history.txt")),
    ("rollout pause", include_str!("help/rollout_pause.txt")),
    ("rollout restart", include_str!("help/rollout_restart.txt")),
    ("rollout resume", include_str!("help/rollout_resume.txt")),
    ("rollout status", include_str!("help/rollout_status.txt")),
    ("rollout undo", include_str!("help/rollout_undo.txt")),
    ("run", include_str!("help/run.txt")),
    ("scale", include_str!("help/scale.txt")),
    ("set", include_str!("help/set.txt")),
    ("set env", include_str!("help/set_env.txt")),
    ("set image", include_str!("help/set_image.txt")),
    ("set resources", include_str!("help/set_resources.txt")),
    ("set selector", include_str!("help/set_selector.txt")),
    ("set serviceaccount", include_str!("help/set_serviceaccount.txt")),
    ("set subject", include_str!("help/set_subject.txt")),
    ("taint", include_str!("help/taint.txt")),
    ("top", include_str!("help/top.txt")),
    ("top node", include_str!("help/top_node.txt")),
    ("top pod", include_str!("help/top_pod.txt")),
    ("uncordon", include_str!("help/uncordon.txt")),
    ("version", include_str!("help/version.txt")),
    ("wait", include_str!("help/wait.txt")),
];

/// kubectl's help for a command path (`"create deployment"`; `""` is the root), if it has one.
pub fn text(path: &str) -> Option<&'static str> {
    TEXTS.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
}

/// Whether argv asks for help: `help` as the first word, or `-h`/`--help` before `--`.
fn asks_help(words: &[String]) -> bool {
    words.first().is_some_and(|w| w == "help")
        || words.iter().take_while(|w| *w != "--").any(|w| w == "-h" || w == "--help")
}

/// Whether a flag word (`-n`, `--namespace`; not `--namespace=x`) consumes the next word.
fn takes_value(cmd: &clap::Command, word: &str) -> bool {
    if word.contains('=') {
        return false;
    }
    let arg = match word.strip_prefix("--") {
        Some(long) => cmd.get_arguments().find(|a| a.get_long() == Some(long)),
        None => {
            let mut chars = word.chars().skip(1);
            match (chars.next(), chars.next()) {
                (Some(short), None) => cmd.get_arguments().find(|a| a.get_short() == Some(short)),
                _ => None,
            }
        }
    };
    arg.is_some_and(|a| a.get_action().takes_values() && a.get_num_args().is_none_or(|n| n.min_values() > 0))
}

/// The command path argv names (canonical names, aliases resolved), read as cobra finds the
/// command: words that are not flags or flag values, while they name a subcommand.
fn command_path(words: &[String]) -> Option<Vec<String>> {
    let root = crate::cli::full_command();
    let mut cmd = &root;
    let mut path = Vec::new();
    let mut skip_next = false;
    for word in words.iter().take_while(|w| *w != "--") {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        if word.starts_with('-') && word.len() > 1 {
            skip_next = takes_value(cmd, word);
            continue;
        }
        match cmd.find_subcommand(word) {
            Some(sub) => {
                path.push(sub.get_name().to_string());
                cmd = sub;
            }
            // `kstate help nosuchverb`, `kstate config set-credentials -h`: a command kstate does
            // not have keeps the usual unknown-command error.
            None if path.is_empty() || cmd.has_subcommands() => return None,
            None => break,
        }
    }
    Some(path)
}

/// kubectl's help text when argv asks for help on a command kubectl has; `None` leaves argv to
/// clap (kstate's own verbs, unknown commands, no help asked).
pub fn intercept(argv: &[OsString]) -> Option<&'static str> {
    let mut words: Vec<String> = argv.iter().skip(1).map(|w| w.to_string_lossy().into_owned()).collect();
    if !asks_help(&words) {
        return None;
    }
    if words.first().is_some_and(|w| w == "help") {
        words.remove(0);
    }
    let path = command_path(&words)?;
    text(&path.join(" "))
}

/// kubectl's help for the command argv names, asked or not: cobra prints a command group's help
/// when it is run without a subcommand (`kubectl rollout`, `kubectl top`).
pub fn for_command(argv: &[OsString]) -> Option<&'static str> {
    let words: Vec<String> = argv.iter().skip(1).map(|w| w.to_string_lossy().into_owned()).collect();
    text(&command_path(&words)?.join(" "))
}

/// `help TOPIC...` where the first topic names no command at all: cobra's help command prints
/// ``Unknown help topic [`x`]`` and the root's usage on stderr, and exits 0.
pub fn unknown_topic(argv: &[OsString]) -> Option<String> {
    let words: Vec<String> = argv.iter().skip(1).map(|w| w.to_string_lossy().into_owned()).collect();
    let (first, topic) = words.split_first()?;
    if first != "help" || topic.is_empty() || topic.iter().any(|w| w.starts_with('-')) {
        return None;
    }
    let root = crate::cli::full_command();
    if root.find_subcommand(&topic[0]).is_some() {
        return None;
    }
    let listed: Vec<String> = topic.iter().map(|w| format!("`{w}`")).collect();
    let root_help = text("")?;
    let usage = &root_help[root_help.find("Basic Commands")?..];
    Some(format!("Unknown help topic [{}]\n\n\n{usage}", listed.join(" ")))
}

/// Every visible command path of the clap definition that is not kstate's own, nor under one
/// of kstate's own, and has no kubectl help text.
pub fn missing() -> Vec<String> {
    fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            let full = if path.is_empty() { sub.get_name().to_string() } else { format!("{path} {}", sub.get_name()) };
            if path.is_empty() && KSTATE_ONLY.contains(&sub.get_name()) {
                continue;
            }
            if text(&full).is_none() {
                out.push(full.clone());
            }
            walk(sub, &full, out);
        }
    }
    let mut out = Vec::new();
    if text("").is_none() {
        out.push(String::new());
    }
    walk(&crate::cli::full_command(), "", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(line: &str) -> Vec<OsString> {
        std::iter::once("kstate").chain(line.split_whitespace()).map(OsString::from).collect()
    }

    #[test]
    fn every_kubectl_verb_kstate_has_has_kubectls_help() {
        assert!(missing().is_empty(), "no kubectl help text for: {:?}", missing());
    }

    #[test]
    fn kstate_only_verbs_are_not_kubectls() {
        for verb in KSTATE_ONLY {
            assert!(!crate::cli::suggest::is_kubectl_command(verb), "{verb} is a kubectl command");
        }
    }

    #[test]
    fn the_command_path_skips_flags_and_their_values() {
        let get = text("get");
        assert_eq!(intercept(&argv("get --help")), get);
        assert_eq!(intercept(&argv("-n kube-system get pods -o wide -h")), get);
        assert_eq!(intercept(&argv("help get")), get);
        assert_eq!(
            intercept(&argv("--state-dir /tmp/x create deployment web --image=nginx -h")),
            text("create deployment")
        );
        assert_eq!(intercept(&argv("help")), text(""));
        assert_eq!(intercept(&argv("--help")), text(""));
        assert_eq!(intercept(&argv("get pods")), None);
        assert_eq!(intercept(&argv("exec web-0 -- ls -h")), None);
        assert_eq!(intercept(&argv("tree --help")), None);
        assert_eq!(intercept(&argv("help nosuchverb")), None);
        assert_eq!(intercept(&argv("config rename-context -h")), None);
        assert_eq!(intercept(&argv("create -f web.yaml -h")), text("create"));
        assert_eq!(intercept(&argv("get -n kube-system pods -h")), get);
        assert_eq!(intercept(&argv("create deploy web -h")), text("create deployment"));
    }
}
