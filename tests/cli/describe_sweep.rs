//! `describe` layouts found different from kubectl v1.32's by a sweep with
//! ../shared/tools/kubectl-diff.sh over realistic clusters; each expected text is what the real
//! kubectl printed for the same object.

use crate::harness::{assert_text, Cluster};

/// An HPA with every metric type kubectl's v2 describer knows, and a `behavior`.
const HPA_ALL_METRICS: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - {name: api, image: nginx, resources: {requests: {cpu: 100m}}}
      - {name: side, image: busybox, command: [sleep, infinity]}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: all-metrics, labels: {tier: x}, annotations: {a: b}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  maxReplicas: 10
  metrics:
  - type: Pods
    pods: {metric: {name: packets-per-second}, target: {type: AverageValue, averageValue: 1k}}
  - type: Object
    object:
      metric: {name: requests-per-second}
      describedObject: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: main-route}
      target: {type: Value, value: 10k}
  - type: Object
    object:
      metric: {name: hits}
      describedObject: {apiVersion: v1, kind: Service, name: web}
      target: {type: AverageValue, averageValue: "1500m"}
  - type: External
    external:
      metric: {name: queue_messages_ready, selector: {matchLabels: {queue: worker_tasks}}}
      target: {type: AverageValue, averageValue: "30"}
  - type: External
    external:
      metric: {name: lag}
      target: {type: Value, value: "2000"}
  - type: ContainerResource
    containerResource: {name: cpu, container: api, target: {type: Utilization, averageUtilization: 60}}
  - type: ContainerResource
    containerResource: {name: memory, container: side, target: {type: AverageValue, averageValue: 512Mi}}
  - type: Resource
    resource: {name: memory, target: {type: Utilization}}
  behavior:
    scaleUp:
      selectPolicy: Disabled
    scaleDown:
      stabilizationWindowSeconds: 300
      selectPolicy: Min
      policies: [{type: Percent, value: 10, periodSeconds: 60}, {type: Pods, value: 2, periodSeconds: 120}]
"#;

/// Pods, Object, External and ContainerResource metrics each have their own line, and the spec's
/// `behavior` is printed per direction (a direction without policies shows no Select Policy);
/// quantities are canonical (`2000` is `2k`).
#[test]
fn describe_hpa_prints_every_metric_type_and_the_behavior() {
    let c = Cluster::new();
    let f = c.file("hpa.yaml", HPA_ALL_METRICS);
    c.ok(&["apply", "-f", &f]);
    let d = c.ok(&["describe", "hpa", "all-metrics"]);
    let head: String = d.split_inclusive('\n').take_while(|l| !l.starts_with("Conditions:")).collect();
    assert_text(
        &head,
        r#"Name:                                                                     all-metrics
Namespace:                                                                default
Labels:                                                                   tier=x
Annotations:                                                              a: b
CreationTimestamp:                                                        Fri, 27 Nov 2026 09:00:00 +0000
Reference:                                                                Deployment/api
Metrics:                                                                  ( current / target )
  "packets-per-second" on pods:                                           <unknown> / 1k
  "requests-per-second" on Ingress/main-route (target value):             <unknown> / 10k
  "hits" on Service/web (target average value):                           <unknown> / 1500m
  "queue_messages_ready" (target average value):                          <unknown> / 30
  "lag" (target value):                                                   <unknown> / 2k
  resource cpu of container "api" on pods  (as a percentage of request):  <unknown> / 60%
  resource memory of container "side" on pods:                            <unknown> / 512Mi
  resource memory on pods  (as a percentage of request):                  <unknown> / <auto>
Min replicas:                                                             1
Max replicas:                                                             10
Behavior:
  Scale Up:
  Scale Down:
    Stabilization Window: 300 seconds
    Select Policy: Min
    Policies:
      - Type: Percent  Value: 10  Period: 60 seconds
      - Type: Pods     Value: 2   Period: 120 seconds
Deployment pods:       2 current / 0 desired
"#,
    );
}
