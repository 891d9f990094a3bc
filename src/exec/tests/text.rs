//! Text programs: cat, head, tail, wc, grep, sort, uniq, cut, tr, sed, seq, printf, tee.

use super::{all, Pod};

fn pod() -> Pod {
    let mut p = Pod::nginx();
    p.ok("printf 'b 2\\na 10\\nc 1\\na 10\\n' > /data/t");
    p
}

#[test]
fn cat_head_tail() {
    let mut p = pod();
    assert_eq!(p.ok("cat /data/t /data/t | wc -l"), "8\n");
    assert_eq!(p.ok("cat -n /data/t | head -n 1"), "     1\tb 2\n");
    assert_eq!(p.ok("head -2 /data/t; tail -n 1 /data/t; tail -n +4 /data/t"), "b 2\na 10\na 10\na 10\n");
    assert_eq!(p.ok("head -c 3 /data/t; echo; tail -c 3 /data/t"), "b 2\n10\n");
    assert_eq!(p.ok("head -n -3 /data/t"), "b 2\n");
    assert_eq!(p.ok("echo x | cat - /etc/hostname"), "x\nweb-0\n");
    assert_eq!(all(&p.sh("cat /nope")), (String::new(), "cat: /nope: No such file or directory\n".into(), 1));
    assert_eq!(all(&p.sh("cat /data")).1, "cat: /data: Is a directory\n");
    assert_eq!(all(&p.sh("head /nope")).1, "head: cannot open '/nope' for reading: No such file or directory\n");
    let mut b = Pod::busybox();
    assert_eq!(all(&b.sh("cat /nope")).1, "cat: can't open '/nope': No such file or directory\n");
}

#[test]
fn wc_counts() {
    let mut p = pod();
    assert_eq!(p.ok("wc -l /data/t"), "4 /data/t\n");
    assert_eq!(p.ok("wc /data/t"), " 4  8 18 /data/t\n");
    assert_eq!(p.ok("wc < /data/t"), "      4       8      18\n");
    assert_eq!(p.ok("echo one two | wc -w"), "2\n");
    assert_eq!(p.ok("wc -c /data/t /etc/hostname"), "18 /data/t\n 6 /etc/hostname\n24 total\n");
}

#[test]
fn grep_flags() {
    let mut p = pod();
    assert_eq!(p.ok("grep a /data/t"), "a 10\na 10\n");
    assert_eq!(p.ok("grep -c a /data/t; grep -n c /data/t; grep -v a /data/t"), "2\n3:c 1\nb 2\nc 1\n");
    assert_eq!(p.ok("grep -i A /data/t | uniq"), "a 10\n");
    assert_eq!(p.ok("grep -E '^(b|c) ' /data/t"), "b 2\nc 1\n");
    assert_eq!(p.ok("grep '^[bc] [0-9]\\+$' /data/t"), "b 2\nc 1\n");
    assert_eq!(p.ok("grep -o '[0-9][0-9]*' /data/t | head -2"), "2\n10\n");
    assert_eq!(p.ok("grep -w 1 /data/t; grep -x 'b 2' /data/t; grep -F '.' /data/t; echo $?"), "c 1\nb 2\n1\n");
    assert_eq!(p.sh("grep -q zzz /data/t").code, 1);
    assert_eq!(p.sh("grep -q b /data/t").code, 0);
    assert_eq!(p.ok("grep -r nginx /usr/share/nginx | head -1 | cut -d: -f1"), "/usr/share/nginx/html/50x.html\n");
    assert_eq!(p.ok("grep -l Welcome -r /usr/share/nginx/html"), "/usr/share/nginx/html/index.html\n");
    assert_eq!(all(&p.sh("grep x /nope")), (String::new(), "grep: /nope: No such file or directory\n".into(), 2));
    assert_eq!(all(&p.sh("grep x /data")).1, "grep: /data: Is a directory\n");
}

#[test]
fn sort_uniq_cut_tr() {
    let mut p = pod();
    assert_eq!(p.ok("sort /data/t"), "a 10\na 10\nb 2\nc 1\n");
    assert_eq!(p.ok("sort -u /data/t"), "a 10\nb 2\nc 1\n");
    assert_eq!(p.ok("sort -r /data/t | head -1"), "c 1\n");
    assert_eq!(p.ok("cut -d' ' -f2 /data/t | sort -n"), "1\n2\n10\n10\n");
    assert_eq!(p.ok("sort -k2 -n /data/t | head -1"), "c 1\n");
    assert_eq!(p.ok("sort /data/t | uniq -c"), "      2 a 10\n      1 b 2\n      1 c 1\n");
    assert_eq!(p.ok("sort /data/t | uniq -d"), "a 10\n");
    assert_eq!(p.ok("echo abcdef | cut -c2-4; echo a:b:c | cut -d: -f1,3"), "bcd\na:c\n");
    assert_eq!(p.ok("echo hello | tr a-z A-Z; echo 'a  b' | tr -s ' '; echo abc | tr -d b"), "HELLO\na b\nac\n");
    assert_eq!(p.ok("echo hello | tr '[:lower:]' '[:upper:]'"), "HELLO\n");
}

#[test]
fn sed_subset() {
    let mut p = pod();
    assert_eq!(p.ok("echo aaa | sed 's/a/b/'; echo aaa | sed 's/a/b/g'"), "baa\nbbb\n");
    assert_eq!(p.ok("echo hello world | sed 's/\\(hello\\) \\(world\\)/\\2 \\1/'"), "world hello\n");
    assert_eq!(p.ok("echo abc | sed -E 's/(b)/[\\1&]/'"), "a[bb]c\n");
    assert_eq!(p.ok("sed -n '2p' /data/t; sed '1d;3d' /data/t"), "a 10\na 10\na 10\n");
    assert_eq!(p.ok("sed -n '/^a/p' /data/t | wc -l; sed '2q' /data/t"), "2\nb 2\na 10\n");
    assert_eq!(p.ok("sed -i 's/10/ten/' /data/t && cat /data/t"), "b 2\na ten\nc 1\na ten\n");
    assert_eq!(p.ok("echo a/b | sed 's|/|-|'"), "a-b\n");
}

#[test]
fn seq_printf_tee() {
    let mut p = pod();
    assert_eq!(p.ok("seq 3; seq 2 2 6; seq -s, 1 3"), "1\n2\n3\n2\n4\n6\n1,2,3\n");
    assert_eq!(p.ok("printf '%s-%d|%5s|%-3s|%03d\\n' a 7 r l 5"), "a-7|    r|l  |005\n");
    assert_eq!(p.ok("printf '%s\\n' a b c"), "a\nb\nc\n");
    assert_eq!(p.ok("printf 'x%%y %x\\n' 255"), "x%y ff\n");
    assert_eq!(p.ok("echo hi | tee /data/a /data/b > /dev/null; cat /data/a /data/b"), "hi\nhi\n");
    assert_eq!(p.ok("echo more | tee -a /data/a; cat /data/a"), "more\nhi\nmore\n");
}

#[test]
fn small_utilities() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok("basename /a/b/c.txt .txt; dirname /a/b/c.txt; dirname c; basename /"), "c\n/a/b\n.\n/\n");
    assert_eq!(p.ok("id; whoami; pwd"), "uid=0(root) gid=0(root) groups=0(root)\nroot\n/\n");
    assert_eq!(p.ok("uname; uname -r; uname -n"), "Linux\n5.10.134-18.al8.x86_64\nweb-0\n");
    assert!(p.ok("uname -a").starts_with("Linux web-0 5.10.134-18.al8.x86_64 #1 SMP"));
    assert_eq!(p.ok("date; date +%F_%T; date -d @0 +%Y"), "Fri Nov 27 09:45:00 UTC 2026\n2026-11-27_09:45:00\n1970\n");
    assert_eq!(p.sh("sleep 1000").code, 0);
    assert_eq!(all(&p.sh("sleep x")).1, "sleep: invalid time interval 'x'\n");
    assert_eq!(p.ok("cat /etc/os-release | head -1"), "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
    assert!(p.exec(&["ps"]).is_start_failure(), "the nginx image has no procps");
    let mut b = Pod::busybox();
    assert!(b.ok("ps").contains("PID   USER     TIME  COMMAND\n"));
    assert_eq!(super::text(&p.exec(&["nginx", "-v"]).stderr), "nginx version: nginx/1.27.3\n");
}

#[test]
fn odd_input_does_not_panic() {
    let mut p = Pod::nginx();
    for script in [
        "sed -é x",
        "printf '%'",
        "printf '\\0'",
        "cut -f 0 /etc/hostname",
        "tr",
        "head -n é /etc/hostname",
        "echo ${",
        "echo $((",
        "[",
        "test ! !",
        "cd",
        "grep '[' /etc/hostname",
        "grep '\\(' /etc/hostname",
        "sed 's/x/' /etc/hostname",
        "seq 0",
        "exit 99999999999999999999",
    ] {
        let _ = p.sh(script);
    }
    let _ = p.exec(&[]);
    let _ = p.exec(&[""]);
}

#[test]
fn apt_installs_known_packages_after_update_and_only_as_root() {
    let mut p = Pod::with_image("redis:7");
    // A Debian image ships without package lists.
    let o = p.sh("apt-get install -y procps");
    assert_eq!(o.code, 100);
    assert_eq!(super::text(&o.stderr), "E: Unable to locate package procps\n");
    assert_eq!(p.sh("apt-get -qq update").code, 0);
    assert!(p.ok("apt-get install -y procps").ends_with("Setting up procps (2:4.0.2-3) ...\n"));
    assert!(p.ok("ps -ef").starts_with("UID          PID    PPID  C STIME TTY          TIME CMD\n"));
    assert_eq!(
        p.ok("ps"),
        "    PID TTY          TIME CMD\n      1 ?        00:00:00 redis-server\n     42 ?        00:00:00 ps\n"
    );
    // A second install finds it there; a package kstate cannot run is not in the lists.
    assert!(p.ok("apt-get install procps").contains("procps is already the newest version (2:4.0.2-3).\n"));
    let o = p.sh("apt-get install vim");
    assert_eq!((o.code, super::text(&o.stderr)), (100, "E: Unable to locate package vim\n".to_string()));
    assert_eq!(super::text(&p.sh("apt-get upgrade").stderr), "E: Invalid operation upgrade\n");
    // apt's locks need root.
    p.c.uid = 1000;
    let o = p.sh("apt update");
    assert_eq!(o.code, 100);
    assert!(super::text(&o.stderr).ends_with("E: Unable to lock directory /var/lib/apt/lists/\n"));
}
