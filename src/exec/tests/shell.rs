//! The shell language: quoting, expansion, control flow, redirection, errors.

use super::{all, Pod};

#[test]
fn quoting_and_escapes() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok(r#"echo 'a  b' "c  d" e\ \ f"#), "a  b c  d e  f\n");
    assert_eq!(p.ok(r#"echo "it's" 'say "hi"' "\$HOME" '$HOME'"#), "it's say \"hi\" $HOME $HOME\n");
    assert_eq!(p.ok("echo a\\\nb"), "ab\n");
    assert_eq!(p.ok("echo \"\" | wc -c"), "1\n");
    assert_eq!(all(&p.sh("echo 'oops")).1, "sh: 1: Syntax error: Unterminated quoted string\n");
}

#[test]
fn dash_echo_interprets_escapes_but_gnu_echo_does_not() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok(r"echo 'a\tb'"), "a\tb\n");
    assert_eq!(p.ok(r"echo -n x; echo y"), "xy\n");
    assert_eq!(super::text(&p.exec(&["echo", r"a\tb"]).stdout), "a\\tb\n");
    assert_eq!(super::text(&p.exec(&["echo", "-e", r"a\tb"]).stdout), "a\tb\n");
    let mut b = Pod::busybox();
    assert_eq!(b.ok(r"echo 'a\tb'"), "a\\tb\n");
    assert_eq!(b.ok(r"echo -e 'a\tb'"), "a\tb\n");
}

#[test]
fn variables_and_parameters() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok("A=1; B=\"$A two\"; echo $B ${A}x"), "1 two 1x\n");
    assert_eq!(p.ok("echo ${U:-dflt} ${U-x} ${#GREETING} ${GREETING:+set}"), "dflt x 5 set\n");
    assert_eq!(p.ok("echo ${Z:=zz} $Z"), "zz zz\n");
    assert_eq!(p.ok("F=archive.tar.gz; echo ${F%.gz} ${F%%.*} ${F#*.} ${F##*.}"), "archive.tar archive tar.gz gz\n");
    assert_eq!(p.ok("false; echo $?; true; echo $?"), "1\n0\n");
    assert_eq!(
        super::text(&p.exec(&["sh", "-c", "echo $0 $1 $# \"$@\"", "me", "a b", "c"]).stdout),
        "me a b 2 a b c\n"
    );
    let o = p.sh("echo ${NOPE?is missing}");
    assert_eq!(all(&o).1, "sh: 1: NOPE: is missing\n");
    assert_eq!(o.code, 2);
}

#[test]
fn environment_of_the_container() {
    let mut p = Pod::nginx();
    let env = p.ok("env");
    assert!(
        env.starts_with(
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=web-0\nNGINX_VERSION="
        ),
        "{env}"
    );
    assert!(env.contains("GREETING=hello\n"));
    assert!(env.ends_with("HOME=/root\n"));
    assert_eq!(p.ok("X=1 env | grep ^X="), "X=1\n");
    assert_eq!(all(&p.sh("X=1; env | grep -c ^X=")), ("0\n".into(), String::new(), 1));
    assert_eq!(p.ok("export X=2; sh -c 'echo $X'"), "2\n");
    assert_eq!(p.ok("Y=3; sh -c 'echo ${Y:-unset}'"), "unset\n");
}

#[test]
fn field_splitting_and_globbing() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok("L='a   b c'; for x in $L; do echo \"[$x]\"; done"), "[a]\n[b]\n[c]\n");
    assert_eq!(p.ok("L='a   b'; for x in \"$L\"; do echo \"[$x]\"; done"), "[a   b]\n");
    assert_eq!(
        p.ok("echo /usr/share/nginx/html/*.html"),
        "/usr/share/nginx/html/50x.html /usr/share/nginx/html/index.html\n"
    );
    assert_eq!(p.ok("cd /usr/share/nginx/html && echo *dex* '*'"), "index.html *\n");
    assert_eq!(p.ok("echo /nomatch/*"), "/nomatch/*\n");
    assert_eq!(p.ok("IFS=:; set -- $(echo a:b:c); echo $2"), "b\n");
}

#[test]
fn command_substitution_and_arithmetic() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok("echo \"[$(echo hi; echo there)]\""), "[hi\nthere]\n");
    assert_eq!(p.ok("echo `echo back` $(echo $(echo nested))"), "back nested\n");
    assert_eq!(p.ok("i=3; echo $((i * 2 + 1)) $(( (1+2) % 2 )) $((i > 2 && 1)) $((0x10))"), "7 1 1 16\n");
    assert_eq!(p.ok("i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i"), "3\n");
    let o = p.sh("echo $((1/0))");
    assert_eq!(o.code, 2);
    assert!(super::text(&o.stderr).contains("division by zero"));
}

#[test]
fn control_flow() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok("if false; then echo a; elif true; then echo b; else echo c; fi"), "b\n");
    assert_eq!(p.ok("for i in 1 2 3 4; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done"), "1\n3\n");
    assert_eq!(p.ok("n=0; until [ $n = 2 ]; do n=$((n+1)); echo $n; done"), "1\n2\n");
    assert_eq!(p.ok("case web-1 in web-0) echo zero;; web-*|db) echo other;; esac"), "other\n");
    assert_eq!(p.ok("true && echo y || echo n; false && echo y || echo n"), "y\nn\n");
    assert_eq!(p.ok("! false && echo negated"), "negated\n");
    assert_eq!(p.ok("f() { echo \"f:$1\"; return 3; }; f x; echo $?"), "f:x\n3\n");
    assert_eq!(p.ok("{ echo a; echo b; } | wc -l"), "2\n");
    assert_eq!(p.ok("(cd /tmp; pwd); pwd"), "/tmp\n/\n");
    assert_eq!(p.ok("for i in 1 2; do for j in a b; do [ $j = b ] && continue 2; echo $i$j; done; done"), "1a\n2a\n");
    assert_eq!(
        p.ok("n=0; while true; do n=$((n+1)); [ $n = 2 ] && continue; [ $n = 4 ] && break; echo $n; done"),
        "1\n3\n"
    );
    assert_eq!(p.ok("while true; do for i in 1 2; do echo $i; break 2; done; done; echo out"), "1\nout\n");
    assert_eq!(p.ok("for i in 1 2; do false; done; echo $?; for i in 1; do continue; done; echo $?"), "1\n0\n");
}

#[test]
fn exit_codes() {
    let mut p = Pod::nginx();
    assert_eq!(p.sh("exit 3").code, 3);
    assert_eq!(p.sh("exit 300").code, 44);
    assert_eq!(p.sh("false").code, 1);
    assert_eq!(p.sh("echo a; (exit 5); echo $?").stdout, b"a\n5\n");
    assert_eq!(p.sh("set -e; false; echo not reached").stdout, b"");
    assert_eq!(p.sh("set -e; false || true; echo reached").stdout, b"reached\n");
    assert_eq!(p.sh("false | true").code, 0);
    assert_eq!(p.sh("true | false").code, 1);
}

#[test]
fn redirections() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok("echo one > /data/f; echo two >> /data/f; cat /data/f"), "one\ntwo\n");
    assert_eq!(p.ok("cat < /data/f | wc -l"), "2\n");
    assert_eq!(p.ok("ls /nope 2>/dev/null; echo $?"), "2\n");
    assert_eq!(p.ok("ls /nope 2>&1 | head -1"), "ls: cannot access '/nope': No such file or directory\n");
    assert_eq!(
        p.ok("ls /nope > /data/out 2>&1; cat /data/out"),
        "ls: cannot access '/nope': No such file or directory\n"
    );
    assert_eq!(p.ok("echo err >&2 2>/dev/null; echo ok"), "ok\n");
    assert_eq!(p.ok("echo to-stdout > /dev/stdout"), "to-stdout\n");
    assert_eq!(p.ok("> /data/empty; wc -c < /data/empty"), "0\n");
    assert_eq!(p.ok("while read l; do echo \"<$l>\"; done < /data/f"), "<one>\n<two>\n");
    let o = p.sh("cat < /nope");
    assert_eq!(all(&o), (String::new(), "sh: 1: cannot open /nope: No such file\n".into(), 2));
    let o = p.sh("echo x > /nodir/f");
    assert_eq!(all(&o), (String::new(), "sh: 1: cannot create /nodir/f: Directory nonexistent\n".into(), 2));
    let o = p.sh("echo x > /data");
    assert_eq!(all(&o).1, "sh: 1: cannot create /data: Is a directory\n");
    let mut b = Pod::busybox();
    assert_eq!(all(&b.sh("cat < /nope")).1, "sh: can't open '/nope': No such file or directory\n");
    assert_eq!(b.sh("cat < /nope").code, 1);
}

#[test]
fn here_documents() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok("cat <<EOF\nhello $HOSTNAME\nEOF\necho after"), "hello web-0\nafter\n");
    assert_eq!(p.ok("cat <<'EOF'\n$HOSTNAME\nEOF"), "$HOSTNAME\n");
    assert_eq!(p.ok("cat <<-EOF > /data/h\n\tindented\n\tEOF\ncat /data/h"), "indented\n");
}

#[test]
fn syntax_errors() {
    let mut p = Pod::nginx();
    let o = p.sh("if true; then echo x");
    assert_eq!(all(&o), (String::new(), "sh: 1: Syntax error: end of file unexpected (expecting \"fi\")\n".into(), 2));
    assert_eq!(all(&p.sh("done")).1, "sh: 1: Syntax error: \"done\" unexpected\n");
    assert_eq!(all(&p.sh("echo a;;")).1, "sh: 1: Syntax error: \";;\" unexpected\n");
    let mut b = Pod::busybox();
    assert_eq!(all(&b.sh("if true; then echo x")).1, "sh: syntax error: unexpected end of file (expecting \"fi\")\n");
}

#[test]
fn shell_invocations() {
    let mut p = Pod::nginx();
    assert_eq!(super::text(&p.exec_in(&["sh"], "echo from-stdin").stdout), "from-stdin\n");
    p.ok("printf '#!/bin/sh\\necho script $1\\n' > /data/s.sh; chmod +x /data/s.sh");
    assert_eq!(p.ok("/data/s.sh arg"), "script arg\n");
    assert_eq!(p.ok("sh /data/s.sh x"), "script x\n");
    assert_eq!(super::text(&p.exec(&["/data/s.sh", "direct"]).stdout), "script direct\n");
    assert_eq!(p.sh("chmod -x /data/s.sh; /data/s.sh").code, 126);
    assert_eq!(all(&p.exec(&["sh", "-c"])).1, "sh: 0: -c requires an argument\n");
    assert_eq!(p.ok("cd /data && pwd && cd - >/dev/null && pwd"), "/data\n/\n");
    assert_eq!(all(&p.sh("cd /nope")), (String::new(), "sh: 1: cd: can't cd to /nope\n".into(), 2));
    assert_eq!(p.ok("command -v ls; type cd"), "/usr/bin/ls\ncd is a shell builtin\n");
    assert_eq!(p.ok("which sh ls"), "/usr/bin/sh\n/usr/bin/ls\n");
    assert_eq!(p.ok("eval 'echo $((1+1))'"), "2\n");
}

#[test]
fn test_builtin() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok("[ -d /data ] && [ -f /etc/passwd ] && [ ! -e /nope ] && [ -L /bin ] && echo y"), "y\n");
    assert_eq!(
        p.ok("[ abc = abc ] && [ 3 -gt 2 ] && [ -z '' ] && [ -n x ] && test 1 -le 1 -a 2 -ne 3 && echo y"),
        "y\n"
    );
    assert_eq!(p.sh("[ 1 = 2 ]").code, 1);
    let o = p.sh("[ 1 = 1");
    assert_eq!(all(&o), (String::new(), "sh: 1: [: missing ]\n".into(), 2));
    assert_eq!(p.sh("[ a -lt 2 ]").code, 2);
}

#[test]
fn bash_indexed_arrays_take_arithmetic_subscripts() {
    // kubernetes.io's Indexed Job maps its index to a word: `items=(...)`, `${items[$INDEX]}`.
    let mut p = Pod::nginx();
    let script = "items=(foo bar baz qux xyz)\ni=3\necho ${items[$i]} ${items[i+1]} ${items[0]} $items \"${items[9]}\"\nL=(a\n  b)\necho ${L[1]}\n";
    let out = p.exec(&["bash", "-c", script]);
    assert_eq!(super::text(&out.stderr), "");
    assert_eq!(super::text(&out.stdout), "qux xyz foo foo \nb\n");
}

#[test]
fn busybox_rev_reverses_each_line() {
    let mut p = Pod::busybox();
    p.ok("printf 'qux\nab' > /tmp/data.txt");
    assert_eq!(
        all(&p.sh("rev /tmp/data.txt; rev /nope")),
        ("xuq\nba\n".into(), "rev: /nope: No such file or directory\n".into(), 1)
    );
}

#[test]
fn bash_conditional_command_with_regex_captures_and_file_reads() {
    let mut p = Pod::nginx();
    p.ok("printf 'mysql-bin.000001\\t154\\n' > /tmp/info");
    let script = r#"[[ web-12 =~ -([0-9]+)$ ]] && echo ord=${BASH_REMATCH[1]}
[[ `cat /tmp/info` =~ ^(.*?)[[:space:]]+(.*?)$ ]] && echo "${BASH_REMATCH[1]}|${BASH_REMATCH[2]}"
[[ -f /tmp/info && "x$(</tmp/info)" != "x" ]] && echo nonempty
[[ -d /nope ]] || echo missing
[[ 3 -eq 4 ]]; echo $?
"#;
    let out = p.exec(&["bash", "-c", script]);
    assert_eq!(super::text(&out.stderr), "");
    assert_eq!(super::text(&out.stdout), "ord=12\nmysql-bin.000001|154\nnonempty\nmissing\n1\n");
    assert_eq!(all(&p.sh("[[ -d / ]]")).1, "sh: 1: [[: not found\n");
}
