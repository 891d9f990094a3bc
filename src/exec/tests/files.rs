//! touch, mkdir, rm, rmdir, mv, cp, ln, chmod and their error texts.

use super::{all, Pod};

#[test]
fn touch_and_mkdir() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok("mkdir /data/a && touch /data/a/f && ls /data/a"), "f\n");
    assert_eq!(
        all(&p.sh("mkdir /data/a")),
        (String::new(), "mkdir: cannot create directory '/data/a': File exists\n".into(), 1)
    );
    assert_eq!(
        all(&p.sh("mkdir /data/x/y")).1,
        "mkdir: cannot create directory '/data/x/y': No such file or directory\n"
    );
    assert_eq!(
        p.ok("mkdir -p /data/x/y/z && mkdir -p /data/x && ls -R /data/x"),
        "/data/x:\ny\n\n/data/x/y:\nz\n\n/data/x/y/z:\n"
    );
    assert_eq!(
        all(&p.sh("touch /nodir/f")),
        (String::new(), "touch: cannot touch '/nodir/f': No such file or directory\n".into(), 1)
    );
    assert_eq!(all(&p.sh("touch")).1, "touch: missing file operand\nTry 'touch --help' for more information.\n");
    let mut b = Pod::busybox();
    assert_eq!(all(&b.sh("mkdir /data")).1, "mkdir: can't create directory '/data': File exists\n");
    assert_eq!(all(&b.sh("touch /nodir/f")).1, "touch: /nodir/f: No such file or directory\n");
}

#[test]
fn rm_and_rmdir() {
    let mut p = Pod::nginx();
    p.ok("mkdir -p /data/d/e && touch /data/d/e/f /data/g");
    assert_eq!(all(&p.sh("rm /data/d")), (String::new(), "rm: cannot remove '/data/d': Is a directory\n".into(), 1));
    assert_eq!(all(&p.sh("rmdir /data/d")).1, "rmdir: failed to remove '/data/d': Directory not empty\n");
    assert_eq!(all(&p.sh("rm /data/nope")).1, "rm: cannot remove '/data/nope': No such file or directory\n");
    assert_eq!(p.sh("rm -f /data/nope").code, 0);
    assert_eq!(p.ok("rm -r /data/d && rm /data/g && ls /data"), "lost+found\n");
    assert_eq!(p.ok("mkdir /data/e && rmdir /data/e && ls /data"), "lost+found\n");
    assert_eq!(
        all(&p.sh("rm -rf /")).1,
        "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n"
    );
    let o = p.sh("rm -rf /data");
    assert_eq!(all(&o), (String::new(), "rm: cannot remove '/data': Device or resource busy\n".into(), 1));
    assert_eq!(p.ok("ls -A /data"), "");
    let mut b = Pod::busybox();
    b.ok("mkdir /data/d");
    assert_eq!(all(&b.sh("rm /data/d")).1, "rm: '/data/d' is a directory\n");
    assert_eq!(all(&b.sh("rm /data/n")).1, "rm: can't remove '/data/n': No such file or directory\n");
}

#[test]
fn cp_and_mv() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok("cp /etc/hostname /data/h && cat /data/h"), "web-0\n");
    assert_eq!(p.ok("mkdir /data/dir && cp /data/h /data/dir && ls /data/dir"), "h\n");
    assert_eq!(all(&p.sh("cp /data/dir /data/dir2")).1, "cp: -r not specified; omitting directory '/data/dir'\n");
    assert_eq!(p.ok("cp -r /data/dir /data/dir2 && ls /data/dir2"), "h\n");
    assert_eq!(p.ok("mv /data/dir2 /data/dir3 && ls /data"), "dir\ndir3\nh\nlost+found\n");
    assert_eq!(all(&p.sh("cp /nope /data")).1, "cp: cannot stat '/nope': No such file or directory\n");
    assert_eq!(all(&p.sh("mv /nope /data")).1, "mv: cannot stat '/nope': No such file or directory\n");
    assert_eq!(
        all(&p.sh("cp -r /data/dir /data/dir/sub")).1,
        "cp: cannot copy a directory, '/data/dir', into itself, '/data/dir/sub'\n"
    );
    assert_eq!(p.ok("mv /data/h /tmp/ && cat /tmp/h && ls /data"), "web-0\ndir\ndir3\nlost+found\n");
}

#[test]
fn ln_and_chmod() {
    let mut p = Pod::nginx();
    assert_eq!(p.ok("ln -s /etc/hostname /data/link && cat /data/link && readlink_like=$(ls -l /data/link); echo ${readlink_like##* }"), "web-0\n/etc/hostname\n");
    assert_eq!(all(&p.sh("ln -s x /data/link")).1, "ln: failed to create symbolic link '/data/link': File exists\n");
    assert_eq!(p.ok("ln -sf /etc/passwd /data/link && head -1 /data/link"), "root:x:0:0:root:/root:/bin/bash\n");
    assert_eq!(p.ok("touch /data/f && chmod 600 /data/f && stat -c '%a %A' /data/f"), "600 -rw-------\n");
    assert_eq!(p.ok("chmod u+x,g+r /data/f && stat -c %a /data/f"), "740\n");
    assert_eq!(p.ok("chmod a-rwx /data/f && stat -c %A /data/f"), "----------\n");
    assert_eq!(all(&p.sh("chmod 644 /nope")).1, "chmod: cannot access '/nope': No such file or directory\n");
    assert_eq!(all(&p.sh("chmod zz /data/f")).1, "chmod: invalid mode: 'zz'\n");
}

#[test]
fn df_with_paths_shows_only_their_filesystems() {
    // GNU df: each operand's filesystem (the deepest mount holding it), columns at least as wide
    // as GNU's defaults; the disk's size is what ext4 leaves of 20 GiB.
    let mut p = Pod::nginx();
    let out = p.exec(&["df", "-h", "/data", "/data/.", "/etc"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Filesystem      Size  Used Avail Use% Mounted on
/dev/vdb         20G   24K   20G   1% /data
/dev/vdb         20G   24K   20G   1% /data
overlay          40G  8.1G   32G  21% /
"
    );
    let out = p.exec(&["df", "/nope"]);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "df: /nope: No such file or directory\n");
    assert_eq!(out.code, 1);
}

#[test]
fn proc_mounts_names_the_disk_and_its_filesystem() {
    let mut p = Pod::nginx();
    p.c.mounts[0].device = "/dev/nvme1n1".into();
    p.c.mounts[0].fs_type = "xfs".into();
    let out = p.exec(&["grep", "/data", "/proc/mounts"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "/dev/nvme1n1 /data xfs rw,relatime,attr2,inode64,logbufs=8,logbsize=32k,noquota 0 0\n"
    );
}
