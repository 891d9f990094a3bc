//! The shell's lexer, parser and interpreter on generated scripts: every script ends with an
//! exit status, none panics.

use super::Pod;

#[rustfmt::skip]
const SCRIPT: &[&str] = &[
    "echo", " ", "$(", ")", "`", "'", "\"", "|", "&&", "||", ";", "\n", "for i in 1 2; do ", "done", "if true; then ",
    "fi", "while false; do ", "case x in ", "x) ", ";;", "esac", "${x:-y}", "${#x}", "$((1+2))", "$((1/0))", "<<EOF\n",
    "EOF\n", ">", ">>", "<", "/tmp/f", "cat", "printf %5s ", "{ ", "}", "(", ")", "*", "~", "\\", "#", "x=1 ",
    "$x", "$@", "set -e", "f() { f; }", "f", "eval ", "sh -c ", "wc -c", "head -c 9", "/dev/zero", "grep -r x /proc",
    "2>&1", "&", "!", "exit 3", "read v", "shift", "test -n", "[ 1 -lt 2 ]",
];

#[test]
fn generated_scripts_end_with_a_status() {
    crate::fuzz::run("shell", 6, SCRIPT, 14, |_, script| {
        let mut pod = Pod::busybox();
        let out = pod.sh(script);
        assert!((0..=255).contains(&out.code), "{script:?} ended with {}", out.code);
    });
}

/// Found by the generator: a Unicode space is part of a word (only space, tab and newline are
/// blanks), not a word boundary the lexer never steps over.
#[test]
fn a_unicode_space_is_part_of_a_word() {
    let mut pod = Pod::busybox();
    let out = pod.sh("\u{2005}x; echo done");
    assert_eq!(super::all(&out), ("done\n".into(), "sh: \u{2005}x: not found\n".into(), 0));
}

/// Found by the generator: `grep -r` read 64 MiB from each device; GNU grep skips them.
#[test]
fn grep_r_skips_devices() {
    let mut pod = Pod::busybox();
    let started = std::time::Instant::now();
    let out = pod.sh("grep -r -l x /dev; echo $?");
    assert_eq!(super::all(&out), ("1\n".into(), String::new(), 0));
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
}
