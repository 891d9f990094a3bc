//! Tests of the simulated container, all against [`MemBacking`].

mod devices;
mod files;
mod fs;
mod fuzz;
mod limits;
mod seed;
mod shell;
mod text;

use super::{format_volume, run, Container, MemBacking, Mount, Output};

/// 2026-11-27T09:45:00Z
pub const NOW: i64 = 1_795_772_700;

pub struct Pod {
    pub b: MemBacking,
    pub c: Container,
}

impl Pod {
    pub fn with_image(image: &str) -> Pod {
        let mut b = MemBacking::new();
        format_volume(&mut b, "pv/d-1", true, NOW).unwrap();
        let c = Container {
            pod_name: "web-0".into(),
            namespace: "default".into(),
            hostname: "web-0".into(),
            subdomain: "nginx".into(),
            pod_ip: "10.244.1.5".into(),
            container_name: "nginx".into(),
            image: image.into(),
            env: vec![("GREETING".into(), "hello".into())],
            layer: "layer/uid-1/nginx".into(),
            mounts: vec![Mount {
                path: "/data".into(),
                volume: "pv/d-1".into(),
                read_only: false,
                capacity_bytes: Some(20 << 30),
                sub_path: String::new(),
                device: "/dev/vdb".into(),
                fs_type: "ext4".into(),
            }],
            now: NOW,
            tty: false,
            ..Container::default()
        };
        Pod { b, c }
    }

    pub fn nginx() -> Pod {
        Pod::with_image("nginx:1.27")
    }

    pub fn busybox() -> Pod {
        Pod::with_image("busybox:1.36")
    }

    pub fn mount(&mut self, path: &str, volume: &str, read_only: bool, capacity: Option<u64>) {
        format_volume(&mut self.b, volume, false, NOW).unwrap();
        let m =
            Mount { path: path.into(), volume: volume.into(), read_only, capacity_bytes: capacity, ..Mount::default() };
        self.c.mounts.push(m);
    }

    pub fn exec(&mut self, argv: &[&str]) -> Output {
        let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
        run(&mut self.b, &self.c, &argv, b"")
    }

    pub fn exec_in(&mut self, argv: &[&str], stdin: &str) -> Output {
        let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
        run(&mut self.b, &self.c, &argv, stdin.as_bytes())
    }

    pub fn sh(&mut self, script: &str) -> Output {
        self.exec(&["sh", "-c", script])
    }

    /// stdout of a script that must succeed.
    pub fn ok(&mut self, script: &str) -> String {
        let o = self.sh(script);
        assert_eq!(o.code, 0, "script {script:?} failed: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).to_string()
    }
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

/// (stdout, stderr, code)
pub fn all(o: &Output) -> (String, String, i32) {
    (text(&o.stdout), text(&o.stderr), o.code)
}
