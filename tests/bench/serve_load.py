"""Load on `kstate serve`: WATCHERS watch config maps from one resourceVersion while WRITERS create
config maps for SECONDS; then every watcher must have seen an ADDED event for every created map, and
no request may have failed. Standard library only. Usage: serve_load.py PORT [SECONDS] [WATCHERS] [WRITERS]"""
import http.client
import json
import sys
import threading
import time

port = int(sys.argv[1])
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60
watchers = int(sys.argv[3]) if len(sys.argv) > 3 else 50
writers = int(sys.argv[4]) if len(sys.argv) > 4 else 10
NS = "default"
errors = []
created = []
lock = threading.Lock()


def call(method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, path, body=json.dumps(body) if body else None, headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data


status, data = call("GET", f"/api/v1/namespaces/{NS}/configmaps")
start_rv = json.loads(data)["metadata"]["resourceVersion"]
seen = [set() for _ in range(watchers)]
stop_at = time.time() + seconds


def watch(i):
    # Long enough for the writers, plus time for the last events to arrive.
    timeout = int(seconds) + 10
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout + 30)
    conn.request("GET", f"/api/v1/namespaces/{NS}/configmaps?watch=true&resourceVersion={start_rv}&timeoutSeconds={timeout}")
    resp = conn.getresponse()
    for line in resp:
        event = json.loads(line)
        if event["type"] == "ERROR":
            errors.append(f"watcher {i}: {event['object'].get('message')}")
            return
        if event["type"] == "ADDED":
            seen[i].add(event["object"]["metadata"]["name"])


def write(w):
    n = 0
    while time.time() < stop_at:
        name = f"load-{w}-{n}"
        status, data = call("POST", f"/api/v1/namespaces/{NS}/configmaps", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"n": str(n)}})
        if status != 201:
            errors.append(f"writer {w}: {status} {data[:200]!r}")
            return
        with lock:
            created.append(name)
        n += 1


threads = [threading.Thread(target=watch, args=(i,)) for i in range(watchers)]
for t in threads:
    t.start()
time.sleep(1)
began = time.time()
writing = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
for t in writing:
    t.start()
for t in writing:
    t.join()
elapsed = time.time() - began
for t in threads:
    t.join()
missing = sum(len(set(created) - s) for s in seen)
print(f"{len(created)} config maps written by {writers} writers in {elapsed:.1f} s ({len(created) / elapsed:.1f}/s); "
      f"{watchers} watchers; events missing: {missing}; errors: {len(errors)}")
for e in errors[:5]:
    print("  ", e)
sys.exit(1 if errors or missing else 0)
