// Learners' mistakes answered as a real cluster answers them, through real kubectl:
// $(VAR) expansion in command, args and env (pkg/kubelet/kubelet_pods.go
// makeEnvironmentVariables, third_party/forked/golang/expansion), references to
// missing Secrets, ConfigMaps and keys (CreateContainerConfigError), and volumes from
// missing objects (FailedMount, ContainerCreating) that start once the object appears.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';

let cluster: RunningCluster;
let k: Kubectl;
let n = 0;

beforeAll(async () => {
  cluster = await startCluster({ seed: 18 });
  k = kubectlFor(cluster.kubeconfig);
});
afterAll(async () => {
  await cluster?.close();
});

async function namespace(): Promise<string> {
  const ns = `mistakes-${++n}`;
  expect((await k('create', 'namespace', ns)).exitCode).toBe(0);
  return ns;
}

async function apply(ns: string, yaml: string): Promise<void> {
  const r = await k.withInput(yaml, '-n', ns, 'apply', '-f', '-');
  expect(r.stderr).toBe('');
}

/** Wait (on kubectl, not on time) until a jsonpath of the object has the value. */
async function until(ns: string, object: string, path: string, value: string): Promise<void> {
  const r = await k('-n', ns, 'wait', `--for=jsonpath={${path}}=${value}`, object, '--timeout=60s');
  expect(r.stderr).toBe('');
}

/** Read a jsonpath through kubectl until it passes `ok` (the cluster moves on its own clock). */
async function poll(args: string[], ok: (out: string) => boolean): Promise<string> {
  let out = '';
  for (let i = 0; i < 300; i++) {
    out = (await k(...args)).stdout;
    if (ok(out)) return out;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`kubectl ${args.join(' ')} never passed; last output: ${out}`);
}

const waitingReason = '.status.containerStatuses[0].state.waiting.reason';
const message = (ns: string, pod: string, expected: string) =>
  poll(['-n', ns, 'get', 'pod', pod, '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.message}'], (out) => out === expected);

describe('$(VAR) expansion', () => {
  it('expands earlier env, envFrom and Service variables in command, args and env; nothing else', async () => {
    const ns = await namespace();
    await apply(ns, `apiVersion: v1
kind: Service
metadata: {name: backend}
spec: {selector: {app: none}, ports: [{port: 8080}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {COLOUR: blue}
`);
    const ip = (await k('-n', ns, 'get', 'svc', 'backend', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    await apply(ns, `apiVersion: v1
kind: Pod
metadata: {name: echo}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.36
    command: ["echo", "$(A)", "$(B)"]
    args: ["$(EARLY)", "$(LATE)", "$$(A)", "$$$(A)", "$(HOSTNAME)", "$(PATH)", "$(NOPE)", "$(COLOUR)", "$(BACKEND_SERVICE_HOST)", "$(A"]
    envFrom:
    - configMapRef: {name: settings}
    env:
    - {name: A, value: one}
    - {name: EARLY, value: "$(A)-$(LATE)"}
    - {name: B, value: "$(A)$(A)"}
    - {name: LATE, value: two}
`);
    await until(ns, 'pod/echo', '.status.phase', 'Succeeded');
    const logs = await k('-n', ns, 'logs', 'echo');
    // Command and args expand from the final env; an env value only from what came before it.
    expect(logs.stdout).toBe(`one oneone one-$(LATE) two $(A) $one $(HOSTNAME) $(PATH) $(NOPE) blue ${ip} $(A`);
  });

  it('passes http-echo -text=$(MSG) from a ConfigMap key', async () => {
    const ns = await namespace();
    await apply(ns, `apiVersion: v1
kind: ConfigMap
metadata: {name: greeting}
data: {message: hello from api}
---
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
  - name: echo
    image: hashicorp/http-echo
    args: ["-listen=:3000", "-text=$(MSG) ($(POD))"]
    env:
    - name: MSG
      valueFrom: {configMapKeyRef: {name: greeting, key: message}}
    - name: POD
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: sh, image: busybox:1.36, command: ["sleep", "3600"]}]
`);
    await until(ns, 'pod/api', '.status.phase', 'Running');
    await until(ns, 'pod/client', '.status.phase', 'Running');
    const ip = (await k('-n', ns, 'get', 'pod', 'api', '-o', 'jsonpath={.status.podIP}')).stdout;
    const r = await k('-n', ns, 'exec', 'client', '--', 'wget', '-qO-', `http://${ip}:3000/`);
    expect(r.stdout).toBe('hello from api (api)');
  });
});

describe('references to Secrets and ConfigMaps', () => {
  it('keeps a container in CreateContainerConfigError until the Secret and its key exist', async () => {
    const ns = await namespace();
    await apply(ns, `apiVersion: v1
kind: Pod
metadata: {name: db}
spec:
  containers:
  - name: postgres
    image: postgres:17
    env:
    - name: POSTGRES_PASSWORD
      valueFrom: {secretKeyRef: {name: db-credentials, key: password}}
`);
    await until(ns, 'pod/db', waitingReason, 'CreateContainerConfigError');
    const get = await k('-n', ns, 'get', 'pod', 'db', '--no-headers');
    expect(get.stdout).toMatch(/^db\s+0\/1\s+CreateContainerConfigError\s+0\s+\d+s$/);
    await message(ns, 'db', 'secret "db-credentials" not found');
    const describe = await k('-n', ns, 'describe', 'pod', 'db');
    expect(describe.stdout).toMatch(/^\s+Reason:\s+CreateContainerConfigError$/m);
    expect(describe.stdout).toMatch(/Warning\s+Failed\s+.*kubelet\s+Error: secret "db-credentials" not found$/m);

    expect((await k('-n', ns, 'create', 'secret', 'generic', 'db-credentials', '--from-literal=pass=x')).exitCode).toBe(0);
    await message(ns, 'db', `couldn't find key password in Secret ${ns}/db-credentials`);
    expect((await k('-n', ns, 'delete', 'secret', 'db-credentials')).exitCode).toBe(0);
    expect((await k('-n', ns, 'create', 'secret', 'generic', 'db-credentials', '--from-literal=password=s3cret')).exitCode).toBe(0);
    // The kubelet retries by itself: no change to the Pod is needed.
    await until(ns, 'pod/db', '.status.phase', 'Running');
    const env = await k('-n', ns, 'exec', 'db', '--', 'printenv', 'POSTGRES_PASSWORD');
    expect(env.stdout).toBe('s3cret');
  });

  it('names a missing ConfigMap, a missing ConfigMap key and a missing envFrom object; optional ones are skipped', async () => {
    const ns = await namespace();
    await apply(ns, `apiVersion: v1
kind: ConfigMap
metadata: {name: present}
data: {colour: blue}
---
apiVersion: v1
kind: Pod
metadata: {name: no-configmap}
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
    env: [{name: X, valueFrom: {configMapKeyRef: {name: absent, key: colour}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: no-key}
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
    env: [{name: X, valueFrom: {configMapKeyRef: {name: present, key: color}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: no-envfrom}
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
    envFrom: [{secretRef: {name: absent-secret}}]
---
apiVersion: v1
kind: Pod
metadata: {name: optional}
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
    envFrom: [{configMapRef: {name: absent, optional: true}}]
    env:
    - {name: X, valueFrom: {configMapKeyRef: {name: present, key: color, optional: true}}}
    - {name: W, valueFrom: {secretKeyRef: {name: absent, key: k, optional: true}}}
    - {name: Z, value: "$(X)"}
`);
    await message(ns, 'no-configmap', 'configmap "absent" not found');
    await message(ns, 'no-key', `couldn't find key color in ConfigMap ${ns}/present`);
    await message(ns, 'no-envfrom', 'secret "absent-secret" not found');
    await until(ns, 'pod/optional', '.status.phase', 'Running');
    // An optional reference that is missing sets no variable at all.
    const env = await k('-n', ns, 'exec', 'optional', '--', 'printenv');
    expect(env.stdout).not.toMatch(/^[XW]=/m);
    expect(env.stdout).toMatch(/^Z=\$\(X\)$/m);
  });

  it('keeps a Pod ContainerCreating with FailedMount until its Secret volume exists', async () => {
    const ns = await namespace();
    await apply(ns, `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: nginx
    image: nginx:1.28
    volumeMounts: [{name: tls, mountPath: /etc/tls}, {name: conf, mountPath: /etc/conf}]
  volumes:
  - name: tls
    secret: {secretName: web-tls}
  - name: conf
    configMap: {name: web-conf, optional: true}
`);
    await until(ns, 'pod/web', waitingReason, 'ContainerCreating');
    await poll(['-n', ns, 'get', 'events', '--field-selector=involvedObject.name=web', '-o', 'jsonpath={.items[*].reason}'], (out) => out.includes('FailedMount'));
    const describe = await k('-n', ns, 'describe', 'pod', 'web');
    expect(describe.stdout).toMatch(/^Status:\s+Pending$/m);
    expect(describe.stdout).toMatch(/^\s+Reason:\s+ContainerCreating$/m);
    expect(describe.stdout).toMatch(/Warning\s+FailedMount\s+.*kubelet\s+MountVolume\.SetUp failed for volume "tls" : secret "web-tls" not found$/m);
    expect(describe.stdout).not.toContain('"conf"');
    expect((await k('-n', ns, 'get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}')).stdout).toBe('');

    expect((await k('-n', ns, 'create', 'secret', 'generic', 'web-tls', '--from-literal=tls.crt=x')).exitCode).toBe(0);
    await until(ns, 'pod/web', '.status.phase', 'Running');
  });
});

describe('image tags', () => {
  it('pulls published tags, ends a mistyped tag or repository in ImagePullBackOff with the registry error, an unparsable name in InvalidImageName', async () => {
    const ns = await namespace();
    await apply(ns, `apiVersion: v1
kind: Pod
metadata: {name: good}
spec:
  containers: [{name: web, image: "nginx:1.14.2"}]
---
apiVersion: v1
kind: Pod
metadata: {name: bad-tag}
spec:
  containers: [{name: web, image: "nginx:1.161"}]
---
apiVersion: v1
kind: Pod
metadata: {name: bad-repo}
spec:
  containers: [{name: web, image: "my-frontend:latest"}]
---
apiVersion: v1
kind: Pod
metadata: {name: bad-name}
spec:
  containers: [{name: web, image: "Nginx:1.28"}]
`);
    await until(ns, 'pod/good', '.status.phase', 'Running');
    await until(ns, 'pod/bad-tag', waitingReason, 'ImagePullBackOff');
    await until(ns, 'pod/bad-repo', waitingReason, 'ImagePullBackOff');
    expect((await k('-n', ns, 'get', 'pod', 'bad-tag', '--no-headers')).stdout).toMatch(/^bad-tag\s+0\/1\s+(ImagePullBackOff|ErrImagePull)\s+0\s+\d+s$/);
    const tag = await k('-n', ns, 'describe', 'pod', 'bad-tag');
    const ref = 'docker.io/library/nginx:1.161';
    expect(tag.stdout).toContain(`Failed to pull image "nginx:1.161": rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`);
    expect(tag.stdout).toMatch(/Warning\s+Failed\s+.*kubelet\s+Error: ErrImagePull$/m);
    const repo = await k('-n', ns, 'describe', 'pod', 'bad-repo');
    expect(repo.stdout).toContain('failed to resolve reference "docker.io/library/my-frontend:latest": pull access denied, repository does not exist or may require authorization');

    await until(ns, 'pod/bad-name', waitingReason, 'InvalidImageName');
    const name = await k('-n', ns, 'describe', 'pod', 'bad-name');
    expect(name.stdout).toMatch(/Warning\s+InspectFailed\s+.*kubelet\s+Failed to apply default image tag "Nginx:1\.28": couldn't parse image name "Nginx:1\.28": invalid reference format: repository name \(library\/Nginx\) must be lowercase$/m);
    expect(name.stdout).toMatch(/Warning\s+Failed\s+.*kubelet\s+Error: InvalidImageName$/m);
  });
});
