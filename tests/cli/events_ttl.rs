//! Events live an hour after their last write, in cluster time (the API server's --event-ttl).

use crate::harness::{assert_text, Cluster};

const BACKOFF: &str =
    "Back-off restarting failed container crash in pod crash_default(44b4567c-4393-4d37-b12e-f05ba3b6468f)";
const PULLED: &str =
    "Successfully pulled image \"busybox\" in 2.481s (2.481s including waiting). Image size: 24326290 bytes.";

#[test]
fn an_event_goes_an_hour_after_its_last_write_and_a_series_lives_on() {
    let c = Cluster::new();
    c.ok(&["init", "--profile", "kind"]);
    assert_eq!(c.ok(&["run", "crash", "--image=busybox", "--", "sh", "-c", "exit 1"]), "pod/crash created\n");
    // Exactly an hour after it was recorded, the pod's one Scheduled event is still there.
    c.ok(&["advance", "1h"]);
    assert_text(
        &c.ok(&["get", "events"]),
        &format!(
            "LAST SEEN   TYPE      REASON      OBJECT      MESSAGE
60m         Normal    Scheduled   pod/crash   Successfully assigned default/crash to kind-control-plane
4m50s       Normal    Pulling     pod/crash   Pulling image \"busybox\"
4m50s       Normal    Pulled      pod/crash   {PULLED}
4m50s       Normal    Created     pod/crash   Created container: crash
4m50s       Normal    Started     pod/crash   Started container crash
4m50s       Warning   BackOff     pod/crash   {BACKOFF}
"
        ),
    );
    // A second later it is gone; the back-off series, bumped every five minutes, stays.
    c.ok(&["advance", "1s"]);
    assert_text(
        &c.ok(&["get", "events"]),
        &format!(
            "LAST SEEN   TYPE      REASON    OBJECT      MESSAGE
4m51s       Normal    Pulling   pod/crash   Pulling image \"busybox\"
4m51s       Normal    Pulled    pod/crash   {PULLED}
4m51s       Normal    Created   pod/crash   Created container: crash
4m51s       Normal    Started   pod/crash   Started container crash
4m51s       Warning   BackOff   pod/crash   {BACKOFF}
"
        ),
    );
    c.ok(&["advance", "2h"]);
    let described = c.ok(&["describe", "pod", "crash"]);
    let events = &described[described.find("Events:").unwrap_or(0)..];
    assert_text(
        events,
        "Events:
  Type     Reason   Age                  From     Message
  ----     ------   ----                 ----     -------
  Normal   Pulling  4m51s (x41 over 3h)  kubelet  Pulling image \"busybox\"
  Normal   Pulled   4m51s (x41 over 3h)  kubelet  Successfully pulled image \"busybox\" in 2.481s (2.481s including waiting). Image size: 24326290 bytes.
  Normal   Created  4m51s (x41 over 3h)  kubelet  Created container: crash
  Normal   Started  4m51s (x41 over 3h)  kubelet  Started container crash
  Warning  BackOff  4m51s (x40 over 3h)  kubelet  Back-off restarting failed container crash in pod crash_default(44b4567c-4393-4d37-b12e-f05ba3b6468f)
",
    );
}

/// The events of a Deployment's first pod, `web-78bb58b5b8-<pod>`, at its creation.
fn deployment_events(pod: &str, from: u32) -> String {
    let p = format!("pod/web-78bb58b5b8-{pod}");
    format!(
        "LAST SEEN   TYPE     REASON              OBJECT                      MESSAGE
0s          Normal   Scheduled           {p}    Successfully assigned default/web-78bb58b5b8-{pod} to kind-control-plane
0s          Normal   Pulling             {p}    Pulling image \"nginx\"
0s          Normal   Pulled              {p}    Successfully pulled image \"nginx\" in 2.261s (2.261s including waiting). Image size: 23824487 bytes.
0s          Normal   Created             {p}    Created container: nginx
0s          Normal   Started             {p}    Started container nginx
0s          Normal   SuccessfulCreate    replicaset/web-78bb58b5b8   Created pod: web-78bb58b5b8-{pod}
0s          Normal   ScalingReplicaSet   deployment/web              Scaled up replica set web-78bb58b5b8 from {from} to {}
",
        from + 1
    )
}

#[test]
fn a_quiet_cluster_forgets_its_events_and_a_read_sees_it() {
    let mut c = Cluster::new();
    c.ok(&["init", "--profile", "kind"]);
    c.ok(&["create", "deployment", "web", "--image=nginx"]);
    assert_text(&c.ok(&["get", "events"]), &deployment_events("42gvr", 0));
    // Nothing else is due when the clock moves on by itself: the read expires them.
    c.at("2026-11-27T10:00:00Z");
    assert_eq!(c.ok(&["get", "events", "--no-headers"]).lines().count(), 7);
    c.at("2026-11-27T10:00:01Z");
    let out = c.run(&["get", "events"]);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", "No resources found in default namespace.\n"));
    let described = c.ok(&["describe", "deployment", "web"]);
    assert!(described.ends_with("Events:          <none>\n"), "{described}");
    let described = c.ok(&["describe", "pod", "web-78bb58b5b8-42gvr"]);
    assert!(described.ends_with("Events:                      <none>\n"), "{described}");
    // New events are recorded as usual, and only they are listed.
    c.ok(&["scale", "deployment", "web", "--replicas=2"]);
    assert_text(&c.ok(&["get", "events"]), &deployment_events("gvqwp", 1));
}

#[test]
fn a_repeat_after_the_hour_ran_out_starts_a_new_event() {
    let c = Cluster::new();
    c.ok(&["init", "--profile", "kind"]);
    c.ok(&["run", "slow", "--image=busybox", "--", "sh", "-c", "sleep 4000; exit 1"]);
    // The container restarts 4,000 s in, while time is caught up: its first events expired at
    // the hour, before that instant, so the restart's events are new ones (not "x2 over 67m").
    c.ok(&["advance", "2h"]);
    let described = c.ok(&["describe", "pod", "slow"]);
    let events = &described[described.find("Events:").unwrap_or(0)..];
    assert_text(
        events,
        "Events:
  Type    Reason   Age   From     Message
  ----    ------   ----  ----     -------
  Normal  Pulling  53m   kubelet  Pulling image \"busybox\"
  Normal  Pulled   53m   kubelet  Successfully pulled image \"busybox\" in 2.481s (2.481s including waiting). Image size: 24326290 bytes.
  Normal  Created  53m   kubelet  Created container: slow
  Normal  Started  53m   kubelet  Started container slow
",
    );
    assert_eq!(c.ok(&["get", "pod", "slow", "--no-headers"]), "slow   1/1   Running   1 (53m ago)   120m\n");
}
