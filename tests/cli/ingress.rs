//! Ingress and IngressClass (networking.k8s.io/v1) on the real binary: kubernetes.io's "Ingress"
//! page examples, the DefaultIngressClass admission plugin, the `get` columns, describe's rules
//! with each backend's endpoints (checked against kubectl v1.32), `create ingress` and the API
//! server's validation. No ingress controller runs: ADDRESS stays empty.

use crate::harness::{assert_text, Cluster};

/// The IngressClass, minimal Ingress and name-based virtual hosting of kubernetes.io's page.
const PAGE: &str = "apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx-example
  annotations:
    ingressclass.kubernetes.io/is-default-class: \"true\"
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: minimal-ingress
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
spec:
  ingressClassName: nginx-example
  rules:
  - http:
      paths:
      - path: /testpath
        pathType: Prefix
        backend:
          service:
            name: test
            port:
              number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: name-virtual-host-ingress
spec:
  tls:
  - hosts: [foo.bar.com]
    secretName: testsecret-tls
  rules:
  - host: foo.bar.com
    http:
      paths:
      - pathType: Prefix
        path: \"/\"
        backend:
          service:
            name: web
            port:
              number: 80
  - host: bar.foo.com
    http:
      paths:
      - pathType: Prefix
        path: \"/\"
        backend:
          service:
            name: service2
            port:
              number: 80
";

#[test]
fn the_ingress_page_examples() {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "web", "--image=nginx", "--port=80"]);
    c.ok(&["expose", "deployment", "web", "--port=80"]);
    let f = c.file("ing.yaml", PAGE);
    assert_text(
        &c.ok(&["apply", "-f", &f]),
        "ingressclass.networking.k8s.io/nginx-example created
ingress.networking.k8s.io/minimal-ingress created
ingress.networking.k8s.io/name-virtual-host-ingress created
",
    );
    // The second Ingress names no class: admission gives it the default one.
    assert_text(
        &c.ok(&["get", "ingress"]),
        "NAME                        CLASS           HOSTS                     ADDRESS   PORTS     AGE
minimal-ingress             nginx-example   *                                   80        0s
name-virtual-host-ingress   nginx-example   foo.bar.com,bar.foo.com             80, 443   0s
",
    );
    assert_text(
        &c.ok(&["get", "ingressclass"]),
        "NAME            CONTROLLER             PARAMETERS   AGE\nnginx-example   k8s.io/ingress-nginx   <none>       0s\n",
    );
    assert_text(
        &c.ok(&["describe", "ing", "name-virtual-host-ingress"]),
        "Name:             name-virtual-host-ingress
Labels:           <none>
Namespace:        default
Address:          
Ingress Class:    nginx-example
Default backend:  <default>
TLS:
  testsecret-tls terminates foo.bar.com
Rules:
  Host         Path  Backends
  ----         ----  --------
  foo.bar.com  
               /   web:80 (10.244.0.2:80)
  bar.foo.com  
               /   service2:80 (<error: services \"service2\" not found>)
Annotations:   <none>
Events:        <none>
",
    );
    let yaml = c.ok(&["get", "ing", "minimal-ingress", "-o", "yaml"]);
    assert!(yaml.contains("  generation: 1\n") && yaml.ends_with("status:\n  loadBalancer: {}\n"), "{yaml}");
}

#[test]
fn create_ingress_as_kubectl_builds_it() {
    let c = Cluster::new();
    assert_text(
        &c.ok(&[
            "create",
            "ingress",
            "ingtls",
            "--class=default",
            "--rule=foo.com/=svc:https,tls",
            "--rule=foo.com/path/subpath*=othersvc:8080",
            "--annotation=a=b",
            "--dry-run=client",
            "-o",
            "yaml",
        ]),
        "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    a: b
  creationTimestamp: null
  name: ingtls
spec:
  ingressClassName: default
  rules:
  - host: foo.com
    http:
      paths:
      - backend:
          service:
            name: svc
            port:
              name: https
        path: /
        pathType: Exact
      - backend:
          service:
            name: othersvc
            port:
              number: 8080
        path: /path/subpath
        pathType: Prefix
  tls:
  - hosts:
    - foo.com
status:
  loadBalancer: {}
",
    );
    assert_text(
        &c.ok(&["create", "ing", "catch-all", "--default-backend=web:80"]),
        "ingress.networking.k8s.io/catch-all created\n",
    );
    assert_text(
        &c.ok(&["describe", "ingress", "catch-all"]),
        "Name:             catch-all
Labels:           <none>
Namespace:        default
Address:          
Ingress Class:    <none>
Default backend:  web:80 (<error: services \"web\" not found>)
Rules:
  Host        Path  Backends
  ----        ----  --------
  *           *     web:80 (<error: services \"web\" not found>)
Annotations:  <none>
Events:       <none>
",
    );
    let refusals: &[(&[&str], &str)] = &[
        (&["ingress", "x"], "error: not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)\n"),
        (&["ingress", "x", "--rule=foo.com=svc:80"], "error: rule foo.com=svc:80 is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]\n"),
        (&["ingress", "x", "--default-backend=a:b:c"], "error: default-backend should be in format servicename:serviceport\n"),
        (&["ingress", "x", "--rule=/=a:1", "--annotation=x"], "error: annotation x is invalid and should be in format key=[value]\n"),
        (&["ingress", "catch-all", "--rule=/=a:1"], "error: failed to create ingress: ingresses.networking.k8s.io \"catch-all\" already exists\n"),
    ];
    for (args, want) in refusals {
        let mut argv = vec!["create"];
        argv.extend_from_slice(args);
        let o = c.run(&argv);
        assert_eq!(o.code, 1, "{args:?}");
        assert_text(&o.stderr, want);
    }
}

#[test]
fn the_api_server_validates_ingresses_and_classes() {
    let c = Cluster::new();
    let f = c.file(
        "bad.yaml",
        "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: bad
  annotations: {kubernetes.io/ingress.class: other}
spec:
  ingressClassName: nginx
  rules:
  - host: 1.2.3.4
    http:
      paths:
      - {path: /a//b, pathType: Prefix, backend: {service: {name: web, port: {number: 80, name: http}}}}
      - {path: rel, pathType: Regex, backend: {}}
      - {path: /x, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: empty}
spec: {}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: bad}
spec:
  controller: nginx
  parameters: {kind: X, name: params, scope: Namespace}
",
    );
    let o = c.run(&["apply", "-f", &f]);
    assert_eq!(o.code, 1);
    let path = f.as_str();
    assert_text(
        &o.stderr,
        &format!("Error from server (Invalid): error when creating \"{path}\": Ingress.networking.k8s.io \"bad\" is invalid: [spec.rules[0].host: Invalid value: \"1.2.3.4\": must be a DNS name, not an IP address, spec.rules[0].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//', spec.rules[0].http.paths[0].backend: Invalid value: \"\": cannot set both port name & port number, spec.rules[0].http.paths[1].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\", spec.rules[0].http.paths[1].backend: Invalid value: \"\": resource or service backend is required, spec.rules[0].http.paths[2].pathType: Required value: pathType must be specified, annotations.kubernetes.io/ingress.class: Invalid value: \"other\": must match `ingressClassName` when both are specified]
Error from server (Invalid): error when creating \"{path}\": Ingress.networking.k8s.io \"empty\" is invalid: spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified
Error from server (Invalid): error when creating \"{path}\": IngressClass.networking.k8s.io \"bad\" is invalid: [spec.controller: Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\"), spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace']
"),
    );
}
