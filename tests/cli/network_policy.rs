//! NetworkPolicy (networking.k8s.io/v1) on the real binary: kubernetes.io's "Network Policies"
//! example, the server's defaults (policy types, TCP), the `get` columns, kubectl's describe prose
//! (checked against kubectl v1.32) and the API server's validation. kstate stores policies; it
//! does not enforce them (docs/differences.md).

use crate::harness::{assert_text, Cluster};

/// The `test-network-policy` of kubernetes.io's "Network Policies" page.
const TEST_POLICY: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: test-network-policy
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
  - Ingress
  - Egress
  ingress:
  - from:
    - ipBlock:
        cidr: 172.17.0.0/16
        except:
        - 172.17.1.0/24
    - namespaceSelector:
        matchLabels:
          project: myproject
    - podSelector:
        matchLabels:
          role: frontend
    ports:
    - protocol: TCP
      port: 6379
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/24
    ports:
    - protocol: TCP
      port: 5978
";

#[test]
fn the_network_policies_page_example() {
    let c = Cluster::new();
    let f = c.file("np.yaml", TEST_POLICY);
    assert_text(&c.ok(&["apply", "-f", &f]), "networkpolicy.networking.k8s.io/test-network-policy created\n");
    c.ok(&["create", "-f", &c.file("deny.yaml", "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\nspec:\n  podSelector: {}\n  egress:\n  - ports:\n    - port: 53\n      protocol: UDP\n    - port: 53\n")]);
    assert_text(
        &c.ok(&["get", "netpol"]),
        "NAME                   POD-SELECTOR   AGE
default-deny-ingress   <none>         0s
test-network-policy    role=db        0s
",
    );
    assert_text(
        &c.ok(&["describe", "networkpolicy", "test-network-policy"]),
        "Name:         test-network-policy
Namespace:    default
Created on:   2026-11-27 09:00:00 +0000 UTC
Labels:       <none>
Annotations:  <none>
Spec:
  PodSelector:     role=db
  Allowing ingress traffic:
    To Port: 6379/TCP
    From:
      IPBlock:
        CIDR: 172.17.0.0/16
        Except: 172.17.1.0/24
    From:
      NamespaceSelector: project=myproject
    From:
      PodSelector: role=frontend
  Allowing egress traffic:
    To Port: 5978/TCP
    To:
      IPBlock:
        CIDR: 10.0.0.0/24
        Except: 
  Policy Types: Ingress, Egress
",
    );
    // Without policyTypes the server makes it Ingress, plus Egress for a policy with egress rules;
    // a port without a protocol is TCP.
    assert_text(
        &c.ok(&[
            "get",
            "netpol",
            "default-deny-ingress",
            "-o",
            "jsonpath={.spec.policyTypes} {.spec.egress[0].ports[1].protocol}",
        ]),
        "[\"Ingress\",\"Egress\"] TCP",
    );
    assert_text(
        &c.ok(&["describe", "netpol", "default-deny-ingress"]),
        "Name:         default-deny-ingress
Namespace:    default
Created on:   2026-11-27 09:00:00 +0000 UTC
Labels:       <none>
Annotations:  <none>
Spec:
  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)
  Allowing ingress traffic:
    <none> (Selected pods are isolated for ingress connectivity)
  Allowing egress traffic:
    To Port: 53/UDP
    To Port: 53/TCP
    To: <any> (traffic not restricted by destination)
  Policy Types: Ingress, Egress
",
    );
    assert_text(&c.ok(&["delete", "netpol", "--all"]), "networkpolicy.networking.k8s.io \"default-deny-ingress\" deleted\nnetworkpolicy.networking.k8s.io \"test-network-policy\" deleted\n");
}

#[test]
fn the_api_server_validates_network_policies() {
    let c = Cluster::new();
    let f = c.file(
        "bad.yaml",
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad}
spec:
  podSelector: {matchExpressions: [{key: app, operator: In}]}
  ingress:
  - ports: [{port: http, endPort: 90}, {protocol: ICMP}]
    from: [{}, {ipBlock: {cidr: 10.0.0.0/8, except: [10.0.0.0/4]}}]
  policyTypes: [Ingress, Sideways]
",
    );
    let o = c.run(&["apply", "-f", &f]);
    assert_eq!(o.code, 1);
    assert_text(
        &o.stderr,
        "The NetworkPolicy \"bad\" is invalid: 
* spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'
* spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric
* spec.ingress[0].ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\"
* spec.ingress[0].from[0]: Required value: must specify a peer
* spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: \"10.0.0.0/4\": must be a strict subset of `cidr`
* spec.policyTypes[1]: Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\"
",
    );
}
