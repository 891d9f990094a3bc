//! `kstate VERB --help`, `kstate VERB -h` and `kstate help VERB` print kubectl v1.32's help for
//! kubectl's verbs (src/cli/help/*.txt, taken from the real kubectl); kstate's own verbs keep
//! clap's help.

use crate::harness::{assert_text, Cluster};

/// Runs a help command line: stdout, nothing on stderr, exit 0, and no cluster created.
fn help(c: &Cluster, args: &[&str]) -> String {
    let o = c.run(args);
    assert_eq!((o.stderr.as_str(), o.code), ("", 0), "kstate {args:?}");
    assert!(!c.state().exists(), "kstate {args:?} created a cluster");
    o.stdout
}

#[test]
fn get_help_is_kubectls() {
    let c = Cluster::new();
    let got = help(&c, &["get", "--help"]);
    assert_text(&got, include_str!("../../src/cli/help/get.txt"));
    assert!(got.starts_with("Display one or many resources.\n\n Prints a table of the most important information"));
    assert!(got.contains("\nExamples:\n  # List all pods in ps output format\n  kubectl get pods\n"));
    assert!(got.contains(
        "\nOptions:\n    -A, --all-namespaces=false:\n\tIf present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.\n\n    --allow-missing-template-keys=true:\n"
    ));
    assert!(got.contains("\n    -o, --output='':\n\tOutput format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide)."));
    assert!(got.ends_with(
        " [flags] [options]\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n"
    ));
    assert_text(&help(&c, &["get", "-h"]), &got);
    assert_text(&help(&c, &["help", "get"]), &got);
    assert_text(&help(&c, &["-n", "kube-system", "get", "pods", "-o", "wide", "--help"]), &got);
}

#[test]
fn help_scale_is_kubectls() {
    let c = Cluster::new();
    let want = SCALE;
    assert_text(&help(&c, &["help", "scale"]), want);
    assert_text(&help(&c, &["scale", "--help"]), want);
    assert_text(&help(&c, &["scale", "statefulset", "web", "--replicas=3", "-h"]), want);
}

#[test]
fn create_deployment_help_is_kubectls() {
    let c = Cluster::new();
    assert_text(&help(&c, &["create", "deployment", "-h"]), CREATE_DEPLOYMENT);
    assert_text(&help(&c, &["help", "create", "deployment"]), CREATE_DEPLOYMENT);
    assert_text(&help(&c, &["create", "deployment", "web", "--image=nginx", "-h"]), CREATE_DEPLOYMENT);
    // Subcommands have their own text, not their parent's.
    let create = help(&c, &["create", "--help"]);
    assert!(create.starts_with("Create a resource from a file or from stdin.\n"));
    assert!(create.contains("\nAvailable Commands:\n  clusterrole           Create a cluster role\n"));
    assert!(help(&c, &["rollout", "status", "-h"]).starts_with("Show the status of the rollout."));
    assert!(help(&c, &["set", "image", "-h"]).starts_with("Update existing container image(s) of resources."));
    assert!(help(&c, &["apply", "view-last-applied", "-h"]).starts_with("View the latest last-applied-configuration"));
    assert!(help(&c, &["auth", "can-i", "--help"]).starts_with("Check whether an action is allowed."));
}

#[test]
fn top_level_help_lists_kubectls_command_groups() {
    let c = Cluster::new();
    for args in [&["--help"][..], &["-h"], &["help"]] {
        assert_text(&help(&c, args), TOP_LEVEL);
    }
}

#[test]
fn kstates_own_verbs_keep_claps_help() {
    let c = Cluster::new();
    let tree = help(&c, &["tree", "--help"]);
    assert!(tree.starts_with("Show the ownership tree of an object"), "{tree}");
    assert!(tree.contains("Usage: kstate tree"), "{tree}");
    assert!(help(&c, &["help", "advance"]).contains("Usage: kstate advance"));
    // `-h` after `--` is the container command's.
    let o = c.run(&["exec", "web-0", "--", "ls", "-h"]);
    assert_ne!(o.code, 0);
    assert!(!o.stdout.contains("Execute a command in a container."));
}

#[test]
fn every_kubectl_verb_kstate_has_has_a_help_text() {
    // Walks the clap definition, so a verb added without its kubectl text fails here.
    assert_eq!(kstate::cli::help::missing(), Vec::<String>::new());
}

const SCALE: &str = r#"Set a new size for a deployment, replica set, replication controller, or stateful set.

 Scale also allows users to specify one or more preconditions for the scale action.

 If --current-replicas or --resource-version is specified, it is validated before the scale is attempted, and it is guaranteed that the precondition holds true when the scale is sent to the server.

Examples:
  # Scale a replica set named 'foo' to 3
  kubectl scale --replicas=3 rs/foo
  
  # Scale a resource identified by type and name specified in "foo.yaml" to 3
  kubectl scale --replicas=3 -f foo.yaml
  
  # If the deployment named mysql's current size is 2, scale mysql to 3
  kubectl scale --current-replicas=2 --replicas=3 deployment/mysql
  
  # Scale multiple replication controllers
  kubectl scale --replicas=5 rc/example1 rc/example2 rc/example3
  
  # Scale stateful set named 'web' to 3
  kubectl scale --replicas=3 statefulset/web

Options:
    --all=false:
	Select all resources in the namespace of the specified resource types

    --allow-missing-template-keys=true:
	If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.

    --current-replicas=-1:
	Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition.

    --dry-run='none':
	Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.

    -f, --filename=[]:
	Filename, directory, or URL to files identifying the resource to set a new size

    -k, --kustomize='':
	Process the kustomization directory. This flag can't be used together with -f or -R.

    -o, --output='':
	Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).

    -R, --recursive=false:
	Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.

    --replicas=0:
	The new desired number of replicas. Required.

    --resource-version='':
	Precondition for resource version. Requires that the current resource version match this value in order to scale.

    -l, --selector='':
	Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.

    --show-managed-fields=false:
	If true, keep the managedFields when printing objects in JSON or YAML format.

    --template='':
	Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].

    --timeout=0s:
	The length of time to wait before giving up on a scale operation, zero means don't wait. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).

Usage:
  kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]

Use "kubectl options" for a list of global command-line options (applies to all commands).
"#;

const CREATE_DEPLOYMENT: &str = r#"Create a deployment with the specified name.

Aliases:
deployment, deploy

Examples:
  # Create a deployment named my-dep that runs the busybox image
  kubectl create deployment my-dep --image=busybox
  
  # Create a deployment with a command
  kubectl create deployment my-dep --image=busybox -- date
  
  # Create a deployment named my-dep that runs the nginx image with 3 replicas
  kubectl create deployment my-dep --image=nginx --replicas=3
  
  # Create a deployment named my-dep that runs the busybox image and expose port 5701
  kubectl create deployment my-dep --image=busybox --port=5701
  
  # Create a deployment named my-dep that runs multiple containers
  kubectl create deployment my-dep --image=busybox:latest --image=ubuntu:latest --image=nginx

Options:
    --allow-missing-template-keys=true:
	If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.

    --dry-run='none':
	Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.

    --field-manager='kubectl-create':
	Name of the manager used to track field ownership.

    --image=[]:
	Image names to run. A deployment can have multiple images set for multi-container pod.

    -o, --output='':
	Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).

    --port=-1:
	The containerPort that this deployment exposes.

    -r, --replicas=1:
	Number of replicas to create. Default is 1.

    --save-config=false:
	If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.

    --show-managed-fields=false:
	If true, keep the managedFields when printing objects in JSON or YAML format.

    --template='':
	Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].

    --validate='strict':
	Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.

Usage:
  kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]

Use "kubectl options" for a list of global command-line options (applies to all commands).
"#;

const TOP_LEVEL: &str = r#"kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run             Run a particular image on the cluster
  set             Set specific features on objects

Basic Commands (Intermediate):
  explain         Get documentation for a resource
  get             Display one or many resources
  edit            Edit a resource on the server
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment, replica set, or replication controller
  autoscale       Auto-scale a deployment, replica set, stateful set, or replication controller

Cluster Management Commands:
  certificate     Modify certificate resources
  cluster-info    Display cluster information
  top             Display resource (CPU/memory) usage
  cordon          Mark node as unschedulable
  uncordon        Mark node as schedulable
  drain           Drain node in preparation for maintenance
  taint           Update the taints on one or more nodes

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  attach          Attach to a running container
  exec            Execute a command in a container
  port-forward    Forward one or more local ports to a pod
  proxy           Run a proxy to the Kubernetes API server
  cp              Copy files and directories to and from containers
  auth            Inspect authorization
  debug           Create debugging sessions for troubleshooting workloads and nodes
  events          List events

Advanced Commands:
  diff            Diff the live version against a would-be applied version
  apply           Apply a configuration to a resource by file name or stdin
  patch           Update fields of a resource
  replace         Replace a resource by file name or stdin
  wait            Experimental: Wait for a specific condition on one or many resources
  kustomize       Build a kustomization target from a directory or URL

Settings Commands:
  label           Update the labels on a resource
  annotate        Update the annotations on a resource
  completion      Output shell completion code for the specified shell (bash, zsh, fish, or powershell)

Subcommands provided by plugins:

Other Commands:
  api-resources   Print the supported API resources on the server
  api-versions    Print the supported API versions on the server, in the form of "group/version"
  config          Modify kubeconfig files
  plugin          Provides utilities for interacting with plugins
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]

Use "kubectl <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
"#;

/// `help TOPIC` naming no command: cobra's `Unknown help topic` and the root's usage, on
/// stderr, exit 0 (as the real kubectl v1.32 prints it).
#[test]
fn help_on_an_unknown_topic_prints_cobras_message_and_the_usage() {
    let c = Cluster::new();
    let root = help(&c, &["--help"]);
    let usage = &root[root.find("Basic Commands (Beginner):").expect("command groups")..];
    for (args, listed) in
        [(&["help", "nosuch"][..], "[`nosuch`]"), (&["help", "nosuch", "other"], "[`nosuch` `other`]")]
    {
        let o = c.run(args);
        assert_eq!((o.stdout.as_str(), o.code), ("", 0), "kstate {args:?}");
        assert_text(&o.stderr, &format!("Unknown help topic {listed}\n\n\n{usage}"));
    }
    assert!(!c.state().exists());
}

/// A command group run without its subcommand prints the group's help, as cobra does.
#[test]
fn a_group_without_its_subcommand_prints_kubectls_help() {
    let c = Cluster::new();
    assert_text(&help(&c, &["top"]), include_str!("../../src/cli/help/top.txt"));
    assert_text(&help(&c, &["rollout"]), include_str!("../../src/cli/help/rollout.txt"));
    assert_text(&help(&c, &["auth"]), include_str!("../../src/cli/help/auth.txt"));
    assert_text(&help(&c, &["top", "pods", "--help"]), include_str!("../../src/cli/help/top_pod.txt"));
}

/// kstate runs no Metrics Server: `top` ends as kubectl does on a cluster without one, after
/// kubectl's own flag checks.
#[test]
fn top_says_the_metrics_api_is_not_available() {
    let c = Cluster::new();
    for args in [&["top", "pod"][..], &["top", "pods", "-A", "--containers"], &["top", "node", "--sort-by=cpu"]] {
        let o = c.run(args);
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str(), o.code),
            ("", "error: Metrics API not available\n", 1),
            "{args:?}"
        );
    }
    let o = c.run(&["top", "pod", "--sort-by=name"]);
    assert_eq!((o.stderr.as_str(), o.code), ("error: --sort-by accepts only cpu or memory\n", 1));
}
