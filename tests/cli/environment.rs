//! What the kubelet gives a container: its environment (every env source, service links), the
//! downward API, ConfigMap, Secret and service-account files, and the identity the security
//! context asks for (`id`, file ownership under `fsGroup`, a read-only root filesystem).

use crate::harness::{assert_text, Cluster};

const ENV: &str = include_str!("environment/env.yaml");
const VOLUMES: &str = include_str!("environment/volumes.yaml");
const SECURITY: &str = include_str!("environment/security.yaml");

const DOWNWARD_POD: &str = "kubernetes-downwardapi-volume-example";

fn with(manifest: &str) -> Cluster {
    let c = Cluster::new();
    let f = c.file("manifest.yaml", manifest);
    c.ok(&["create", "-f", &f]);
    c
}

const KUBERNETES_VARS: &str = "KUBERNETES_SERVICE_HOST=10.96.0.1
KUBERNETES_SERVICE_PORT=443
KUBERNETES_SERVICE_PORT_HTTPS=443
KUBERNETES_PORT=tcp://10.96.0.1:443
KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443
KUBERNETES_PORT_443_TCP_PROTO=tcp
KUBERNETES_PORT_443_TCP_PORT=443
KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1
";

#[test]
fn every_env_source_reaches_the_container() {
    let c = with(ENV);
    let want = format!(
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOSTNAME=envars
CFG_SPECIAL_LEVEL=very
CFG_SPECIAL_TYPE=charm
MY_NODE_NAME=cn-beijing.192.168.0.101
MY_POD_NAME=envars
MY_POD_NAMESPACE=default
MY_POD_IP=10.244.0.2
MY_HOST_IP=192.168.0.101
MY_POD_SERVICE_ACCOUNT=default
MY_APP=shop
MY_CPU_REQUEST=250
MY_MEM_LIMIT=64
MY_CPU_LIMIT=4
LEVEL=very
DB_PASSWORD=s3cr3t
GREETING=envars on cn-beijing.192.168.0.101, $(MY_POD_NAME) and $(NOT_SET)
{KUBERNETES_VARS}MY_NGINX_SERVICE_HOST=10.96.50.210
MY_NGINX_SERVICE_PORT=80
MY_NGINX_PORT=tcp://10.96.50.210:80
MY_NGINX_PORT_80_TCP=tcp://10.96.50.210:80
MY_NGINX_PORT_80_TCP_PROTO=tcp
MY_NGINX_PORT_80_TCP_PORT=80
MY_NGINX_PORT_80_TCP_ADDR=10.96.50.210
HOME=/root
"
    );
    assert_text(&c.ok(&["exec", "envars", "--", "env"]), &want);
    let greeting = c.ok(&["exec", "envars", "--", "sh", "-c", "echo \"$GREETING\""]);
    assert_eq!(greeting, "envars on cn-beijing.192.168.0.101, $(MY_POD_NAME) and $(NOT_SET)\n");
}

#[test]
fn services_made_after_the_container_started_and_disabled_links_give_no_variables() {
    let mut c = with(ENV);
    c.at("2026-11-27T09:01:00Z");
    let late = "apiVersion: v1\nkind: Service\nmetadata:\n  name: late\nspec:\n  ports:\n  - port: 8080\n";
    let f = c.file("late.yaml", late);
    c.ok(&["create", "-f", &f]);
    let probe = ["exec", "envars", "--", "sh", "-c", "echo ${LATE_SERVICE_HOST:-none} ${MY_NGINX_SERVICE_PORT:-none}"];
    assert_eq!(c.ok(&probe), "none 80\n");

    let unlinked = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: quiet\nspec:\n  enableServiceLinks: false\n  containers:\n  - name: c\n    image: busybox\n    command: [sleep, \"3600\"]\n    env:\n    - name: A\n      value: \"$$HOME and $(KUBERNETES_SERVICE_PORT)\"\n";
    let f = c.file("quiet.yaml", unlinked);
    c.ok(&["create", "-f", &f]);
    let want = format!(
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=quiet\nA=$HOME and 443\n{KUBERNETES_VARS}HOME=/root\n"
    );
    assert_text(&c.ok(&["exec", "quiet", "--", "env"]), &want);
}

#[test]
fn downward_api_files_show_labels_annotations_and_limits_and_follow_label_changes() {
    let mut c = with(VOLUMES);
    let cat = |c: &Cluster, file: &str| c.ok(&["exec", DOWNWARD_POD, "--", "cat", &format!("/etc/podinfo/{file}")]);
    assert_eq!(cat(&c, "labels"), "cluster=\"test-cluster1\"\nrack=\"rack-22\"\nzone=\"us-est-coast\"");
    // The kubelet's copy of the pod carries its config source's two annotations as well.
    assert_eq!(
        cat(&c, "annotations"),
        "build=\"two\"\nbuilder=\"john-doe\"\nkubernetes.io/config.seen=\"2026-11-27T09:00:00Z\"\nkubernetes.io/config.source=\"api\""
    );
    assert_eq!(cat(&c, "mem_limit"), "32");
    assert_text(
        &c.ok(&["exec", DOWNWARD_POD, "--", "ls", "-la", "/etc/podinfo"]),
        "total 12
drwxrwxrwx    3 root     root          4096 Nov 27 09:00 .
drwxr-xr-x    5 root     root          4096 Nov 30  2024 ..
drwxr-xr-x    2 root     root          4096 Nov 27 09:00 ..2026_11_27_09_00_00.158828589
lrwxrwxrwx    1 root     root            31 Nov 27 09:00 ..data -> ..2026_11_27_09_00_00.158828589
lrwxrwxrwx    1 root     root            18 Nov 27 09:00 annotations -> ..data/annotations
lrwxrwxrwx    1 root     root            13 Nov 27 09:00 labels -> ..data/labels
lrwxrwxrwx    1 root     root            16 Nov 27 09:00 mem_limit -> ..data/mem_limit
",
    );
    c.at("2026-11-27T09:05:00Z");
    c.ok(&["label", "pod", DOWNWARD_POD, "rack=rack-23", "--overwrite"]);
    assert_eq!(cat(&c, "labels"), "cluster=\"test-cluster1\"\nrack=\"rack-23\"\nzone=\"us-est-coast\"");
    assert_text(
        &c.ok(&["exec", DOWNWARD_POD, "--", "ls", "-la", "/etc/podinfo"]),
        "total 12
drwxrwxrwx    3 root     root          4096 Nov 27 09:05 .
drwxr-xr-x    5 root     root          4096 Nov 30  2024 ..
drwxr-xr-x    2 root     root          4096 Nov 27 09:05 ..2026_11_27_09_05_00.2870378103
lrwxrwxrwx    1 root     root            32 Nov 27 09:05 ..data -> ..2026_11_27_09_05_00.2870378103
lrwxrwxrwx    1 root     root            18 Nov 27 09:00 annotations -> ..data/annotations
lrwxrwxrwx    1 root     root            13 Nov 27 09:00 labels -> ..data/labels
lrwxrwxrwx    1 root     root            16 Nov 27 09:00 mem_limit -> ..data/mem_limit
",
    );
}

#[test]
fn config_map_and_secret_volumes_have_the_kubelets_layout_modes_and_sub_paths() {
    let c = with(VOLUMES);
    let exec = |args: &[&str]| c.ok(&[&["exec", DOWNWARD_POD, "--"][..], args].concat());
    assert_text(
        &exec(&["ls", "-la", "/etc/config"]),
        "total 12
drwxrwxrwx    3 root     root          4096 Nov 27 09:00 .
drwxr-xr-x    5 root     root          4096 Nov 30  2024 ..
drwxr-xr-x    3 root     root          4096 Nov 27 09:00 ..2026_11_27_09_00_00.1427141565
lrwxrwxrwx    1 root     root            32 Nov 27 09:00 ..data -> ..2026_11_27_09_00_00.1427141565
lrwxrwxrwx    1 root     root            22 Nov 27 09:00 game.properties -> ..data/game.properties
lrwxrwxrwx    1 root     root             9 Nov 27 09:00 ui -> ..data/ui
",
    );
    assert_text(
        &exec(&["stat", "-L", "-c", "%A %U %G %s %n", "/etc/config/game.properties", "/etc/config/ui/ui.properties"]),
        "-r--r----- root root 23 /etc/config/game.properties\n-rw------- root root 17 /etc/config/ui/ui.properties\n",
    );
    assert_eq!(exec(&["cat", "/etc/config/ui/ui.properties"]), "color.good=purple");
    assert_eq!(exec(&["cat", "/etc/game.properties"]), "enemies=aliens\nlives=3\n");
    assert_eq!(exec(&["cat", "/etc/creds/username"]), "admin");
    assert_eq!(exec(&["stat", "-c", "%A", "/etc/creds"]), "drwxrwxrwt\n");
    let refused = c.run(&["exec", DOWNWARD_POD, "--", "touch", "/etc/config/new"]);
    assert_eq!(
        (refused.code, refused.stderr.as_str()),
        (1, "touch: /etc/config/new: Read-only file system\ncommand terminated with exit code 1\n")
    );
}

#[test]
fn the_service_account_token_volume_is_in_every_container() {
    let c = with(VOLUMES);
    let dir = "/var/run/secrets/kubernetes.io/serviceaccount";
    assert_text(
        &c.ok(&["exec", DOWNWARD_POD, "--", "ls", "-la", dir]),
        "total 12
drwxrwxrwt    3 root     root          4096 Nov 27 09:00 .
drwxr-xr-x    3 root     root          4096 Nov 27 09:00 ..
drwxr-xr-x    2 root     root          4096 Nov 27 09:00 ..2026_11_27_09_00_00.3789541784
lrwxrwxrwx    1 root     root            32 Nov 27 09:00 ..data -> ..2026_11_27_09_00_00.3789541784
lrwxrwxrwx    1 root     root            13 Nov 27 09:00 ca.crt -> ..data/ca.crt
lrwxrwxrwx    1 root     root            16 Nov 27 09:00 namespace -> ..data/namespace
lrwxrwxrwx    1 root     root            12 Nov 27 09:00 token -> ..data/token
",
    );
    assert_eq!(c.ok(&["exec", DOWNWARD_POD, "--", "cat", &format!("{dir}/namespace")]), "default");
    let ca = c.ok(&["exec", DOWNWARD_POD, "--", "head", "-n", "1", &format!("{dir}/ca.crt")]);
    assert_eq!(ca, "-----BEGIN CERTIFICATE-----\n");
}

#[test]
fn fs_group_owns_volumes_and_new_files_and_id_shows_the_groups() {
    let c = with(SECURITY);
    let pod = "security-context-demo";
    let busybox = |args: &[&str]| c.ok(&[&["exec", pod, "-c", "sec-ctx-demo", "--"][..], args].concat());
    assert_eq!(busybox(&["id"]), "uid=1000 gid=3000 groups=2000,3000,4000\n");
    assert_text(
        &busybox(&["ls", "-l", "/data"]),
        "total 4\ndrwxrwsrwx    2 root     2000          4096 Nov 27 09:00 demo\n",
    );
    busybox(&["sh", "-c", "echo hello > /data/demo/testfile; mkdir /data/demo/sub; touch /tmp/own"]);
    assert_text(
        &busybox(&["ls", "-l", "/data/demo", "/tmp/own"]),
        "-rw-r--r--    1 1000     3000             0 Nov 27 09:00 /tmp/own

/data/demo:
total 8
drwxr-sr-x    2 1000     2000          4096 Nov 27 09:00 sub
-rw-r--r--    1 1000     2000             6 Nov 27 09:00 testfile
",
    );
    let debian = |args: &[&str]| c.run(&[&["exec", pod, "-c", "debian", "--"][..], args].concat());
    assert_eq!(debian(&["id"]).stdout, "uid=33(www-data) gid=3000 groups=3000,2000,4000\n");
    assert_eq!(debian(&["id", "-un"]).stdout, "www-data\n");
    assert_eq!(debian(&["whoami"]).stdout, "www-data\n");
    let nameless = c.run(&["exec", pod, "-c", "sec-ctx-demo", "--", "whoami"]);
    assert_eq!(nameless.stderr, "whoami: unknown uid 1000\ncommand terminated with exit code 1\n");
    let unnamed = debian(&["id", "-gn"]);
    assert_eq!(
        (unnamed.code, unnamed.stderr.as_str()),
        (1, "id: cannot find name for group ID 3000\ncommand terminated with exit code 1\n")
    );
    let touched = debian(&["touch", "/test"]);
    assert_eq!(
        (touched.code, touched.stderr.as_str()),
        (1, "touch: cannot touch '/test': Read-only file system\ncommand terminated with exit code 1\n")
    );
    let written = debian(&["sh", "-c", "echo hi > /data/demo/web && stat -c '%U %G %a' /data/demo/web"]);
    assert_eq!(written.stdout, "www-data 2000 644\n");
}
