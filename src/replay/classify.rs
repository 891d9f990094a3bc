//! What to do with a command: run it (kubectl meaning kstate), write a file it creates from a
//! here-document, or skip it with the reason a reader would give.

use super::parse::heredoc_word;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    Run,
    /// `cat <<EOF > NAME`: the document writes a file the next commands read.
    Write {
        name: String,
        body: String,
    },
    Skip(String),
    /// `sleep N` between commands: on kstate, cluster time moves by N (`kstate advance`).
    Advance(String),
}

/// Tools a reader runs on their own machine, which kstate does not simulate.
pub(super) const HOST_TOOLS: [&str; 22] = [
    "helm",
    "minikube",
    "kind",
    "curl",
    "wget",
    "docker",
    "podman",
    "gcloud",
    "aws",
    "az",
    "eksctl",
    "kubeadm",
    "systemctl",
    "ssh",
    "scp",
    "git",
    "brew",
    "apt-get",
    "yum",
    "openssl",
    "nc",
    "k3d",
];

/// The lines of a command that are shell, not here-document bodies.
fn shell_lines(command: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut until: Option<String> = None;
    for l in command.lines() {
        if let Some(w) = &until {
            if l.trim() == w {
                until = None;
            }
            continue;
        }
        out.push(l);
        until = heredoc_word(l);
    }
    out
}

/// Shell words with operators split off (`;`, `|`, `&`, parentheses, backquotes).
pub fn words(command: &str) -> Vec<String> {
    let mut s = String::new();
    for l in shell_lines(command) {
        // A trailing `\` continues the command on the next line.
        let (l, continued) = match l.trim_end().strip_suffix('\\') {
            Some(head) => (head, true),
            None => (l, false),
        };
        for c in l.chars() {
            if ";|&()`".contains(c) {
                s.push(' ');
                s.push(c);
                s.push(' ');
            } else {
                s.push(c);
            }
        }
        s.push(if continued { ' ' } else { '\n' });
    }
    s.split_whitespace().map(|w| w.trim_matches(['"', '\'']).to_string()).collect()
}

fn is_kube(w: &str) -> bool {
    w == "kubectl" || w == "kstate" || w.ends_with("/kubectl") || w.ends_with("/kstate")
}

/// The arguments of every kubectl invocation in the command.
pub fn invocations(command: &str) -> Vec<Vec<String>> {
    let w = words(command);
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() {
        if is_kube(&w[i]) {
            let mut args = Vec::new();
            i += 1;
            while i < w.len() && !matches!(w[i].as_str(), ";" | "|" | "&" | ")" | "`" | "done" | ">" | ">>" | "2>&1") {
                args.push(w[i].clone());
                i += 1;
            }
            out.push(args);
        } else {
            i += 1;
        }
    }
    out
}

const VALUE_FLAGS: [&str; 9] =
    ["-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "-s", "--server", "-c"];

pub fn verb(args: &[String]) -> &str {
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if VALUE_FLAGS.contains(&a) {
            i += 2;
        } else if a.starts_with('-') {
            i += 1;
        } else {
            return a;
        }
    }
    ""
}

fn short_has(args: &[String], c: char, long: &str) -> bool {
    args.iter().take_while(|a| *a != "--").any(|a| {
        a == long
            || (a.starts_with('-')
                && !a.starts_with("--")
                && a.len() <= 4
                && a[1..].chars().all(|x| x.is_ascii_alphabetic())
                && a.contains(c))
    })
}

fn skip_reason(args: &[String]) -> Option<String> {
    let v = verb(args);
    let before_dashes = || args.iter().take_while(|a| *a != "--");
    let watch = before_dashes().any(|a| {
        a == "-w" || a == "--watch" || a == "--watch-only" || (a.starts_with("--watch") && !a.ends_with("=false"))
    });
    if watch {
        return Some("`-w` watches until interrupted (another terminal)".into());
    }
    // `create --edit`, `apply edit-last-applied`: an editor waits for the reader.
    if let Some(a) = before_dashes().find(|a| matches!(a.as_str(), "--edit" | "--edit=true" | "edit-last-applied")) {
        return Some(format!("`kubectl {v} {a}` opens an interactive editor"));
    }
    match v {
        "port-forward" | "proxy" => return Some(format!("`kubectl {v}` runs until interrupted")),
        "edit" => return Some("`kubectl edit` opens an interactive editor".into()),
        "attach" => return Some("`kubectl attach` is an interactive session".into()),
        "logs" if before_dashes().any(|a| a == "-f" || a == "--follow") => {
            return Some("`kubectl logs -f` follows the log until interrupted".into())
        }
        _ => {}
    }
    match interactive_shell(args) {
        Some(Session::Bare) => Some("an interactive session (`-it` without a command)".into()),
        Some(Session::Shell(sh)) if v == "exec" => {
            Some(format!("opens a shell (`-it ... -- {sh}`); the commands typed in it run with `kubectl exec`"))
        }
        Some(Session::Shell(sh)) => Some(format!("an interactive shell (`-it ... -- {sh}`)")),
        None => None,
    }
}

enum Session {
    /// `-it` without a command.
    Bare,
    /// `-it ... -- bash`.
    Shell(String),
}

fn interactive_shell(args: &[String]) -> Option<Session> {
    let interactive = short_has(args, 'i', "--stdin") && short_has(args, 't', "--tty");
    if !interactive || !matches!(verb(args), "exec" | "run" | "attach" | "debug") {
        return None;
    }
    let after: Vec<&String> = args.iter().skip_while(|a| *a != "--").skip(1).collect();
    let shell = |s: &str| matches!(s.rsplit('/').next(), Some("sh" | "bash" | "ash" | "zsh"));
    match after.as_slice() {
        [] => Some(Session::Bare),
        [one] if shell(one) => Some(Session::Shell(one.to_string())),
        _ => None,
    }
}

/// Whether the command opens an interactive shell the next lines are typed in: `Some(Some(exec))`
/// for `kubectl exec -it POD -- bash` (exec: the same command without `-it` and the shell, to run
/// each typed command with), `Some(None)` for a shell replay cannot enter (`kubectl run -it`).
pub fn opened_shell(command: &str) -> Option<Option<String>> {
    let calls = invocations(command);
    let [args] = calls.as_slice() else { return None };
    let Session::Shell(_) = interactive_shell(args)? else { return None };
    if verb(args) != "exec" {
        return Some(None);
    }
    let kept: Vec<&str> = args
        .iter()
        .take_while(|a| *a != "--")
        .map(String::as_str)
        .filter(|a| !matches!(*a, "-i" | "-t" | "-it" | "-ti" | "--stdin" | "--tty" | "--stdin=true" | "--tty=true"))
        .collect();
    Some(Some(format!("kubectl {}", kept.join(" "))))
}

/// Package managers a container's shell may be asked to run that kstate's images lack (Debian
/// images run `apt` and `apt-get`, see docs/containers.md).
const PACKAGE_MANAGERS: [&str; 5] = ["apk", "yum", "dnf", "pip", "pip3"];

/// What to do with a command typed in a container's shell.
pub fn plan_in_pod(command: &str) -> Plan {
    let w = words(command);
    match w.iter().find(|x| PACKAGE_MANAGERS.contains(&x.as_str())) {
        Some(pm) => {
            Plan::Skip(format!("`{pm}` installs packages; kstate's containers have only their image's programs"))
        }
        None => Plan::Run,
    }
}

/// Shell builtins that only print or set variables, run as the document shows them.
const SHELL_BUILTINS: [&str; 6] = ["export", "unset", "alias", "echo", "printf", "set"];

fn write_plan(command: &str) -> Option<Plan> {
    let first = command.lines().next()?;
    let word = heredoc_word(first)?;
    let ws: Vec<&str> = first.split_whitespace().collect();
    if ws.first() != Some(&"cat") {
        return None;
    }
    let name = ws.iter().enumerate().find_map(|(k, w)| match w.strip_prefix('>') {
        Some("") => ws.get(k + 1).map(|n| n.to_string()),
        Some(n) if !n.starts_with('>') => Some(n.to_string()),
        _ => None,
    })?;
    let safe = !name.starts_with('/') && !name.split('/').any(|p| p == "..") && !name.contains('$');
    if !safe {
        return None;
    }
    let body: Vec<&str> = command.lines().skip(1).take_while(|l| l.trim() != word).collect();
    let mut body = body.join("\n");
    body.push('\n');
    if expands(first) && body.contains(['$', '`']) {
        // `lastTransitionTime: "$(date -u ...)"`: the reader's shell expands an unquoted
        // here-document, so the shell writes the file.
        return Some(Plan::Run);
    }
    Some(Plan::Write { name, body })
}

/// Whether the here-document this line starts is expanded (its delimiter is not quoted).
fn expands(line: &str) -> bool {
    let Some(i) = line.find("<<") else { return false };
    let rest = line[i + 2..].trim_start_matches('-').trim_start();
    !rest.starts_with(['\'', '"', '\\'])
}

pub fn plan(command: &str) -> Plan {
    let w = words(command);
    let mut first =
        w.iter().map(String::as_str).skip_while(|x| *x == "sudo" || (x.contains('=') && !x.starts_with('-')));
    let first = first.next().unwrap_or("");
    if HOST_TOOLS.contains(&first) {
        return Plan::Skip(format!("`{first}` is a tool kstate does not simulate"));
    }
    let calls = invocations(command);
    if calls.is_empty() {
        if first.is_empty() || SHELL_BUILTINS.contains(&first) {
            // Assignments (`POD=web-0`), `export NS=demo`, `echo $POD`.
            return Plan::Run;
        }
        if let Some(p) = write_plan(command) {
            return p;
        }
        // `sleep $grace`: a duration the document read from the cluster (the shell expands it).
        let variable = |v: &str| {
            let name = v.strip_prefix("${").and_then(|n| n.strip_suffix('}')).or_else(|| v.strip_prefix('$'));
            name.is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        };
        if first == "sleep" && w.len() == 2 && (crate::clock::parse_duration(&w[1]).is_some() || variable(&w[1])) {
            return Plan::Advance(w[1].clone());
        }
        return Plan::Skip(match first {
            "sleep" => "`sleep` with a duration replay does not read".into(),
            "watch" => "`watch` runs until interrupted".into(),
            _ => format!("`{first}` runs on the host; replay runs kubectl commands"),
        });
    }
    if first == "watch" {
        return Plan::Skip("`watch` runs until interrupted".into());
    }
    if let Some(head) = endless_loop(&w).filter(|_| calls.iter().any(|a| attached(a))) {
        return Plan::Skip(format!("`{head}` in an attached container loops until interrupted (Ctrl+C)"));
    }
    calls.iter().find_map(|a| skip_reason(a)).map_or(Plan::Run, Plan::Skip)
}

/// Whether kubectl stays attached to the container's process: `exec`, `run -i` / `--attach`.
fn attached(args: &[String]) -> bool {
    match verb(args) {
        "exec" => true,
        "run" => short_has(args, 'i', "--stdin") || args.iter().any(|a| a == "--attach" || a == "--attach=true"),
        _ => false,
    }
}

/// The head of a loop that never ends by itself (`while true`, `while :`, `while sleep 1`) when
/// nothing in the command leaves it (`break`, `exit`).
fn endless_loop(w: &[String]) -> Option<String> {
    let leaves = w.iter().any(|x| x == "break" || x == "exit");
    let k = w.windows(2).position(|p| p[0] == "while" && matches!(p[1].as_str(), "true" | ":" | "sleep"))?;
    (!leaves).then(|| w[k..(k + 3).min(w.len())].join(" ").replace(" ;", ""))
}

/// Whether the command only reads what depends on the cluster converging (`get`, `describe`,
/// `rollout status`, `logs`): on a real cluster it may be tried again until its output matches.
pub fn waits_for_convergence(command: &str) -> bool {
    let calls = invocations(command);
    !calls.is_empty()
        && calls.iter().all(|args| match verb(args) {
            "get" | "describe" | "logs" => true,
            "rollout" => args.iter().any(|a| a == "status"),
            _ => false,
        })
}

/// Values of `-f`/`--filename` in every kubectl invocation.
pub fn manifest_args(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    for args in invocations(command) {
        let mut i = 0;
        while i < args.len() && args[i] != "--" {
            let a = &args[i];
            if a == "-f" || a == "--filename" {
                if let Some(v) = args.get(i + 1) {
                    out.push(v.clone());
                }
                i += 2;
                continue;
            }
            if let Some(v) = a.strip_prefix("--filename=").or_else(|| a.strip_prefix("-f=")) {
                out.push(v.to_string());
            } else if let Some(v) = a.strip_prefix("-f").filter(|v| !v.is_empty() && !a.starts_with("--")) {
                out.push(v.to_string());
            }
            i += 1;
        }
    }
    out.retain(|v| v != "-");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_kubectl_and_shell_around_it() {
        assert_eq!(plan("kubectl get pods"), Plan::Run);
        assert_eq!(plan("for i in 0 1; do kubectl exec web-$i -- hostname; done"), Plan::Run);
        assert_eq!(plan("kubectl describe pod web-1 | grep ClaimName"), Plan::Run);
        assert_eq!(plan("kubectl exec -it web-0 -- ls /data"), Plan::Run);
        assert_eq!(plan("sleep 30"), Plan::Advance("30".into()));
        assert_eq!(plan("sleep $grace"), Plan::Advance("$grace".into()));
        assert_eq!(plan("sleep ${grace}"), Plan::Advance("${grace}".into()));
        assert!(matches!(plan("sleep $(date)"), Plan::Skip(_)));
    }

    #[test]
    fn skips_with_reasons() {
        for (c, why) in [
            ("kubectl get pods -w -l app=nginx", "watches"),
            ("kubectl get pods --watch", "watches"),
            (
                r#"kubectl run l --image=mysql:5.7 -i -t --rm -- bash -ic "while sleep 1; do mysql -e 'SELECT 1'; done""#,
                "loops until interrupted",
            ),
            ("kubectl exec web-0 -- sh -c 'while true; do date; sleep 1; done'", "loops until interrupted"),
            ("kubectl exec -it web-0", "interactive session"),
            ("kubectl exec -ti web-0 -- sh", "opens a shell"),
            ("helm install x y", "helm"),
            ("minikube start", "minikube"),
            ("curl http://localhost", "curl"),
            ("kubectl port-forward svc/nginx 80", "until interrupted"),
            ("kubectl create --edit -f /tmp/srv.yaml", "`kubectl create --edit` opens an interactive editor"),
            ("kubectl apply edit-last-applied deploy/nginx", "editor"),
        ] {
            match plan(c) {
                Plan::Skip(r) => assert!(r.contains(why), "{c}: {r}"),
                other => panic!("{c}: {other:?}"),
            }
        }
    }

    #[test]
    fn continuation_lines_join_the_command() {
        let c = "kubectl run -it --rm --restart=Never bb --image=busybox -- \\\n  sh";
        assert!(matches!(plan(c), Plan::Skip(r) if r.contains("interactive shell")));
        let c = "kubectl run -i --rm --restart=Never bb --image=busybox --\\\n  sh -c 'echo hi'";
        assert_eq!(plan(c), Plan::Run);
        assert_eq!(opened_shell(c), None);
    }

    #[test]
    fn shells_the_next_lines_are_typed_in() {
        assert_eq!(
            opened_shell("kubectl exec -it -n demo web-0 -c nginx -- /bin/bash"),
            Some(Some("kubectl exec -n demo web-0 -c nginx".into()))
        );
        assert_eq!(opened_shell("kubectl run -it --rm x --image=busybox -- sh"), Some(None));
        assert_eq!(opened_shell("kubectl exec -it web-0 -- ls"), None);
        assert_eq!(plan_in_pod("curl localhost"), Plan::Run);
        assert_eq!(plan_in_pod("apt update && apt install -y curl"), Plan::Run);
        assert!(matches!(plan_in_pod("apk add curl"), Plan::Skip(r) if r.contains("`apk`")));
    }

    #[test]
    fn assignments_and_builtins_run() {
        assert_eq!(plan("grace=$(kubectl get pods -o name)"), Plan::Run);
        assert_eq!(plan("POD_NAME=web-0"), Plan::Run);
        assert_eq!(plan("export NS=demo"), Plan::Run);
        assert_eq!(plan("echo $grace"), Plan::Run);
        assert!(matches!(plan("git clone x"), Plan::Skip(_)));
    }

    #[test]
    fn reads_that_wait_for_convergence() {
        assert!(waits_for_convergence("kubectl get pods -l app=nginx"));
        assert!(waits_for_convergence("kubectl rollout status sts/web"));
        assert!(waits_for_convergence("kubectl describe pvc x | grep Status"));
        assert!(!waits_for_convergence("kubectl delete pod web-0"));
        assert!(!waits_for_convergence("kubectl get pods; kubectl scale sts web --replicas=3"));
        assert!(!waits_for_convergence("echo hi"));
    }

    #[test]
    fn writes_heredoc_files() {
        let p = plan("cat <<EOF > web.yaml\napiVersion: v1\nEOF");
        assert_eq!(p, Plan::Write { name: "web.yaml".into(), body: "apiVersion: v1\n".into() });
        assert!(matches!(plan("cat <<EOF > /etc/passwd\nx\nEOF"), Plan::Skip(_)));
        // An unquoted delimiter: the shell expands the body, so the shell writes the file.
        assert_eq!(plan("cat <<EOF > patch.yaml\nt: \"$(date -u)\"\nEOF"), Plan::Run);
        let quoted = plan("cat <<'EOF' > patch.yaml\nt: $(date)\nEOF");
        assert_eq!(quoted, Plan::Write { name: "patch.yaml".into(), body: "t: $(date)\n".into() });
    }

    #[test]
    fn finds_manifest_names() {
        assert_eq!(manifest_args("kubectl create -f statefulset.yaml"), ["statefulset.yaml"]);
        assert_eq!(manifest_args("kubectl apply --filename=a.yaml -f b/c.yaml"), ["a.yaml", "b/c.yaml"]);
        assert!(manifest_args("kubectl apply -f - <<EOF\nkind: x -f y\nEOF").is_empty());
        assert!(manifest_args("kubectl exec web-0 -- tail -f /x").is_empty());
    }
}
