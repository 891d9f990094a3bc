"""The official Python `kubernetes` client against `kstate serve`: list, create, patch, scale,
watch, exec (with its exit code) and delete. Usage: client.py KUBECONFIG. Prints one line per step;
the Rust test compares the whole output."""
import sys

from kubernetes import client, config, watch
from kubernetes.stream import stream

config.load_kube_config(config_file=sys.argv[1])
core = client.CoreV1Api()
apps = client.AppsV1Api()

print("pods:", sorted(p.metadata.name for p in core.list_namespaced_pod("default").items))
cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py-cm"), data={"a": "1"})
print("created:", core.create_namespaced_config_map("default", cm).metadata.name)
print("patched:", core.patch_namespaced_config_map("py-cm", "default", {"data": {"b": "2"}}).data)
scale = apps.patch_namespaced_stateful_set_scale("web", "default", {"spec": {"replicas": 3}})
print("scaled:", scale.spec.replicas)
seen = []
for event in watch.Watch().stream(core.list_namespaced_pod, "default", timeout_seconds=2):
    seen.append((event["type"], event["object"].metadata.name, event["object"].status.phase))
print("watched:", sorted(seen))
out = stream(core.connect_get_namespaced_pod_exec, "web-0", "default", command=["echo", "from-python"],
             stderr=True, stdin=False, stdout=True, tty=False)
print("exec:", repr(out))
resp = stream(core.connect_get_namespaced_pod_exec, "web-0", "default", command=["sh", "-c", "exit 3"],
              stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
resp.run_forever(timeout=5)
print("exit code:", resp.returncode)
core.delete_namespaced_config_map("py-cm", "default")
names = [c.metadata.name for c in core.list_namespaced_config_map("default").items]
print("config maps:", names)
