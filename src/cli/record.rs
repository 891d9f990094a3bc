//! `--record`: the deprecated flag that writes the command line into the
//! `kubernetes.io/change-cause` annotation of what a command changes.
//!
//! kubectl composes the text in cli-runtime's `parseCommandArguments`: the program's base name,
//! then the positional arguments (subcommand names included, `--` dropped), then one
//! ` --LONGNAME=VALUE` per flag in the order typed (a short flag under its long name, a bare
//! switch as `=true`). kstate writes `kubectl` as the program name, so that the history reads
//! as the documents kstate replays show it (`kubectl set image deploy/web ...`).
//!
//! kstate takes `--record` as one hidden global flag and refuses it, with pflag's `unknown flag`,
//! on the commands that do not define it in kubectl v1.32.

use std::ffi::OsString;

use clap::{ArgAction, ArgMatches, Command};

/// The commands that have `--record` in kubectl v1.32 (cli-runtime's RecordFlags), as paths of
/// subcommand names.
const RECORDING: &[&[&str]] = &[
    &["annotate"],
    &["apply"],
    &["apply", "edit-last-applied"],
    &["autoscale"],
    &["create"],
    &["edit"],
    &["expose"],
    &["label"],
    &["patch"],
    &["replace"],
    &["run"],
    &["scale"],
    &["set", "image"],
    &["set", "resources"],
    &["set", "selector"],
    &["set", "serviceaccount"],
];

/// What `--record` asks of the command.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The flag was typed (with any value): cobra prints its deprecation notice.
    pub given: bool,
    /// The annotation's value, when the flag's value is true.
    pub cause: Option<String>,
}

/// The deprecation notice cobra prints on stderr when `--record` is set at all.
pub const DEPRECATED: &str = "Flag --record has been deprecated, --record will be removed in the future";

/// The subcommand names clap matched, outermost first.
pub fn path(matches: &ArgMatches) -> Vec<String> {
    let mut names = Vec::new();
    let mut m = matches;
    while let Some((name, sub)) = m.subcommand() {
        names.push(name.to_string());
        m = sub;
    }
    names
}

/// Whether the command at `path` defines `--record` in kubectl.
pub fn accepted(path: &[String]) -> bool {
    RECORDING.iter().any(|p| p.len() == path.len() && p.iter().zip(path).all(|(a, b)| a == b))
}

/// Whether argv names `--record` (in any form) before `--`.
pub fn asked(argv: &[OsString]) -> bool {
    let before_dashes = argv.iter().skip(1).take_while(|w| *w != "--");
    before_dashes.filter_map(|w| w.to_str()).any(|w| w == "--record" || w.starts_with("--record="))
}

/// Reads `--record` off argv (before normalization drops `--record=false`).
pub fn read(root: &Command, argv: &[OsString], value: bool) -> Record {
    let words: Vec<String> = argv.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    Record { given: asked(argv), cause: value.then(|| change_cause(root, &words)) }
}

/// The change-cause text of `words` (argv, program name first), as kubectl composes it.
pub fn change_cause(root: &Command, words: &[String]) -> String {
    let mut chain: Vec<&Command> = vec![root];
    let mut args: Vec<&str> = Vec::new();
    let mut flags = String::new();
    let mut rest = words.iter().skip(1);
    while let Some(word) = rest.next() {
        if word == "--" {
            args.extend(rest.by_ref().map(String::as_str));
            break;
        }
        if let Some(long) = word.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let arg = find(&chain, |a| a.get_long() == Some(name));
            let value = match inline {
                Some(v) => v,
                None => bare_or_next(arg, &mut rest),
            };
            push_flag(&mut flags, name, &value);
            continue;
        }
        if let Some(shorts) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
            // pflag reads `-it` as two switches and `-nfoo` / `-n=foo` / `-n foo` as a value.
            for (i, c) in shorts.char_indices() {
                let arg = find(&chain, |a| a.get_short() == Some(c));
                let name = arg.and_then(|a| a.get_long()).map(str::to_string).unwrap_or_else(|| c.to_string());
                if arg.is_some_and(takes_value) {
                    let tail = &shorts[i + c.len_utf8()..];
                    let value = match tail.strip_prefix('=').unwrap_or(tail) {
                        "" => bare_or_next(arg, &mut rest),
                        v => v.to_string(),
                    };
                    push_flag(&mut flags, &name, &value);
                    break;
                }
                push_flag(&mut flags, &name, &bare_or_next(arg, &mut rest));
            }
            continue;
        }
        let current = chain[chain.len() - 1];
        if let Some(sub) = current.find_subcommand(word) {
            chain.push(sub);
        }
        args.push(word);
    }
    let mut text = "kubectl".to_string();
    for a in args {
        text.push(' ');
        text.push_str(a);
    }
    text + &flags
}

/// kstate's own global flag (the state directory) is no part of a kubectl command line.
fn push_flag(flags: &mut String, name: &str, value: &str) {
    if name == "state-dir" {
        return;
    }
    flags.push_str(" --");
    flags.push_str(name);
    flags.push('=');
    flags.push_str(value);
}

fn find<'a>(chain: &[&'a Command], pred: impl Fn(&clap::Arg) -> bool) -> Option<&'a clap::Arg> {
    chain.iter().rev().find_map(|c| c.get_arguments().find(|a| pred(a)))
}

fn takes_value(arg: &clap::Arg) -> bool {
    !matches!(arg.get_action(), ArgAction::SetTrue | ArgAction::SetFalse | ArgAction::Count)
}

/// The value of a flag typed without `=`: `true` for a switch, the no-option default of a flag
/// such as `--dry-run` (pflag's NoOptDefVal), else the next word.
fn bare_or_next<'a>(arg: Option<&clap::Arg>, rest: &mut impl Iterator<Item = &'a String>) -> String {
    let Some(arg) = arg else { return "true".into() };
    if !takes_value(arg) {
        return "true".into();
    }
    if arg.get_num_args().is_some_and(|n| n.min_values() == 0) {
        return match arg.get_long() {
            Some("dry-run") => crate::cli::flags::DRY_RUN_BARE.into(),
            Some("validate") => "strict".into(),
            _ => "true".into(),
        };
    }
    rest.next().cloned().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cause(line: &str) -> String {
        let words: Vec<String> = line.split(' ').map(str::to_string).collect();
        change_cause(&crate::cli::full_command(), &words)
    }

    #[test]
    fn flags_follow_the_arguments_in_typed_order_under_long_names() {
        assert_eq!(
            cause("kstate set image deploy/web web=nginx:1.26 --record -n default"),
            "kubectl set image deploy/web web=nginx:1.26 --record=true --namespace=default"
        );
        assert_eq!(
            cause("kstate scale --replicas 3 sts/web --record=true --state-dir /tmp/x"),
            "kubectl scale sts/web --replicas=3 --record=true"
        );
        assert_eq!(
            cause("kstate run b --image=busybox --record -- sh -c true"),
            "kubectl run b sh -c true --image=busybox --record=true"
        );
        assert_eq!(
            cause("kstate create -f x.yaml --dry-run --record"),
            "kubectl create --filename=x.yaml --dry-run=unchanged --record=true"
        );
    }

    #[test]
    fn only_kubectls_recording_commands_accept_the_flag() {
        assert!(accepted(&["set".into(), "image".into()]));
        assert!(!accepted(&["set".into(), "env".into()]));
        assert!(!accepted(&["create".into(), "deployment".into()]));
    }
}
