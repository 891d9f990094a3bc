//! Shell features and image programs scripts lean on: `wait PID` and `$!`, `exec` with
//! descriptor redirections, and `yes`, `od`, `dd`, `xargs` and `awk` in the Debian (GNU, mawk)
//! and busybox images.

use crate::harness::{assert_text, Cluster};

fn with_pods() -> Cluster {
    let c = Cluster::new();
    c.ok(&["run", "deb", "--image=nginx", "--restart=Never"]);
    c.ok(&["run", "bb", "--image=busybox:1.36", "--restart=Never", "--", "sleep", "infinity"]);
    c
}

fn sh(c: &Cluster, pod: &str, script: &str) -> crate::harness::Out {
    c.run(&["exec", pod, "--", "sh", "-c", script])
}

#[test]
fn wait_pid_returns_the_jobs_status_and_127_for_a_pid_that_is_no_job() {
    let c = with_pods();
    let script = "(exit 3) & p=$!; true & q=$!; echo $p $q; wait $p; echo p=$?; wait $q; echo q=$?; \
                  wait $p; echo again=$?; wait 4242; echo none=$?; \
                  false & wait; echo all=$?";
    let o = sh(&c, "deb", script);
    assert_eq!(o.stdout, "8 9\np=3\nq=0\nagain=127\nnone=127\nall=0\n", "{o:?}");
    assert_eq!(o.stderr, "");
    let o = sh(&c, "deb", "wait abc; echo $?");
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("2\n", "sh: 1: wait: Illegal number: abc\n"));
    let o = c.run(&["exec", "deb", "--", "bash", "-c", "wait 42; echo $?; (exit 7) & wait $!; echo $?"]);
    assert_eq!(o.stdout, "127\n7\n");
    assert_eq!(o.stderr, "bash: line 1: wait: pid 42 is not a child of this shell\n");
    assert_eq!(sh(&c, "bb", "(exit 5) & wait $!; echo $?; wait 99; echo $?").stdout, "5\n127\n");
}

#[test]
fn a_container_waits_for_one_job_in_cluster_time() {
    let c = Cluster::new();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nspec:\n  restartPolicy: Never\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 30 & p=$!; echo started $p; sleep 1000 & q=$!; kill $q; wait $q; echo killed $?; wait $p; echo done $?; wait 77; echo unknown $?']\n";
    let f = c.file("w.yaml", pod);
    c.ok(&["create", "-f", &f]);
    assert_eq!(c.ok(&["logs", "w"]), "started 8\nkilled 143\n");
    c.ok(&["advance", "29s"]);
    assert_eq!(c.ok(&["logs", "w"]), "started 8\nkilled 143\n");
    c.ok(&["advance", "1s"]);
    assert_text(
        &c.ok(&["logs", "w", "--timestamps"]),
        "2026-11-27T09:00:00.000100000Z started 8\n2026-11-27T09:00:00.000101013Z killed 143\n\
         2026-11-27T09:00:30.000102026Z done 0\n2026-11-27T09:00:30.000103039Z unknown 127\n",
    );
}

#[test]
fn exec_opens_descriptors_for_the_rest_of_the_shell() {
    let c = with_pods();
    let script = "exec 9>/tmp/f; echo one >&9; cat /tmp/f; echo two >&9; exec 9>&-; cat /tmp/f; \
                  exec 3</etc/hostname; read x <&3; echo \"x=$x\"; \
                  printf 'a\\nb\\nc\\n' > /tmp/in; exec 4</tmp/in; read a <&4; (read b <&4; echo \"$a$b\"); read c <&4; echo $c; \
                  (exec >/tmp/sub; echo inside); echo outside; cat /tmp/sub; \
                  exec >/tmp/out 2>&1; echo to-file; ls /nope; exec >&-";
    let o = sh(&c, "deb", script);
    assert_eq!(o.stdout, "one\none\ntwo\nx=deb\nab\nc\noutside\ninside\n", "{o:?}");
    assert_eq!(
        c.ok(&["exec", "deb", "--", "cat", "/tmp/out"]),
        "to-file\nls: cannot access '/nope': No such file or directory\n"
    );
    // A redirection of `exec` that fails ends dash and busybox ash (a special builtin).
    let o = sh(&c, "deb", "exec 5</nope; echo after");
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.code),
        ("", "sh: 1: cannot open /nope: No such file\ncommand terminated with exit code 2\n", 2)
    );
    let o = sh(&c, "bb", "exec 5</nope; echo after");
    assert_eq!(o.stderr, "sh: can't open '/nope': No such file or directory\ncommand terminated with exit code 1\n");
    let o = c.run(&["exec", "deb", "--", "bash", "-c", "exec 5</nope; echo after"]);
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("after\n", "bash: line 1: /nope: No such file or directory\n"));
}

#[test]
fn a_process_that_redirected_itself_with_exec_keeps_writing_there_after_resuming() {
    let c = Cluster::new();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: lg\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, 'exec >>/data/log 2>&1; echo start; while true; do date; sleep 10; done']\n    volumeMounts:\n    - {name: d, mountPath: /data}\n  volumes:\n  - name: d\n    emptyDir: {}\n";
    let f = c.file("lg.yaml", pod);
    c.ok(&["create", "-f", &f]);
    c.ok(&["advance", "25s"]);
    assert_text(
        &c.ok(&["exec", "lg", "--", "cat", "/data/log"]),
        "start\nFri Nov 27 09:00:00 UTC 2026\nFri Nov 27 09:00:10 UTC 2026\nFri Nov 27 09:00:20 UTC 2026\n",
    );
    assert_eq!(c.ok(&["logs", "lg"]), "");
}

#[test]
fn yes_od_dd_and_xargs_answer_as_gnu_and_busybox_do() {
    let c = with_pods();
    let script = "yes | head -2; yes a b | head -1; printf 'hello\\n' | od -c; printf 'abc' | od -An -tx1; \
                  head -c 40 /dev/zero | od; printf '\\001\\002\\003\\004' | od -x";
    assert_text(
        &sh(&c, "deb", script).stdout,
        "y\ny\na b\n0000000   h   e   l   l   o  \\n\n0000006\n 61 62 63\n\
         0000000 000000 000000 000000 000000 000000 000000 000000 000000\n*\n0000040 000000 000000 000000 000000\n0000050\n\
         0000000 0201 0403\n0000004\n",
    );
    let o = sh(&c, "deb", "dd if=/dev/zero of=/tmp/z bs=1M count=10; stat -c %s /tmp/z; dd if=/etc/hostname of=/tmp/h bs=1 count=2 status=noxfer; cat /tmp/h");
    assert_eq!(o.stdout, "10485760\nde");
    assert_eq!(
        o.stderr,
        "10+0 records in\n10+0 records out\n10485760 bytes (10 MB, 10 MiB) copied, 0.0105858 s, 991 MB/s\n2+0 records in\n2+0 records out\n"
    );
    let o = sh(&c, "bb", "dd if=/dev/zero of=/tmp/z bs=1M count=10");
    assert_eq!(
        o.stderr,
        "10+0 records in\n10+0 records out\n10485760 bytes (10.0MB) copied, 0.010586 seconds, 944.7MB/s\n"
    );
    let o = sh(&c, "deb", "dd bs=x; echo $?");
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("1\n", "dd: invalid number: 'x'\n"));
    let script =
        "echo a b c d | xargs -n 2 echo; printf 'x\\ny\\n' | xargs -I{} echo '<{}>'; echo | xargs -r echo no; \
                  echo 1 2 | xargs -t echo n; echo q | xargs nope; echo $?; echo q | xargs sh -c 'exit 3'; echo $?";
    let o = sh(&c, "deb", script);
    assert_eq!(o.stdout, "a b\nc d\n<x>\n<y>\nn 1 2\n127\n123\n");
    assert_eq!(o.stderr, "echo n 1 2\nxargs: nope: No such file or directory\n");
    assert_eq!(
        sh(&c, "deb", "which yes od dd xargs awk").stdout,
        "/usr/bin/yes\n/usr/bin/od\n/usr/bin/dd\n/usr/bin/xargs\n/usr/bin/awk\n"
    );
    assert_eq!(sh(&c, "bb", "which yes od dd xargs awk").stdout, "/bin/yes\n/bin/od\n/bin/dd\n/bin/xargs\n/bin/awk\n");
}

#[test]
fn awk_prints_fields_and_runs_patterns_actions_and_printf() {
    let c = with_pods();
    let script = r#"printf 'a b c\n1 2 3\n' | awk '{print $2}'
printf 'x:y:z\n' | awk -F: '{print $3, NF}'
awk 'BEGIN { x = 3; y = x * 2.5; printf "%d %s %5.2f|%-4s|%c\n", y, "s", y, "ab", 65 }'
printf '1\n2\n3\n' | awk '{ s += $1 } END { print s, NR, s/NR }'
printf 'foo 1\nbar 2\nfoo 3\n' | awk '/foo/ { c[$1] += $2 } END { for (k in c) print k, c[k] }'
printf 'a\nb\nc\nd\n' | awk 'NR==2,NR==3'
echo 'hello world' | awk '{ gsub(/o/, "0"); print; print length($0), toupper($1), substr($2, 2, 3), index($0, "w0") }'
echo 'a,b,c' | awk '{ n = split($0, arr, ","); print n, arr[3] }'
awk -v n=5 'BEGIN { while (i < n) i++; print i; if (i > 3) print "big"; else print "small" }'
echo 'a b c' | awk '{ $2 = "X"; print; NF = 2; print; print NF }'
awk 'function add(a, b) { return a + b } BEGIN { print add(2, 3), 1/3, 2^10, 1e20 }'
echo 5 | awk '$1 > 3 { print "gt" } $1 ~ /^[0-9]+$/ { print "num" } END { print NR }'
echo x | awk '{ print $1 > "/tmp/aw"; print "y" >> "/tmp/aw" }'; cat /tmp/aw
"#;
    for pod in ["deb", "bb"] {
        let o = sh(&c, pod, script);
        assert_text(
            &o.stdout,
            "b\n2\nz 3\n7 s  7.50|ab  |A\n6 3 2\nfoo 4\nb\nc\nhell0 w0rld\n11 HELL0 0rl 7\n3 c\n5\nbig\na X c\na X\n2\n\
             5 0.333333 1024 100000000000000000000\ngt\nnum\n1\nx\ny\n",
        );
        assert_eq!(o.stderr, "", "{pod}");
    }
}

#[test]
fn awk_reports_syntax_errors_and_what_it_does_not_support() {
    let c = with_pods();
    let o = sh(
        &c,
        "deb",
        "awk '{ print $1 '; echo $?; echo a | awk '{ nextfile }'; echo $?; awk 'BEGIN { print 1/0 }'; echo $?",
    );
    assert_eq!(o.stdout, "2\n2\n2\n");
    assert_eq!(
        o.stderr,
        "awk: line 1: syntax error at or near end of file\nawk: line 1: nextfile is not supported by kstate's awk\n\
         awk: division by zero\n"
    );
    let o = sh(&c, "bb", "awk '{ print $1 '; echo $?; echo 'a b' | awk '{ print $1 | \"sort\" }'; echo $?");
    assert_eq!(o.stdout, "2\n2\n");
    assert_eq!(
        o.stderr,
        "awk: cmd. line:1: Unexpected token\nawk: line 1: output to a command (print | \"cmd\") is not supported by kstate's awk\n"
    );
}

#[test]
fn base64_sha256sum_expr_and_path_tools_answer_in_both_userlands() {
    let c = with_pods();
    let script = "echo -n hello | base64; echo aGVsbG8= | base64 -d; echo; echo -n hi | base64 -w0; echo; \
                  echo '!!' | base64 -d; echo \" rc=$?\"; echo -n abc | sha256sum; expr 3 + 4; expr 10 / 3 \\* 2; \
                  expr abc : 'a\\(.*\\)'; expr length hello; expr 5 = 6; echo rc=$?; expr 1 / 0; echo rc=$?; \
                  ln -s /etc/hostname /tmp/l; readlink /tmp/l; readlink -f /tmp/l; realpath /tmp/../etc; nproc; \
                  printf '1\\n2\\n' | tac; d=$(mktemp -d); test -d $d && echo dir; timeout 5 echo hi; timeout 5 nope; echo rc=$?";
    for (pod, timeout_msg) in [
        ("deb", "timeout: failed to run command 'nope': No such file or directory\n"),
        ("bb", "timeout: can't execute 'nope': No such file or directory\n"),
    ] {
        let o = sh(&c, pod, script);
        assert_text(
            &o.stdout,
            "aGVsbG8=\nhello\naGk=\n rc=1\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -\n7\n6\nbc\n5\n0\nrc=1\nrc=2\n\
             /etc/hostname\n/etc/hostname\n/etc\n4\n2\n1\ndir\nhi\nrc=127\n",
        );
        assert_eq!(o.stderr, format!("base64: invalid input\nexpr: division by zero\n{timeout_msg}"), "{pod}");
    }
}

#[test]
fn chown_md5sum_tty_nohup_and_sync() {
    let c = with_pods();
    let script = "touch /tmp/o; chown nginx:nginx /tmp/o; ls -l /tmp/o; chown nobody /nope; chown zz /tmp/o; \
                  echo -n abc | md5sum; tty; echo rc=$?; nohup echo hi; sync; echo rc=$?";
    let o = sh(&c, "deb", script);
    assert_eq!(
        o.stdout,
        "-rw-r--r-- 1 nginx nginx 0 Nov 27 09:00 /tmp/o\n900150983cd24fb0d6963f7d28e17f72  -\nnot a tty\nrc=1\nhi\nrc=0\n"
    );
    assert_eq!(o.stderr, "chown: cannot access '/nope': No such file or directory\nchown: invalid user: 'zz'\n");
    let o = sh(&c, "bb", "touch /tmp/o; chown 1000 /tmp/o; chgrp nogroup /tmp/o; ls -l /tmp/o; chown zz /tmp/o");
    assert_eq!(o.stdout, "-rw-r--r--    1 1000     nogroup          0 Nov 27 09:00 /tmp/o\n");
    assert_eq!(o.stderr, "chown: unknown user zz\ncommand terminated with exit code 1\n");
}

#[test]
fn awk_getline_reads_the_input_a_file_or_a_command() {
    let c = with_pods();
    let script = r#"awk 'BEGIN { while ((getline line < "/etc/hostname") > 0) print "got", line; print (getline x < "/nope") }'
awk 'BEGIN { "echo hi; echo there" | getline a; "echo hi; echo there" | getline b; print a, b, NR }'
printf '1\n2\n3\n4\n' | awk '{ getline; print }'
printf 'a\nb\n' | awk 'BEGIN { getline first; print "first=" first } { print "rule", $0 }'
awk 'BEGIN { cmd = "echo x"; cmd | getline v; close(cmd); cmd | getline w; print v w }'
"#;
    for pod in ["deb", "bb"] {
        let o = sh(&c, pod, script);
        assert_eq!(o.stdout, format!("got {pod}\n-1\nhi there 2\n2\n4\nfirst=a\nrule b\nxx\n"));
        assert_eq!(o.stderr, "");
    }
}
