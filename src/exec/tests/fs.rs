//! The container's filesystem: overlay, mounts, read-only, capacity, hostile paths, listings.

use super::super::{Backing, EntryKind};
use super::{all, Pod, NOW};

#[test]
fn image_files_are_overlaid_by_the_layer() {
    let mut p = Pod::nginx();
    assert_eq!(
        p.ok("echo changed > /usr/share/nginx/html/index.html; cat /usr/share/nginx/html/index.html"),
        "changed\n"
    );
    assert_eq!(p.ok("rm /usr/share/nginx/html/50x.html; ls /usr/share/nginx/html"), "index.html\n");
    let e = p.b.get("layer/uid-1/nginx", "/usr/share/nginx/html/50x.html").unwrap().unwrap();
    assert_eq!(e.kind, EntryKind::Whiteout);
    // A fresh layer (container restarted) sees the image again.
    p.c.layer = "layer/uid-1/nginx-2".into();
    assert_eq!(p.ok("ls /usr/share/nginx/html"), "50x.html\nindex.html\n");
}

#[test]
fn removed_image_dir_recreated_is_empty() {
    let mut p = Pod::nginx();
    assert_eq!(
        p.ok("rm -r /usr/share/nginx/html && mkdir /usr/share/nginx/html && ls -A /usr/share/nginx/html | wc -l"),
        "0\n"
    );
}

#[test]
fn mounts_hide_what_is_beneath() {
    let mut p = Pod::nginx();
    p.mount("/usr/share/nginx/html", "emptydir/uid-1/html", false, None);
    assert_eq!(p.ok("ls /usr/share/nginx/html"), "");
    assert_eq!(p.ok("echo hi > /usr/share/nginx/html/index.html; cat /usr/share/nginx/html/index.html"), "hi\n");
    assert_eq!(p.b.get("emptydir/uid-1/html", "/index.html").unwrap().unwrap().data, b"hi\n");
    assert!(p.ok("ls /").contains("data\n"), "mount points show up in their parent");
    p.mount("/var/lib/deep/mnt", "emptydir/uid-1/deep", false, None);
    assert_eq!(p.ok("ls /var/lib/deep"), "mnt\n");
}

#[test]
fn sub_path_mounts_a_directory_of_the_volume() {
    let mut p = Pod::nginx();
    p.c.mounts[0].sub_path = "site".into();
    p.ok("echo x > /data/f");
    assert_eq!(p.b.get("pv/d-1", "/site/f").unwrap().unwrap().data, b"x\n");
    assert!(p.b.get("pv/d-1", "/site").unwrap().unwrap().is_dir());
}

#[test]
fn read_only_mounts_refuse_writes() {
    let mut p = Pod::nginx();
    p.mount("/cfg", "cm/uid-1/cfg", true, None);
    assert_eq!(
        all(&p.sh("touch /cfg/x")),
        (String::new(), "touch: cannot touch '/cfg/x': Read-only file system\n".into(), 1)
    );
    assert_eq!(all(&p.sh("echo x > /cfg/x")).1, "sh: 1: cannot create /cfg/x: Read-only file system\n");
    assert_eq!(all(&p.sh("mkdir /cfg/d")).1, "mkdir: cannot create directory '/cfg/d': Read-only file system\n");
    let mut b = Pod::busybox();
    b.mount("/cfg", "cm/uid-1/cfg", true, None);
    assert_eq!(
        all(&b.sh("echo x > /cfg/x")),
        (String::new(), "sh: can't create /cfg/x: Read-only file system\n".into(), 1)
    );
}

#[test]
fn capacity_is_never_exceeded() {
    let mut p = Pod::nginx();
    p.mount("/small", "pv/small", false, Some(10));
    let o = p.sh("echo 0123456789abcdef > /small/f");
    assert_eq!(all(&o), (String::new(), "sh: 1: echo: echo: I/O error\n".into(), 1));
    assert_eq!(p.b.get("pv/small", "/small/f").ok().flatten(), None);
    assert_eq!(p.b.get("pv/small", "/f").unwrap().unwrap().data.len(), 10);
    assert_eq!(p.b.used_bytes("pv/small").unwrap(), 10);
    let o = p.sh("cp /etc/passwd /small/g");
    assert_eq!(all(&o).1, "cp: error writing '/small/g': No space left on device\n");
    assert!(p.b.used_bytes("pv/small").unwrap() <= 10);
    assert_eq!(p.ok("rm /small/f /small/g; echo ok > /small/f; cat /small/f"), "ok\n");
}

#[test]
fn hostile_paths_stay_inside() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok("cat ../../../../etc/hostname"), "web-0\n");
    assert_eq!(p.ok("cd /data/../../..; pwd"), "/\n");
    assert_eq!(p.ok("ln -s ../../../../../etc /data/up; cat /data/up/hostname"), "web-0\n");
    assert_eq!(p.ok("ln -s / /data/root; ls /data/root/data/root/data | head -1"), "lost+found\n");
    p.ok("ln -s /data/b /data/a; ln -s /data/a /data/b");
    assert_eq!(all(&p.sh("cat /data/a")).1, "cat: /data/a: Too many levels of symbolic links\n");
    assert_eq!(all(&p.sh("ls /data/a/x")).1, "ls: cannot access '/data/a/x': Too many levels of symbolic links\n");
    let o = p.sh("touch /etc/hostname/x");
    assert_eq!(all(&o).1, "touch: cannot touch '/etc/hostname/x': Not a directory\n");
    assert!(p.ok("cat /proc/version").starts_with("Linux version"));
    assert_eq!(p.ok("echo x > /dev/null; cat /dev/null | wc -c"), "0\n");
    assert_eq!(p.ok("head -c 4 /dev/zero | wc -c"), "4\n");
}

#[test]
fn ls_long_format() {
    let mut p = Pod::nginx();
    p.ok("touch /data/statefulset");
    assert_eq!(
        p.ok("ls -l /data"),
        "total 16\ndrwx------ 2 root root 16384 Nov 27 09:45 lost+found\n-rw-r--r-- 1 root root     0 Nov 27 09:45 statefulset\n"
    );
    assert_eq!(p.ok("ls -la /data | head -3 | tail -2 | sed 's/.* //'"), ".\n..\n");
    assert_eq!(p.ok("ls -lh /usr/share/nginx/html/index.html | cut -d' ' -f5"), "615\n");
    assert_eq!(p.ok("ls -ld /bin"), "lrwxrwxrwx 1 root root 7 Nov 30  2024 /bin -> usr/bin\n");
    assert_eq!(p.ok("ls -d /data /tmp"), "/data\n/tmp\n");
    assert_eq!(p.ok("ls /data /etc/hostname"), "/etc/hostname\n\n/data:\nlost+found\nstatefulset\n");
    assert_eq!(p.ok("ls -a /data"), ".\n..\nlost+found\nstatefulset\n");
    let mut b = Pod::busybox();
    b.ok("touch /data/s");
    assert_eq!(b.ok("ls -l /data | tail -1"), "-rw-r--r--    1 root     root             0 Nov 27 09:45 s\n");
}

#[test]
fn find_stat_du_df() {
    let mut p = Pod::nginx();
    p.ok("mkdir -p /data/a/b && echo hi > /data/a/b/f.txt && touch /data/a/g.log");
    assert_eq!(p.ok("find /data/a"), "/data/a\n/data/a/b\n/data/a/b/f.txt\n/data/a/g.log\n");
    assert_eq!(p.ok("find /data -name '*.txt'; find /data/a -type d"), "/data/a/b/f.txt\n/data/a\n/data/a/b\n");
    assert_eq!(p.ok("cd /data && find . -maxdepth 1 -type d"), ".\n./a\n./lost+found\n");
    assert_eq!(all(&p.sh("find /nope")).1, "find: '/nope': No such file or directory\n");
    let st = p.ok("stat /data/a/b/f.txt");
    assert!(
        st.starts_with(
            "  File: /data/a/b/f.txt\n  Size: 3         \tBlocks: 8          IO Block: 4096   regular file\n"
        ),
        "{st}"
    );
    assert!(st.contains("Access: (0644/-rw-r--r--)  Uid: (    0/    root)   Gid: (    0/    root)\n"), "{st}");
    assert_eq!(p.ok("du -s /data/a; du -sh /data/a"), "12\t/data/a\n12K\t/data/a\n");
    let df = p.ok("df -h /data");
    assert!(df.starts_with("Filesystem"), "{df}");
    assert!(df.lines().any(|l| l.starts_with("/dev/vdb") && l.contains(" 20G ") && l.ends_with("/data")), "{df}");
    let _ = NOW;
}

#[test]
fn a_program_installed_after_a_failed_lookup_is_found() {
    let mut p = Pod::nginx();
    let script = "hello; printf '#!/bin/sh\\necho hi\\n' > /usr/local/bin/hello; chmod +x /usr/local/bin/hello; \
                  hello; rm /usr/local/bin/hello; hello";
    let out = p.sh(script);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hi\n");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "sh: 1: hello: not found\nsh: 1: hello: not found\n");
}
