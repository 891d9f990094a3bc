//! Hostile scripts end quickly and within bounds.

use super::super::{KILLED_CODE, MAX_STORED_BYTES};
use super::{all, Pod};

#[test]
fn endless_loop_is_stopped() {
    let mut p = Pod::nginx();
    let o = p.sh("while true; do :; done");
    assert_eq!(o.code, KILLED_CODE);
    assert!(super::text(&o.stderr).ends_with("kstate: command stopped: too many commands\n"));
    assert_eq!(p.sh("while :; do echo y; done").code, KILLED_CODE);
}

#[test]
fn recursion_is_bounded() {
    let mut p = Pod::nginx();
    assert_eq!(p.sh("f() { f; }; f").code, KILLED_CODE);
    assert_eq!(p.sh("f() { f | f & }; f").code, KILLED_CODE);
    assert_eq!(p.sh("echo 'sh /data/s' > /data/s; sh /data/s").code, KILLED_CODE);
    let deep = format!("{}echo{}", "$(".repeat(200), ")".repeat(200));
    assert_eq!(p.sh(&deep).code, 2);
}

#[test]
fn growing_strings_are_bounded() {
    let mut p = Pod::nginx();
    assert_eq!(p.sh("a=x; while :; do a=$a$a; done").code, KILLED_CODE);
}

#[test]
fn huge_writes_end_with_enospc() {
    let mut p = Pod::nginx();
    let o = p.sh("head -c 20G /dev/zero > /data/x");
    assert_eq!(all(&o).1, "head: error writing 'standard output': No space left on device\n");
    assert_eq!(o.code, 1);
    let size = p.ok("wc -c < /data/x").trim().parse::<u64>().unwrap();
    assert_eq!(size, MAX_STORED_BYTES);
    let o = p.sh("cat /dev/zero > /data/y");
    assert_eq!(all(&o).1, "cat: write error: No space left on device\n");
}

#[test]
fn pipes_and_output_are_bounded() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok("cat /dev/zero | head -c 5 | wc -c"), "5\n");
    let o = p.sh("seq 1 100000000");
    assert!(o.stdout.len() <= super::super::MAX_OUTPUT_BYTES);
}

#[test]
fn deep_or_long_syntax_is_refused_not_overflowed() {
    let mut p = Pod::nginx();
    let chain = vec!["true"; 5000].join(" && ");
    assert_eq!(p.sh(&chain).code, 2);
    let nested = format!("echo {}x{}", "${a:-".repeat(500), "}".repeat(500));
    assert_eq!(p.sh(&nested).code, 2);
    let parens = format!("echo $(({}1{}))", "(".repeat(5000), ")".repeat(5000));
    assert_eq!(p.sh(&parens).code, 2);
    let bangs = format!("[ {} x ]", "! ".repeat(20001));
    assert_eq!(p.sh(&bangs).code, 1);
}

#[test]
fn long_lines_do_not_exhaust_the_matcher() {
    let mut p = Pod::nginx();
    p.ok("head -c 200000 /dev/zero | tr '\\0' a > /data/long");
    assert_eq!(p.ok("grep -c 'a.*a$' /data/long"), "1\n");
    assert_eq!(p.ok("sed 's/a*/b/' /data/long"), "b\n");
    assert_eq!(p.sh("grep -E '(a|aa)*c' /data/long").code, 1);
}

#[test]
fn whole_tree_walks_end() {
    let mut p = Pod::nginx();
    p.ok("ln -s / /data/loop");
    assert!(p.sh("ls -R / > /dev/null").code == 0);
    assert!(p.ok("find / -name hostname").contains("/etc/hostname\n"));
    assert_eq!(p.ok("echo hi | tee /dev/null"), "hi\n");
}
