#!/usr/bin/env python3
"""regen.py CASE... (dev tool, needs python3, the oracle and kubectl v1.32; tests do not): resolve testdata/CASE.tmpl.json (placeholders "@T-<secs>@" -> RFC3339 of now-secs),
serve it with the oracle, run real kubectl 1.32 describe on the first item, write CASE.json, CASE.txt, CASE.now."""
import json, os, re, subprocess, sys, time, tempfile
TD = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.environ.get('ORACLE', '/work/shared/tools/kubectl-oracle.py')
KC = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
import shutil
for cand in [os.path.join(os.path.dirname(os.path.realpath(shutil.which('kubectl'))), 'kubectl.1.32')]:
    if os.path.exists(cand): KC = cand
RES = {'Pod':'pods','StatefulSet':'statefulsets.apps','PersistentVolumeClaim':'persistentvolumeclaims','PersistentVolume':'persistentvolumes',
       'Service':'services','StorageClass':'storageclasses.storage.k8s.io','Namespace':'namespaces','Node':'nodes','Event':'events',
       'ControllerRevision':'controllerrevisions.apps','Endpoints':'endpoints','EndpointSlice':'endpointslices.discovery.k8s.io'}
def rfc(t): return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(t))
def micro(t): return time.strftime('%Y-%m-%dT%H:%M:%S.123456Z', time.gmtime(t))
def subst(tmpl, now):
    tmpl = re.sub(r'@M-(\d+)@', lambda m: micro(now - int(m.group(1))), tmpl)
    return re.sub(r'@T-(\d+)@', lambda m: rfc(now - int(m.group(1))), tmpl)
def run(case):
    tmpl = open(f'{TD}/{case}.tmpl.json').read()
    for attempt in range(5):
        t = time.time()
        if t % 1 > 0.5: time.sleep(1.05 - t % 1)
        now = int(time.time())
        text = subst(tmpl, now)
        data = json.loads(text)
        first = data['items'][0]
        d = tempfile.mkdtemp()
        p = f'{d}/objs.json'; open(p, 'w').write(json.dumps(data))
        srv = subprocess.Popen(['python3', ORACLE, '0', p], stdout=subprocess.PIPE, stderr=open(f'{d}/log', 'w'), text=True)
        line = srv.stdout.readline()
        port = re.search(r':(\d+)$', line.strip()).group(1)
        kcfg = f'{d}/kc'
        open(kcfg, 'w').write(f'''apiVersion: v1
kind: Config
clusters:
- name: o
  cluster: {{server: "http://127.0.0.1:{port}"}}
contexts:
- name: o
  context: {{cluster: o, user: o, namespace: default}}
current-context: o
users:
- name: o
  user: {{}}
''')
        env = dict(os.environ, KUBECONFIG=kcfg, KUBECACHEDIR=f'{d}/cache', TZ='UTC')
        subprocess.run([KC, 'get', 'namespaces', '-o', 'name'], env=env, capture_output=True)
        args = [KC, 'describe', RES[first['kind']], first['metadata']['name']]
        if first['metadata'].get('namespace'): args += ['-n', first['metadata']['namespace']]
        t0 = int(time.time())
        r = subprocess.run(args, env=env, capture_output=True, text=True)
        t1 = int(time.time())
        srv.kill(); srv.wait()
        if os.environ.get('LOG'): print(open(f'{d}/log').read())
        if r.returncode != 0:
            print(case, 'kubectl failed', r.stderr); return
        if now == t1:
            break
    open(f'{TD}/{case}.json', 'w').write(json.dumps(json.loads(text), indent=1) + '\n')
    open(f'{TD}/{case}.txt', 'w').write(r.stdout)
    open(f'{TD}/{case}.now', 'w').write(rfc(now) + '\n')
    print(case, 'ok', now == t1)
for c in sys.argv[1:]: run(c)
