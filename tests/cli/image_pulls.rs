//! Image pulls that fail as on a real cluster: a tag the registry never published (for the
//! repositories of kstate's image catalogue) waits in `ErrImagePull`, then `ImagePullBackOff`
//! under the kubelet's image back-off, with containerd's not-found error and the kubelet's
//! events; a fixed image pulls and starts. The kubernetes.io pages that rely on it are replayed:
//! concepts/workloads/controllers/deployment ("Rolling Back a Deployment") and
//! tutorials/kubernetes-basics/update ("Performing a Rolling Update").

use crate::harness::{assert_text, k8s_example, minikube, step, Cluster};

const NGINX_NOT_FOUND: &str = "rpc error: code = NotFound desc = failed to pull and unpack image \
     \"docker.io/library/nginx:1.161\": failed to resolve reference \"docker.io/library/nginx:1.161\": \
     docker.io/library/nginx:1.161: not found";

/// The Events section of a describe output.
fn events(describe: &str) -> String {
    describe.split_once("Events:\n").map(|(_, e)| e.to_string()).unwrap_or_default()
}

#[test]
fn deployment_page_rolling_back_a_deployment() {
    let c = Cluster::new();
    c.ok(&["apply", "-f", &k8s_example("controllers/nginx-deployment.yaml")]);
    c.ok(&["set", "image", "deployment/nginx-deployment", "nginx=nginx:1.16.1"]);
    step(
        &c,
        &["rollout", "status", "deployment/nginx-deployment"],
        "deployment \"nginx-deployment\" successfully rolled out\n",
    );
    // "Suppose that you made a typo while updating the Deployment".
    step(
        &c,
        &["set", "image", "deployment/nginx-deployment", "nginx=nginx:1.161"],
        "deployment.apps/nginx-deployment image updated\n",
    );
    // "The rollout gets stuck": the reader stops `rollout status` after a while.
    let out = c.run(&["rollout", "status", "deployment/nginx-deployment", "--timeout=25s"]);
    assert_text(
        &out.stdout,
        "Waiting for deployment \"nginx-deployment\" rollout to finish: 1 out of 3 new replicas have been updated...\n",
    );
    assert_eq!((out.stderr.as_str(), out.code), ("error: timed out waiting for the condition\n", 1));
    step(
        &c,
        &["get", "rs"],
        "NAME                          DESIRED   CURRENT   READY   AGE
nginx-deployment-67db4d5b76   1         1         0       25s
nginx-deployment-77bd6c8ddf   0         0         0       25s
nginx-deployment-858456866b   3         3         3       25s
",
    );
    step(
        &c,
        &["get", "pods"],
        "NAME                                READY   STATUS             RESTARTS   AGE
nginx-deployment-67db4d5b76-fzl6r   0/1     ImagePullBackOff   0          25s
nginx-deployment-858456866b-9l9v8   1/1     Running            0          25s
nginx-deployment-858456866b-bwj8n   1/1     Running            0          25s
nginx-deployment-858456866b-zjc84   1/1     Running            0          25s
",
    );
    let d = c.ok(&["describe", "deployment"]);
    assert!(
        d.contains("Replicas:               3 desired | 1 updated | 4 total | 3 available | 1 unavailable\n"),
        "{d}"
    );
    assert!(
        d.contains(
            "  Available      True    MinimumReplicasAvailable\n  Progressing    True    ReplicaSetUpdated\n\
             OldReplicaSets:  nginx-deployment-77bd6c8ddf (0/0 replicas created), nginx-deployment-858456866b (3/3 replicas created)\n\
             NewReplicaSet:   nginx-deployment-67db4d5b76 (1/1 replicas created)\n"
        ),
        "{d}"
    );
    assert!(d.ends_with("  Normal  ScalingReplicaSet  25s   deployment-controller  Scaled up replica set nginx-deployment-67db4d5b76 from 0 to 1\n"), "{d}");
    // The pod: pulled at 0 s and 10 s (the first window, 10 s, had passed), refused at 20 s
    // (inside the second, 20 s).
    let pod = "nginx-deployment-67db4d5b76-fzl6r";
    let d = c.ok(&["describe", "pod", pod]);
    assert!(d.contains("Status:           Pending\n"), "{d}");
    assert!(
        d.contains("    State:          Waiting\n      Reason:       ImagePullBackOff\n    Ready:          False\n"),
        "{d}"
    );
    assert_text(
        &events(&d),
        &format!(
            "  Type     Reason     Age                From               Message
  ----     ------     ----               ----               -------
  Normal   Scheduled  25s                default-scheduler  Successfully assigned default/{pod} to cn-beijing.192.168.0.101
  Normal   Pulling    15s (x2 over 25s)  kubelet            Pulling image \"nginx:1.161\"
  Warning  Failed     15s (x2 over 25s)  kubelet            Failed to pull image \"nginx:1.161\": {NGINX_NOT_FOUND}
  Warning  Failed     15s (x2 over 25s)  kubelet            Error: ErrImagePull
  Normal   BackOff    5s                 kubelet            Back-off pulling image \"nginx:1.161\"
  Warning  Failed     5s                 kubelet            Error: ImagePullBackOff
"
        ),
    );
    let waiting =
        "{.status.containerStatuses[0].state.waiting.reason}: {.status.containerStatuses[0].state.waiting.message}";
    step(
        &c,
        &["get", "pod", pod, "-o", &format!("jsonpath={waiting}")],
        "ImagePullBackOff: Back-off pulling image \"nginx:1.161\"",
    );
    // Waiting on: the rollout runs into its progress deadline (600 s), as on a real cluster.
    let out = c.run(&["rollout", "status", "deployment/nginx-deployment"]);
    assert_text(
        &out.stdout,
        "Waiting for deployment \"nginx-deployment\" rollout to finish: 1 out of 3 new replicas have been updated...\n",
    );
    assert_eq!(
        (out.stderr.as_str(), out.code),
        ("error: deployment \"nginx-deployment\" exceeded its progress deadline\n", 1)
    );
    assert!(c.ok(&["describe", "deploy"]).contains("  Progressing    False   ProgressDeadlineExceeded\n"));
    // Pulls at 0, 10, 30, 70, 150 and 310 s (the next is due at 610 s), refusals at the retries
    // between them (every 10 s).
    let d = c.ok(&["describe", "pod", pod]);
    assert!(
        d.contains("  Normal   Pulling    4m50s (x6 over 10m)  kubelet            Pulling image \"nginx:1.161\"\n"),
        "{d}"
    );
    assert!(
        d.contains(
            "  Normal   BackOff    0s (x55 over 9m40s)  kubelet            Back-off pulling image \"nginx:1.161\"\n"
        ),
        "{d}"
    );
    // "Rolling Back to a Previous Revision".
    step(&c, &["rollout", "undo", "deployment/nginx-deployment"], "deployment.apps/nginx-deployment rolled back\n");
    step(
        &c,
        &["get", "deployment", "nginx-deployment"],
        "NAME               READY   UP-TO-DATE   AVAILABLE   AGE\nnginx-deployment   3/3     3            3           10m\n",
    );
    step(
        &c,
        &["get", "pods"],
        "NAME                                READY   STATUS    RESTARTS   AGE
nginx-deployment-858456866b-9l9v8   1/1     Running   0          10m
nginx-deployment-858456866b-bwj8n   1/1     Running   0          10m
nginx-deployment-858456866b-zjc84   1/1     Running   0          10m
",
    );
    let d = c.ok(&["describe", "deployment", "nginx-deployment"]);
    assert!(d.contains("    Image:         nginx:1.16.1\n"), "{d}");
    assert!(d.contains("  Progressing    True    NewReplicaSetAvailable\n"), "{d}");
    assert!(d.ends_with("  Normal  ScalingReplicaSet  0s    deployment-controller  Scaled down replica set nginx-deployment-67db4d5b76 from 1 to 0\n"), "{d}");
}

#[test]
fn kubernetes_basics_update_page_rolls_back_an_image_that_does_not_exist() {
    let c = minikube();
    c.ok(&["create", "deployment", "kubernetes-bootcamp", "--image=gcr.io/google-samples/kubernetes-bootcamp:v1"]);
    c.ok(&["scale", "deployments/kubernetes-bootcamp", "--replicas=4"]);
    c.ok(&[
        "set",
        "image",
        "deployments/kubernetes-bootcamp",
        "kubernetes-bootcamp=docker.io/jocatalin/kubernetes-bootcamp:v2",
    ]);
    step(
        &c,
        &["rollout", "status", "deployments/kubernetes-bootcamp"],
        "deployment \"kubernetes-bootcamp\" successfully rolled out\n",
    );
    // "Roll back an update": `v10` does not exist.
    step(
        &c,
        &[
            "set",
            "image",
            "deployments/kubernetes-bootcamp",
            "kubernetes-bootcamp=gcr.io/google-samples/kubernetes-bootcamp:v10",
        ],
        "deployment.apps/kubernetes-bootcamp image updated\n",
    );
    step(
        &c,
        &["get", "deployments"],
        "NAME                  READY   UP-TO-DATE   AVAILABLE   AGE\nkubernetes-bootcamp   3/4     2            3           0s\n",
    );
    c.ok(&["advance", "25s"]);
    step(
        &c,
        &["get", "pods"],
        "NAME                                   READY   STATUS             RESTARTS   AGE
kubernetes-bootcamp-646d85f566-bwm8p   0/1     ImagePullBackOff   0          25s
kubernetes-bootcamp-646d85f566-mpvtx   0/1     ImagePullBackOff   0          25s
kubernetes-bootcamp-79c9b9f759-fhrp6   1/1     Running            0          25s
kubernetes-bootcamp-79c9b9f759-gwrc2   1/1     Running            0          25s
kubernetes-bootcamp-79c9b9f759-t8kpd   1/1     Running            0          25s
",
    );
    let names = "{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}";
    let affected =
        c.ok(&["get", "pods", "--field-selector", "status.phase=Pending", "-o", "go-template", "--template", names]);
    assert_text(&affected, "kubernetes-bootcamp-646d85f566-bwm8p\nkubernetes-bootcamp-646d85f566-mpvtx\n");
    let pod = "kubernetes-bootcamp-646d85f566-bwm8p";
    let d = c.ok(&["describe", "pod", pod]);
    assert!(
        d.contains(
            "    Image:          gcr.io/google-samples/kubernetes-bootcamp:v10\n    Image ID:       \n    Port:           <none>\n    \
             Host Port:      <none>\n    State:          Waiting\n      Reason:       ImagePullBackOff\n"
        ),
        "{d}"
    );
    let image = "gcr.io/google-samples/kubernetes-bootcamp:v10";
    assert_text(
        &events(&d),
        &format!(
            "  Type     Reason     Age                From               Message
  ----     ------     ----               ----               -------
  Normal   Scheduled  25s                default-scheduler  Successfully assigned default/{pod} to minikube
  Normal   Pulling    15s (x2 over 25s)  kubelet            Pulling image \"{image}\"
  Warning  Failed     15s (x2 over 25s)  kubelet            Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": {image}: not found
  Warning  Failed     15s (x2 over 25s)  kubelet            Error: ErrImagePull
  Normal   BackOff    5s                 kubelet            Back-off pulling image \"{image}\"
  Warning  Failed     5s                 kubelet            Error: ImagePullBackOff
"
        ),
    );
    step(
        &c,
        &["rollout", "undo", "deployments/kubernetes-bootcamp"],
        "deployment.apps/kubernetes-bootcamp rolled back\n",
    );
    step(
        &c,
        &["get", "pods"],
        "NAME                                   READY   STATUS    RESTARTS   AGE
kubernetes-bootcamp-79c9b9f759-fhrp6   1/1     Running   0          25s
kubernetes-bootcamp-79c9b9f759-gwrc2   1/1     Running   0          25s
kubernetes-bootcamp-79c9b9f759-t8kpd   1/1     Running   0          25s
kubernetes-bootcamp-79c9b9f759-w26l8   1/1     Running   0          0s
",
    );
    let images: Vec<String> = c
        .ok(&["describe", "pods"])
        .lines()
        .filter(|l| l.starts_with("    Image:"))
        .map(|l| l.split_whitespace().last().unwrap_or_default().to_string())
        .collect();
    assert_eq!(images, vec!["docker.io/jocatalin/kubernetes-bootcamp:v2"; 4]);
}

/// A pod's own image, edited while it waits, is pulled at once: another missing tag fails anew
/// (a new image starts a new back-off), a tag that exists is pulled and started.
#[test]
fn an_edited_pod_image_is_pulled_again() {
    let c = Cluster::new();
    step(&c, &["run", "web", "--image=nginx:1.161"], "pod/web created\n");
    step(&c, &["get", "pod", "web", "--no-headers"], "web   0/1   ErrImagePull   0     0s\n");
    let state = "jsonpath={.status.containerStatuses[0].state.waiting.reason}: {.status.containerStatuses[0].state.waiting.message}";
    step(&c, &["get", "pod", "web", "-o", state], &format!("ErrImagePull: {NGINX_NOT_FOUND}"));
    c.ok(&["advance", "15s"]);
    step(&c, &["get", "pod", "web", "--no-headers"], "web   0/1   ErrImagePull   0     15s\n");
    c.ok(&["advance", "10s"]);
    step(&c, &["get", "pod", "web", "--no-headers"], "web   0/1   ImagePullBackOff   0     25s\n");
    step(&c, &["set", "image", "pod/web", "web=nginx:sometag"], "pod/web image updated\n");
    step(&c, &["get", "pod", "web", "--no-headers"], "web   0/1   ErrImagePull   0     25s\n");
    let d = c.ok(&["describe", "pod", "web"]);
    assert!(
        d.contains("  Normal   Pulling    0s                 kubelet            Pulling image \"nginx:sometag\"\n"),
        "{d}"
    );
    assert!(
        d.contains("  Warning  Failed     0s                 kubelet            Failed to pull image \"nginx:sometag\": rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:sometag\""),
        "{d}"
    );
    c.ok(&["patch", "pod", "web", "-p", r#"{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}"#]);
    step(&c, &["get", "pod", "web", "--no-headers"], "web   1/1   Running   0     25s\n");
    let d = c.ok(&["describe", "pod", "web"]);
    assert!(
        d.contains("  Normal   Pulling    0s                 kubelet            Pulling image \"nginx:1.27\"\n"),
        "{d}"
    );
    assert!(d.contains("  Normal   Started    0s                 kubelet            Started container web\n"), "{d}");
}

/// Only tags certainly missing fail: images kstate does not know, references by digest and
/// every published tag of the known repositories pull.
#[test]
fn unknown_images_digests_and_published_tags_pull() {
    let c = Cluster::new();
    let digest = format!("nginx@sha256:{}", "a".repeat(64));
    for (name, image) in [
        ("a", "example.com/team/app:1.161"),
        ("b", digest.as_str()),
        ("c", "nginx:1.27-alpine"),
        ("d", "httpd:2.4.41-alpine"),
        ("e", "gcr.io/google-samples/hello-app:2.0"),
        ("f", "nginx:stable-perl"),
    ] {
        c.ok(&["run", name, &format!("--image={image}")]);
    }
    step(
        &c,
        &["get", "pods", "--no-headers"],
        "a     1/1   Running   0     0s\nb     1/1   Running   0     0s\nc     1/1   Running   0     0s\n\
         d     1/1   Running   0     0s\ne     1/1   Running   0     0s\nf     1/1   Running   0     0s\n",
    );
    c.ok(&["run", "g", "--image=gcr.io/google-samples/hello-app:3.0"]);
    step(&c, &["get", "pod", "g", "--no-headers"], "g     0/1   ErrImagePull   0     0s\n");
}
