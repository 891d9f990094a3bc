//! Four kubernetes.io storage pages replayed command by command on a minikube cluster (the
//! pages' own), each command's output compared byte for byte with what kubectl v1.32 prints
//! there: tasks/configure-pod-container/configure-persistent-volume-storage and
//! configure-volume-storage, tasks/run-application/run-single-instance-stateful-application,
//! tutorials/stateful-application/mysql-wordpress-persistent-volume. Outputs a real cluster
//! prints later (pods still `ContainerCreating`, ages) are those of a converged cluster.

use crate::harness::{assert_text, k8s_example as example, minikube, step, Cluster, Out};

/// Types `input` into `kubectl exec -it POD -- /bin/bash` (without a terminal, as a script does).
fn shell(c: &Cluster, pod: &str, input: &str) -> Out {
    c.run_stdin(&["exec", "-it", pod, "--", "/bin/bash"], input)
}

const NO_TTY: &str = "Unable to use a TTY - input is not a terminal or the right kind of file\n";

/// What `apt-get update` prints (without a terminal, no ` Done` after the cache lines).
const APT_GET_UPDATE: &str = "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]
Get:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]
Get:3 http://deb.debian.org/debian-security bookworm-security InRelease [48.0 kB]
Get:4 http://deb.debian.org/debian bookworm/main amd64 Packages [8792 kB]
Get:5 http://deb.debian.org/debian bookworm-updates/main amd64 Packages [13.5 kB]
Get:6 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages [243 kB]
Fetched 9303 kB in 1s (9303 kB/s)
Reading package lists...
";

const APT_WARNING: &str = "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n";

#[test]
fn persistent_volume_storage_page_replays() {
    // The PV of class `manual` binds the page's claim; the pod mounts it. Inside the pod,
    // `apt update` and `apt install curl` (already in the nginx image) work as on Debian; the
    // node's index.html the page writes with `minikube ssh` is not there (no node shell), so
    // nginx answers 403 for the empty directory (docs/differences.md), its error page in CRLF lines.
    let c = minikube();
    step(&c, &["apply", "-f", &example("pods/storage/pv-volume.yaml")], "persistentvolume/task-pv-volume created\n");
    step(
        &c,
        &["get", "pv", "task-pv-volume"],
        "NAME             CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS      CLAIM   STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
task-pv-volume   10Gi       RWO            Retain           Available           manual         <unset>                          0s
",
    );
    step(&c, &["apply", "-f", &example("pods/storage/pv-claim.yaml")], "persistentvolumeclaim/task-pv-claim created\n");
    step(
        &c,
        &["get", "pv", "task-pv-volume"],
        "NAME             CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM                   STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
task-pv-volume   10Gi       RWO            Retain           Bound    default/task-pv-claim   manual         <unset>                          0s
",
    );
    step(
        &c,
        &["get", "pvc", "task-pv-claim"],
        "NAME            STATUS   VOLUME           CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
task-pv-claim   Bound    task-pv-volume   10Gi       RWO            manual         <unset>                 0s
",
    );
    step(&c, &["apply", "-f", &example("pods/storage/pv-pod.yaml")], "pod/task-pv-pod created\n");
    step(
        &c,
        &["get", "pod", "task-pv-pod"],
        "NAME          READY   STATUS    RESTARTS   AGE\ntask-pv-pod   1/1     Running   0          0s\n",
    );
    let out = shell(&c, "task-pv-pod", "apt update\napt install curl\ncurl -s http://localhost/ | head -2\n");
    let update = APT_GET_UPDATE.replace(
        "Reading package lists...\n",
        "Reading package lists...\nBuilding dependency tree...\nReading state information...\nAll packages are up to date.\n",
    );
    let install = "Reading package lists...
Building dependency tree...
Reading state information...
curl is already the newest version (7.88.1-10+deb12u8).
0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.
";
    assert_text(&out.stdout, &format!("{update}{install}<html>\r\n<head><title>403 Forbidden</title></head>\r\n"));
    assert_text(&out.stderr, &format!("{NO_TTY}{APT_WARNING}{APT_WARNING}"));
    step(&c, &["delete", "pod", "task-pv-pod"], "pod \"task-pv-pod\" deleted\n");
    step(&c, &["delete", "pvc", "task-pv-claim"], "persistentvolumeclaim \"task-pv-claim\" deleted\n");
    step(&c, &["delete", "pv", "task-pv-volume"], "persistentvolume \"task-pv-volume\" deleted\n");
}

#[test]
fn volume_storage_page_replays() {
    // `apt-get install procps` needs the lists `apt-get update` fetches, and puts procps' `ps`
    // into the container's layer (PID 1 runs as `redis`, the user the entrypoint steps down to); `kill 1` restarts the container, whose emptyDir keeps the file
    // while the installed `ps` is gone with the old layer.
    let c = minikube();
    step(&c, &["apply", "-f", &example("pods/storage/redis.yaml")], "pod/redis created\n");
    step(
        &c,
        &["get", "pod", "redis", "--watch"],
        "NAME    READY   STATUS    RESTARTS   AGE
redis   0/1     Pending   0          0s
redis   0/1     Pending   0          0s
redis   0/1     ContainerCreating   0          0s
redis   1/1     Running             0          0s
",
    );
    let before = shell(&c, "redis", "apt-get install procps\n");
    assert_text(
        &before.stdout,
        "Reading package lists...\nBuilding dependency tree...\nReading state information...\n",
    );
    assert_text(
        &before.stderr,
        &format!("{NO_TTY}E: Unable to locate package procps\ncommand terminated with exit code 100\n"),
    );
    assert_eq!(before.code, 100);
    let script = "cd /data/redis/\necho Hello > test-file\napt-get update\napt-get install procps\nps aux\nkill 1\n";
    let out = shell(&c, "redis", script);
    let install = "Reading package lists...
Building dependency tree...
Reading state information...
The following NEW packages will be installed:
  procps
0 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.
Need to get 709 kB of archives.
After this operation, 2152 kB of additional disk space will be used.
Get:1 http://deb.debian.org/debian bookworm/main amd64 procps amd64 2:4.0.2-3 [709 kB]
Fetched 709 kB in 0s (709 kB/s)
Selecting previously unselected package procps.
Preparing to unpack .../procps_2%3a4.0.2-3_amd64.deb ...
Unpacking procps (2:4.0.2-3) ...
Setting up procps (2:4.0.2-3) ...
";
    let ps = "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND
redis          1  0.0  0.0  33308  3828 ?        Ssl  09:00   0:00 redis-server *:6379
root          42  0.0  0.0   8088  4004 ?        Rs   09:00   0:00 ps aux
";
    assert_text(&out.stdout, &format!("{APT_GET_UPDATE}{install}{ps}"));
    // redis-server ends on TERM; the session's bash dies with the container.
    assert_text(&out.stderr, &format!("{NO_TTY}command terminated with exit code 137\n"));
    assert_eq!(out.code, 137);
    step(
        &c,
        &["get", "pod", "redis"],
        "NAME    READY   STATUS    RESTARTS     AGE\nredis   1/1     Running   1 (0s ago)   0s\n",
    );
    let out = shell(&c, "redis", "cd /data/redis/\nls\nps\n");
    assert_text(&out.stdout, "test-file\n");
    assert_text(
        &out.stderr,
        &format!("{NO_TTY}/bin/bash: line 3: ps: command not found\ncommand terminated with exit code 127\n"),
    );
    step(&c, &["delete", "pod", "redis"], "pod \"redis\" deleted\n");
}

#[test]
fn single_instance_mysql_page_replays() {
    // The page's manifests (its Deployment runs mysql:9 today); the client's `exit` ends the
    // session before it reaches the server.
    let c = minikube();
    step(
        &c,
        &["apply", "-f", &example("application/mysql/mysql-pv.yaml")],
        "persistentvolume/mysql-pv-volume created\npersistentvolumeclaim/mysql-pv-claim created\n",
    );
    let manifest = std::fs::read_to_string(example("application/mysql/mysql-deployment.yaml")).expect("example");
    let deployment = c.file("mysql-deployment.yaml", &manifest.replace("mysql:5.6", "mysql:9"));
    step(&c, &["apply", "-f", &deployment], "service/mysql created\ndeployment.apps/mysql created\n");
    step(
        &c,
        &["describe", "deployment", "mysql"],
        "Name:               mysql
Namespace:          default
CreationTimestamp:  Fri, 27 Nov 2026 09:00:00 +0000
Labels:             <none>
Annotations:        deployment.kubernetes.io/revision: 1
Selector:           app=mysql
Replicas:           1 desired | 1 updated | 1 total | 1 available | 0 unavailable
StrategyType:       Recreate
MinReadySeconds:    0
Pod Template:
  Labels:  app=mysql
  Containers:
   mysql:
    Image:      mysql:9
    Port:       3306/TCP
    Host Port:  0/TCP
    Environment:
      MYSQL_ROOT_PASSWORD:  password
    Mounts:
      /var/lib/mysql from mysql-persistent-storage (rw)
  Volumes:
   mysql-persistent-storage:
    Type:          PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
    ClaimName:     mysql-pv-claim
    ReadOnly:      false
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  <none>
NewReplicaSet:   mysql-74d78ff4b4 (1/1 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  0s    deployment-controller  Scaled up replica set mysql-74d78ff4b4 from 0 to 1
",
    );
    step(
        &c,
        &["get", "pods", "-l", "app=mysql"],
        "NAME                     READY   STATUS    RESTARTS   AGE\nmysql-74d78ff4b4-xxslx   1/1     Running   0          0s\n",
    );
    step(
        &c,
        &["describe", "pvc", "mysql-pv-claim"],
        "Name:          mysql-pv-claim
Namespace:     default
StorageClass:  manual
Status:        Bound
Volume:        mysql-pv-volume
Labels:        <none>
Annotations:   pv.kubernetes.io/bind-completed: yes
               pv.kubernetes.io/bound-by-controller: yes
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:      20Gi
Access Modes:  RWO
VolumeMode:    Filesystem
Used By:       mysql-74d78ff4b4-xxslx
Events:        <none>
",
    );
    let client = ["run", "-it", "--rm", "--image=mysql:9", "--restart=Never", "mysql-client", "--"];
    let out = c.run_stdin(&[&client[..], &["mysql", "-h", "mysql", "-ppassword"]].concat(), "SHOW DATABASES;\nexit\n");
    let databases = "Database\ninformation_schema\nmysql\nperformance_schema\nsys\n";
    assert_text(&out.stdout, &format!("{databases}pod \"mysql-client\" deleted\n"));
    assert_text(&out.stderr, &format!("{NO_TTY}If you don't see a command prompt, try pressing enter.\n"));
    assert_eq!(out.code, 0);
    step(&c, &["delete", "deployment,svc", "mysql"], "deployment.apps \"mysql\" deleted\nservice \"mysql\" deleted\n");
    step(&c, &["delete", "pvc", "mysql-pv-claim"], "persistentvolumeclaim \"mysql-pv-claim\" deleted\n");
    step(&c, &["delete", "pv", "mysql-pv-volume"], "persistentvolume \"mysql-pv-volume\" deleted\n");
}

#[test]
fn wordpress_tutorial_replays() {
    // The kustomization the page builds with two here-documents; kustomize names the Secret by
    // its content's hash (as `kubectl kustomize` v5.5.0 does) and orders the objects by kind.
    let c = minikube();
    let dir = c.path_of("wordpress");
    std::fs::create_dir_all(&dir).expect("dir");
    for f in ["mysql-deployment.yaml", "wordpress-deployment.yaml"] {
        std::fs::copy(example(&format!("application/wordpress/{f}")), dir.join(f)).expect("copy");
    }
    let kustomization = "secretGenerator:
- name: mysql-pass
  literals:
  - password=YOUR_PASSWORD
resources:
  - mysql-deployment.yaml
  - wordpress-deployment.yaml
";
    std::fs::write(dir.join("kustomization.yaml"), kustomization).expect("write");
    let d = dir.to_string_lossy().into_owned();
    step(
        &c,
        &["apply", "-k", &d],
        "secret/mysql-pass-5m26tmdb5k created
service/wordpress created
service/wordpress-mysql created
persistentvolumeclaim/mysql-pv-claim created
persistentvolumeclaim/wp-pv-claim created
deployment.apps/wordpress created
deployment.apps/wordpress-mysql created
",
    );
    step(
        &c,
        &["get", "secrets"],
        "NAME                    TYPE     DATA   AGE\nmysql-pass-5m26tmdb5k   Opaque   1      0s\n",
    );
    step(
        &c,
        &["get", "pvc"],
        "NAME             STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
mysql-pv-claim   Bound    pvc-292cb1fb-f231-4a5a-b78a-ecc35a1e30a5   20Gi       RWO            standard       <unset>                 0s
wp-pv-claim      Bound    pvc-d36baeba-8645-4956-ad31-2c015fbcb486   20Gi       RWO            standard       <unset>                 0s
",
    );
    step(
        &c,
        &["get", "pods"],
        "NAME                               READY   STATUS    RESTARTS   AGE
wordpress-6bbc6c7bbd-r47j8         1/1     Running   0          0s
wordpress-mysql-77bbfcc9dc-shl97   1/1     Running   0          0s
",
    );
    step(
        &c,
        &["get", "services", "wordpress"],
        "NAME        TYPE           CLUSTER-IP    EXTERNAL-IP   PORT(S)        AGE
wordpress   LoadBalancer   10.96.48.28   <pending>     80:32613/TCP   0s
",
    );
    step(
        &c,
        &["delete", "-k", &d],
        "secret \"mysql-pass-5m26tmdb5k\" deleted
service \"wordpress\" deleted
service \"wordpress-mysql\" deleted
persistentvolumeclaim \"mysql-pv-claim\" deleted
persistentvolumeclaim \"wp-pv-claim\" deleted
deployment.apps \"wordpress\" deleted
deployment.apps \"wordpress-mysql\" deleted
",
    );
    assert_eq!(c.ok(&["get", "pvc,deploy,svc,secrets", "-o", "name"]), "service/kubernetes\n");
}
