import { describe, expect, it } from 'vitest';
import { bb, runPod, service, sh, slice, world, type World } from '../testing/fixtures.ts';

const echo = (text: string, listen = ':5678') => ({ name: 'echo', image: 'hashicorp/http-echo:1.0', args: [`-text=${text}`, `-listen=${listen}`] });

/** Three http-echo backends answering their own name; two on kind-worker, one on kind-worker2. */
function backends(spec: Record<string, unknown>, listen = ':5678', port = 5678): World {
  const w = world(42);
  const pods = [['b-0', '10.244.1.10', 'kind-worker'], ['b-1', '10.244.1.11', 'kind-worker'], ['b-2', '10.244.2.12', 'kind-worker2']] as const;
  for (const [name, ip, node] of pods) runPod(w, name, { ip, node, labels: { app: 'b' }, containers: [echo(name, listen)] });
  service(w, 'b', { clusterIP: '10.96.5.5', ports: [{ port: 80, targetPort: port, protocol: 'TCP' }], ...spec });
  slice(w, 'b', [{ port }], pods.map(([name, ip, node]) => ({ ip, node, pod: name })));
  return w;
}

async function hits(w: World, clientNode: string, n: number, clientIp = '10.244.1.99') {
  const client = runPod(w, `c-${clientIp}`, { ip: clientIp, node: clientNode, containers: [bb()] });
  const r = await sh(w, client, `for i in $(seq 1 ${n}); do wget -qO- -T 1 http://b; done`);
  return r.stdout.split('\n').filter(Boolean);
}

describe('kube-proxy', () => {
  it('spreads new connections over ready endpoints at random (seeded)', async () => {
    const answers = await hits(backends({}), 'kind-worker', 60);
    const counts = new Map<string, number>();
    for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['b-0', 'b-1', 'b-2']);
    for (const c of counts.values()) expect(c).toBeGreaterThan(8);
  });

  it('ClientIP affinity keeps one client on one endpoint and each client sticks separately', async () => {
    const w = backends({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10 } } });
    const a = await hits(w, 'kind-worker', 20, '10.244.1.98');
    const b = await hits(w, 'kind-worker', 20, '10.244.1.97');
    expect(new Set(a).size).toBe(1);
    expect(new Set(b).size).toBe(1);
  });

  it('affinity expires after timeoutSeconds without use, not since first use', () => {
    const w = backends({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10 } } });
    const route = () => {
      const d = w.rt.network.proxy.route('10.244.1.99', 'kind-worker', '10.96.5.5', 80, 'TCP');
      return d.kind === 'endpoint' ? d.ip : d.kind;
    };
    const first = route();
    for (let i = 0; i < 5; i++) {
      w.clock.advance(9_000);
      expect(route()).toBe(first);
    }
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      w.clock.advance(11_000);
      seen.add(route());
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('internalTrafficPolicy Local uses only endpoints on the client node', async () => {
    const w = backends({ internalTrafficPolicy: 'Local' });
    expect(new Set(await hits(w, 'kind-worker', 30))).toEqual(new Set(['b-0', 'b-1']));
    expect(await hits(w, 'kind-worker2', 5, '10.244.2.99')).toEqual(['b-2', 'b-2', 'b-2', 'b-2', 'b-2']);
  });

  it('internalTrafficPolicy Local with no local endpoint drops (the client times out)', async () => {
    const w = backends({ internalTrafficPolicy: 'Local' });
    const client = runPod(w, 'cp', { ip: '10.244.0.50', node: 'kind-control-plane', containers: [bb()] });
    const before = w.clock.now();
    const r = await sh(w, client, 'wget -qO- -T 3 http://b');
    expect([r.stderr, r.exitCode]).toEqual(['wget: download timed out\n', 1]);
    expect(w.clock.now() - before).toBe(3000);
  });

  it('no endpoints: refused at once (REJECT)', async () => {
    const w = world();
    service(w, 'none', { clusterIP: '10.96.9.9', ports: [{ port: 80 }] });
    slice(w, 'none', [{ port: 80 }], [{ ip: '10.244.1.10', ready: false }]);
    const client = runPod(w, 'c', { ip: '10.244.1.99', containers: [bb()] });
    const r = await sh(w, client, 'wget -qO- -T 3 http://none');
    expect([r.stderr, r.exitCode]).toEqual(["wget: can't connect to remote host (10.96.9.9): Connection refused\n", 1]);
  });

  it('named targetPort: the slice carries the resolved port per endpoint', async () => {
    const w = world();
    runPod(w, 'api', { ip: '10.244.1.10', labels: { app: 'api' }, containers: [{ ...echo('hello from api', ':3000'), ports: [{ name: 'web', containerPort: 3000 }] }] });
    service(w, 'api-service', { clusterIP: '10.96.3.3', ports: [{ port: 80, targetPort: 'web' }] });
    slice(w, 'api-service', [{ port: 3000 }], [{ ip: '10.244.1.10' }]);
    const client = runPod(w, 'c', { ip: '10.244.1.99', containers: [bb()] });
    expect((await sh(w, client, 'wget -qO- http://api-service')).stdout).toBe('hello from api\n');
  });

  it('multi-port: each Service port reaches its own container', async () => {
    const w = world();
    runPod(w, 'mp', { ip: '10.244.1.10', containers: [{ name: 'nginx', image: 'nginx:1.28' }, { name: 'exporter', image: 'prom/node-exporter:v1.9.1' }] });
    service(w, 'multiport-svc', { clusterIP: '10.96.8.8', ports: [{ name: 'http', port: 8080, targetPort: 80 }, { name: 'metrics', port: 9090, targetPort: 9100 }] });
    slice(w, 'multiport-svc', [{ name: 'http', port: 80 }, { name: 'metrics', port: 9100 }], [{ ip: '10.244.1.10' }]);
    const client = runPod(w, 'c', { ip: '10.244.1.99', containers: [bb()] });
    const r = await sh(w, client, 'wget -qO- multiport-svc:8080 | grep -o "Welcome to nginx!" | head -1; wget -qO- http://multiport-svc:9090/metrics | grep -c "^node_"');
    expect(r.stdout.split('\n')[0]).toBe('Welcome to nginx!');
    expect(Number(r.stdout.split('\n')[1])).toBeGreaterThan(5);
  });

  it('Pod IPs go straight to the Pod; a port nobody listens on is refused', async () => {
    const w = backends({});
    const client = runPod(w, 'c', { ip: '10.244.1.99', containers: [bb()] });
    const r = await sh(w, client, 'wget -qO- 10.244.2.12:5678; wget -qO- -T 1 10.244.2.12:80; echo $?');
    expect(r.stdout).toBe('b-2\n1\n');
    expect(r.stderr).toBe("wget: can't connect to remote host (10.244.2.12): Connection refused\n");
  });
});
