//! The built-in, read-only image catalogue: which files an image ships, its environment and
//! which userland (GNU/dash or busybox) answers in it.

use super::backing::{Entry, EntryKind};
use super::image_files as text;
use super::images::{profile_of, Profile};
use super::path;
use super::Container;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use foldhash::{HashMap, HashMapExt};

/// Whose messages the container's programs print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Debian-based images (nginx, httpd, default): dash as `sh`, GNU coreutils.
    Debian,
    /// busybox and Alpine images: busybox ash and applets.
    Busybox,
}

/// When the image's files were built (2024-11-30T00:00:00Z); `ls -l` shows it.
pub const IMAGE_MTIME: i64 = 1_732_924_800;

/// Marker bytes that make an image file an executable the simulator knows how to run.
pub const EXEC_MAGIC: &[u8] = b"\x7fELF kstate:";

/// Programs a Debian image has in /usr/bin (GNU coreutils, grep, sed, findutils, ...).
const DEBIAN_BIN: &[&str] = &[
    "basename", "cat", "chmod", "cp", "cut", "date", "df", "dirname", "du", "echo", "env", "false", "find", "grep",
    "head", "hostname", "id", "ln", "ls", "mkdir", "mv", "printenv", "printf", "pwd", "rm", "rmdir", "sed", "seq",
    "sleep", "sort", "stat", "tail", "tee", "test", "[", "touch", "tr", "true", "uname", "uniq", "wc", "which",
    "whoami", "dash", "bash", "getent", "tar", "yes", "od", "dd", "xargs", "awk", "mawk", "base64", "expr", "readlink",
    "realpath", "nproc", "tac", "mktemp", "timeout", "chown", "chgrp", "nohup", "sync", "tty", "md5sum", "apt",
    "apt-get",
];

/// busybox applets installed as links in /bin.
const BUSYBOX_BIN: &[&str] = &[
    "basename", "cat", "chmod", "cp", "cut", "date", "df", "dirname", "du", "echo", "env", "false", "find", "grep",
    "head", "hostname", "id", "kill", "ln", "ls", "mkdir", "mv", "pkill", "printenv", "printf", "ps", "pwd", "rm",
    "rmdir", "sed", "seq", "sleep", "sort", "stat", "tail", "tee", "test", "[", "touch", "tr", "true", "uname", "uniq",
    "wc", "which", "whoami", "sh", "ash", "nslookup", "wget", "ping", "tar", "rev", "yes", "od", "dd", "xargs", "awk",
    "base64", "expr", "readlink", "realpath", "nproc", "tac", "mktemp", "timeout", "chown", "chgrp", "nohup", "sync",
    "tty", "md5sum",
];

/// Programs both userlands have whose names are too long for the compact lists above.
const LONG_NAMED: &[&str] = &["sha256sum"];

/// What the caller's image reference resolves to.
pub struct Image {
    pub flavor: Flavor,
    /// Every file, directory and symlink of the image plus the kubelet's /etc files.
    pub files: BTreeMap<String, Entry>,
    /// Environment from the image config (`ENV` lines), in order, PATH first.
    pub env: Vec<(String, String)>,
    /// The image's WORKDIR, where commands start.
    pub workdir: String,
    /// The image config's ENTRYPOINT and CMD: the main process when the pod sets no command.
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    /// Whether kstate knows this image's programs; in an image it does not know, a command
    /// it cannot find is taken to be the image's own program rather than missing.
    pub catalogued: bool,
}

impl Image {
    pub fn path_var(&self) -> &str {
        self.env.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.as_str()).unwrap_or("/usr/bin:/bin")
    }
}

const STD_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The image a container runs, decided from its reference's repository name.
pub fn image_for(c: &Container) -> Rc<Image> {
    thread_local! {
        /// Images built so far, by reference: an image is the same for every container that runs it
        /// (the kubelet's per-container files are served beside it, see [`kubelet_file`]).
        static IMAGES: RefCell<HashMap<String, Rc<Image>>> = RefCell::new(HashMap::new());
    }
    if let Some(found) = IMAGES.with(|m| m.borrow().get(&c.image).cloned()) {
        return found;
    }
    let image = Rc::new(build(c));
    IMAGES.with(|m| m.borrow_mut().insert(c.image.clone(), Rc::clone(&image)));
    image
}

fn build(c: &Container) -> Image {
    let repo = repository(&c.image);
    let mut b = Builder { files: BTreeMap::new() };
    let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    let (mut entrypoint, mut cmd, mut catalogued) = (Vec::new(), Vec::new(), true);
    let (flavor, mut env) = if repo.contains("busybox") || repo.contains("alpine") {
        busybox(&mut b);
        cmd = strs(&[if repo.contains("alpine") { "/bin/sh" } else { "sh" }]);
        (Flavor::Busybox, vec![("PATH".to_string(), STD_PATH.to_string())])
    } else if repo == "bash" || repo.ends_with("/bash") {
        // The official bash image: Alpine (busybox applets) with bash built into /usr/local/bin.
        busybox(&mut b);
        b.program("/usr/local/bin/bash", "bash");
        cmd = strs(&["bash"]);
        (Flavor::Busybox, vec![("PATH".to_string(), STD_PATH.to_string())])
    } else if repo == "stress" || repo.ends_with("/stress") {
        // polinux/stress: Alpine with bash, and stress 1.0.4 built into /usr/local/bin.
        busybox(&mut b);
        b.program("/bin/bash", "bash");
        b.program("/usr/local/bin/stress", "stress");
        cmd = strs(&["/usr/local/bin/stress"]);
        let env = vec![
            ("PATH".to_string(), STD_PATH.to_string()),
            ("RELEASE_VERSION".to_string(), "1.0.4".to_string()),
            ("SHELL".to_string(), "/bin/bash".to_string()),
        ];
        (Flavor::Busybox, env)
    } else if repo.ends_with("httpd") {
        debian(&mut b);
        b.program("/usr/local/bin/httpd-foreground", "httpd");
        cmd = strs(&["httpd-foreground"]);
        b.file("/usr/local/apache2/htdocs/index.html", 0o644, text::HTTPD_INDEX);
        b.dir("/usr/local/apache2/logs", 0o755);
        b.dir("/usr/local/apache2/conf", 0o755);
        let path = format!("/usr/local/apache2/bin:{STD_PATH}");
        (Flavor::Debian, vec![("PATH".into(), path), ("HTTPD_PREFIX".into(), "/usr/local/apache2".into())])
    } else if repo.ends_with("nginx") || repo.ends_with("nginx-slim") {
        debian(&mut b);
        nginx(&mut b);
        entrypoint = strs(&["/docker-entrypoint.sh"]);
        cmd = strs(&["nginx", "-g", "daemon off;"]);
        let env = vec![
            ("PATH".into(), STD_PATH.into()),
            ("NGINX_VERSION".into(), "1.27.3".into()),
            ("NJS_VERSION".into(), "0.8.7".into()),
            ("PKG_RELEASE".into(), "1~bookworm".into()),
        ];
        (Flavor::Debian, env)
    } else if super::net::app::App::of(&c.image) == Some(super::net::app::App::Bootcamp) {
        // FROM node:6.3.1 (Debian with curl), COPY server.js ., CMD node server.js.
        debian(&mut b);
        b.program("/usr/local/bin/node", "httpd");
        b.program("/usr/bin/curl", "curl");
        b.file("/server.js", 0o644, super::net::app::BOOTCAMP_SERVER_JS);
        cmd = strs(&["/bin/sh", "-c", "node server.js"]);
        let env = vec![
            ("PATH".into(), STD_PATH.into()),
            ("NPM_CONFIG_LOGLEVEL".into(), "info".into()),
            ("NODE_VERSION".into(), "6.3.1".into()),
        ];
        (Flavor::Debian, env)
    } else if repo.ends_with("/perl") || repo == "perl" {
        debian(&mut b);
        b.program("/usr/local/bin/perl", "perl");
        cmd = strs(&["perl", "-de0"]);
        (Flavor::Debian, vec![("PATH".to_string(), STD_PATH.to_string())])
    } else if repo == "pause" || repo.ends_with("/pause") {
        // The pause image is built from scratch: one static binary that sleeps until stopped,
        // no shell (`kubectl exec POD -- sh` fails as the debug-running-pod page shows).
        b.dir("/", 0o755);
        b.program("/pause", "httpd");
        entrypoint = strs(&["/pause"]);
        (Flavor::Debian, vec![("PATH".to_string(), STD_PATH.to_string())])
    } else if let Some(profile) = profile_of(&repo) {
        debian(&mut b);
        for (p, mode) in profile.dirs {
            b.dir(p, *mode);
        }
        for (p, name) in profile.programs {
            b.program(p, name);
        }
        for (p, mode, text) in profile.files {
            b.file(p, *mode, text);
        }
        for (p, target) in profile.links {
            b.link(p, target);
        }
        entrypoint = strs(profile.entrypoint);
        cmd = strs(profile.cmd);
        let mut env = vec![("PATH".to_string(), STD_PATH.to_string())];
        env.extend(profile.env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        (Flavor::Debian, env)
    } else if matches!(repo.rsplit('/').next(), Some("ubuntu" | "debian")) && !repo.contains("/debian-") {
        // The distributions' base images (the debugging pages' `--image=ubuntu`): a shell as CMD.
        debian(&mut b);
        cmd = strs(&[if repo.ends_with("ubuntu") { "/bin/bash" } else { "bash" }]);
        (Flavor::Debian, vec![("PATH".into(), STD_PATH.into())])
    } else {
        debian(&mut b);
        // Debugging images people run for DNS and HTTP checks.
        catalogued = false;
        if repo.contains("dnsutils") || repo.contains("netshoot") || repo.contains("curl") {
            for name in ["curl", "nslookup", "ping"] {
                b.program(&format!("/usr/bin/{name}"), name);
            }
            cmd = strs(&["sleep", "infinity"]);
            catalogued = true;
        }
        (Flavor::Debian, vec![("PATH".into(), STD_PATH.into())])
    };
    env.retain(|(k, _)| !k.is_empty());
    let workdir = if repo.ends_with("httpd") { "/usr/local/apache2" } else { "/" }.to_string();
    if !catalogued {
        // What the image runs is unknown: its own program, a server that runs until stopped.
        let name = repo.rsplit('/').next().unwrap_or("app").to_string();
        b.program(&format!("/usr/local/bin/{name}"), "httpd");
        cmd = vec![name];
    }
    Image { flavor, files: b.files, env, workdir, entrypoint, cmd, catalogued }
}

/// `docker.io/library/nginx:1.27@sha256:..` → `docker.io/library/nginx`.
pub fn repository(image: &str) -> String {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last_slash = no_digest.rfind('/').map(|i| i + 1).unwrap_or(0);
    let tag_colon = no_digest[last_slash..].find(':').map(|i| i + last_slash);
    tag_colon.map(|i| &no_digest[..i]).unwrap_or(no_digest).to_ascii_lowercase()
}

struct Builder {
    files: BTreeMap<String, Entry>,
}

impl Builder {
    fn put(&mut self, p: &str, e: Entry) {
        self.parents(p);
        self.files.insert(p.to_string(), e);
    }
    fn parents(&mut self, p: &str) {
        let mut dir = path::parent(p).to_string();
        while !self.files.contains_key(&dir) {
            self.files.insert(dir.clone(), Entry::dir(0o755, IMAGE_MTIME));
            if dir == "/" {
                break;
            }
            dir = path::parent(&dir).to_string();
        }
    }
    fn dir(&mut self, p: &str, mode: u32) {
        self.put(p, Entry::dir(mode, IMAGE_MTIME));
    }
    fn file(&mut self, p: &str, mode: u32, body: &str) {
        self.put(p, Entry::file(mode, IMAGE_MTIME, body.as_bytes().to_vec()));
    }
    fn link(&mut self, p: &str, target: &str) {
        self.put(p, Entry::symlink(target, IMAGE_MTIME));
    }
    fn program(&mut self, p: &str, name: &str) {
        let mut data = EXEC_MAGIC.to_vec();
        data.extend_from_slice(name.as_bytes());
        data.push(b'\n');
        self.put(p, Entry::file(0o755, IMAGE_MTIME, data));
    }
}

fn common_dirs(b: &mut Builder) {
    b.dir("/", 0o755);
    for d in ["/home", "/mnt", "/opt", "/srv", "/var", "/var/log", "/usr/local/bin", "/usr/sbin"] {
        b.dir(d, 0o755);
    }
    b.dir("/root", 0o700);
    b.dir("/tmp", 0o1777);
}

fn debian(b: &mut Builder) {
    common_dirs(b);
    // bookworm is usr-merged: /bin is a symlink to usr/bin.
    b.link("/bin", "usr/bin");
    b.link("/sbin", "usr/sbin");
    b.link("/lib", "usr/lib");
    b.dir("/usr/lib", 0o755);
    for name in DEBIAN_BIN.iter().chain(LONG_NAMED) {
        b.program(&format!("/usr/bin/{name}"), name);
    }
    b.link("/usr/bin/sh", "dash");
    b.file("/etc/os-release", 0o644, text::DEBIAN_OS_RELEASE);
    b.file("/etc/debian_version", 0o644, "12.8\n");
    b.file("/etc/passwd", 0o644, text::DEBIAN_PASSWD);
    b.file("/etc/group", 0o644, text::DEBIAN_GROUP);
    b.dir("/run", 0o755);
    b.dir("/var/cache", 0o755);
}

fn nginx(b: &mut Builder) {
    b.file("/usr/share/nginx/html/index.html", 0o644, text::NGINX_INDEX);
    b.file("/usr/share/nginx/html/50x.html", 0o644, text::NGINX_50X);
    b.file("/etc/nginx/conf.d/default.conf", 0o644, text::NGINX_DEFAULT_CONF);
    b.program("/usr/sbin/nginx", "nginx");
    b.program("/usr/bin/curl", "curl");
    b.link("/var/log/nginx/access.log", "/dev/stdout");
    b.link("/var/log/nginx/error.log", "/dev/stderr");
    b.dir("/var/cache/nginx", 0o755);
    b.dir("/docker-entrypoint.d", 0o755);
    b.file(
        "/docker-entrypoint.sh",
        0o775,
        "#!/bin/sh\n# The image's entrypoint: hands over to its command.\nset -e\nexec \"$@\"\n",
    );
    let mut passwd = text::DEBIAN_PASSWD.to_string();
    passwd.push_str("nginx:x:101:101:nginx user:/nonexistent:/bin/false\n");
    b.file("/etc/passwd", 0o644, &passwd);
    let mut group = text::DEBIAN_GROUP.to_string();
    group.push_str("nginx:x:101:\n");
    b.file("/etc/group", 0o644, &group);
}

fn busybox(b: &mut Builder) {
    common_dirs(b);
    for name in BUSYBOX_BIN.iter().chain(LONG_NAMED) {
        b.program(&format!("/bin/{name}"), "busybox");
    }
    b.program("/bin/busybox", "busybox");
    b.file("/etc/passwd", 0o644, text::BUSYBOX_PASSWD);
    b.file("/etc/group", 0o644, text::BUSYBOX_GROUP);
    b.dir("/var/www", 0o755);
    b.dir("/var/spool/mail", 0o755);
}

/// The files the kubelet mounts into every container (`/etc/hostname`, `/etc/hosts`,
/// `/etc/resolv.conf`), which no image has.
pub const KUBELET_FILES: [&str; 3] = ["hostname", "hosts", "resolv.conf"];

/// One of [`KUBELET_FILES`] of container `c`, by path.
pub fn kubelet_file(c: &Container, p: &str) -> Option<Entry> {
    let text = match p {
        "/etc/hostname" => format!("{}\n", c.hostname),
        "/etc/hosts" => hosts_file(c),
        "/etc/resolv.conf" => resolv_conf(&c.namespace),
        _ => return None,
    };
    Some(Entry::file(0o644, IMAGE_MTIME, text.into_bytes()))
}

/// The kubelet's managed /etc/hosts (`pkg/kubelet/kubelet_pods.go`).
pub fn hosts_file(c: &Container) -> String {
    let mut s = String::from(
        "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n\
         fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n",
    );
    if !c.pod_ip.is_empty() {
        if c.subdomain.is_empty() {
            s.push_str(&format!("{}\t{}\n", c.pod_ip, c.hostname));
        } else {
            let fqdn = format!("{}.{}.{}.svc.cluster.local", c.hostname, c.subdomain, c.namespace);
            s.push_str(&format!("{}\t{}\t{}\n", c.pod_ip, fqdn, c.hostname));
        }
    }
    s
}

pub fn resolv_conf(ns: &str) -> String {
    format!("search {ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n")
}

/// The program an image file runs, when it is one of ours.
pub fn program_of(entry: &Entry) -> Option<String> {
    if entry.kind != EntryKind::File {
        return None;
    }
    let rest = entry.data.strip_prefix(EXEC_MAGIC)?;
    Some(String::from_utf8_lossy(rest).trim().to_string())
}

/// The profile of the image a container runs (MySQL, ZooKeeper, ...), if kstate has one.
pub fn profile(image: &str) -> Option<&'static Profile> {
    profile_of(&repository(image))
}

/// Whether something in the container accepts connections on `port`: its web server, or the
/// server program of its image's profile when PID 1 runs that program.
pub fn listens(c: &Container, port: u16) -> bool {
    if super::net::http::listen_port(&c.image) == Some(port) {
        return true;
    }
    let Some(profile) = profile(&c.image) else { return false };
    let line = super::pid1_argv(c).join(" ");
    profile.listens.iter().any(|(p, program)| *p == port && line.contains(program))
}

/// The title PID 1 takes once it runs its image's server (ZooKeeper's scripts exec `java`).
pub fn server_title(c: &Container) -> Option<&'static str> {
    let profile = profile(&c.image)?;
    let title = profile.server_title?;
    let line = super::pid1_argv(c).join(" ");
    profile.listens.iter().any(|(_, program)| line.contains(program)).then_some(title)
}

/// The user PID 1 runs as once its image's entrypoint stepped down from root to run the server.
pub fn server_user(c: &Container) -> Option<&'static str> {
    let profile = profile(&c.image)?;
    let user = profile.server_user.filter(|_| c.uid == 0)?;
    let line = super::pid1_argv(c).join(" ");
    profile.listens.iter().any(|(_, program)| line.contains(program)).then_some(user)
}

/// Whether the image can accept connections at all (the network lists its containers as peers).
pub fn serves(image: &str) -> bool {
    super::net::http::listen_port(image).is_some() || profile(image).is_some_and(|p| !p.listens.is_empty())
}
