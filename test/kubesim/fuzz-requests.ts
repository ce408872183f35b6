// Seeded generator of malformed and hostile API requests for the fuzz test: wrong
// field types in otherwise valid manifests, deep or huge bodies, odd paths, bad
// patches and bad query parameters. Never streams (no watch, no follow), so every
// request gets one answer.

import type { Rng } from '../../kubesim/core/clock.ts';

export interface FuzzRequest {
  method: string;
  path: string;
  body?: string;
  headers: Record<string, string>;
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng.next() * items.length)]!;
const chance = (rng: Rng, p: number): boolean => rng.next() < p;

const podSpec = () => ({ containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], ports: [{ containerPort: 80 }] }] });
const template = () => ({ metadata: { labels: { app: 'f' } }, spec: podSpec() });
const MANIFESTS: Record<string, () => Record<string, unknown>> = {
  pods: () => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: podSpec() }),
  services: () => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'f' }, ports: [{ port: 80, targetPort: 80 }] } }),
  configmaps: () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'b' } }, data: { k: 'v' } }),
  secrets: () => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, stringData: { k: 'v' } }),
  deployments: () => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1, selector: { matchLabels: { app: 'f' } }, template: template() } }),
  replicasets: () => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { replicas: 1, selector: { matchLabels: { app: 'f' } }, template: template() } }),
  statefulsets: () => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 't' }, spec: { replicas: 1, serviceName: 't', selector: { matchLabels: { app: 'f' } }, template: template() } }),
};
const GROUP: Record<string, string> = { deployments: '/apis/apps/v1', replicasets: '/apis/apps/v1', statefulsets: '/apis/apps/v1' };

const ODD_NAMES = ['..', '.', '%2e%2e', '%2E', 'a%2fb', '%', '%zz', 'x'.repeat(300), '%C3%84%C3%96', 'a%20b', '', '%00', 'default', 'kube-system', '\\..'];
const SUBRESOURCES = ['status', 'scale', 'binding', 'eviction', 'token', 'exec', 'log', 'finalize', 'nope', 'status/extra'];
const QUERIES = [
  'limit=-1', 'limit=abc', 'limit=99999999999999999999', 'resourceVersion=abc', 'resourceVersion=-1', 'resourceVersionMatch=Bogus',
  'labelSelector=a%20in%20(', 'labelSelector=%3D%3D%3D', 'fieldSelector=spec.nope%3Dx', 'fieldSelector=%21%21', 'dryRun=Bogus', 'dryRun=All',
  'fieldValidation=Nope', 'fieldValidation=Strict', 'timeoutSeconds=-5', 'continue=garbage', 'continue=eyJydiI6LTF9',
  'propagationPolicy=Sideways', 'gracePeriodSeconds=abc', 'gracePeriodSeconds=-9', 'fieldManager=' + 'm'.repeat(200), 'pretty=maybe',
  'tailLines=abc', 'container=%00', 'sinceSeconds=-1', 'includeObject=Everything',
];
const CONTENT_TYPES = [
  'application/json', 'application/yaml', 'application/merge-patch+json', 'application/json-patch+json',
  'application/strategic-merge-patch+json', 'application/apply-patch+yaml', 'application/vnd.kubernetes.protobuf', 'text/plain', 'garbage/;;;', '',
];

/** A random JSON value of a random type, shallow. */
function randomValue(rng: Rng): unknown {
  return pick(rng, [
    () => 'x', () => '', () => true, () => null, () => 1.5, () => -1, () => 1e300, () => 2 ** 53 + 1, () => [true], () => [],
    () => ({}), () => ({ a: [1, { b: null }] }), () => 'three', () => ['a', 1], () => ({ __proto__: 1 }),
  ])();
}

/** Every dotted path of a JSON tree (arrays as indices). */
function paths(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push([...prefix, k]);
      paths(v, [...prefix, k], out);
    }
  }
  return out;
}

function setPath(root: Record<string, unknown>, path: string[], value: unknown): void {
  let cur: unknown = root;
  for (const part of path.slice(0, -1)) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[part] : undefined;
  // An earlier mutation may have replaced a parent with a scalar: nothing to set then.
  if (typeof cur === 'object' && cur !== null) (cur as Record<string, unknown>)[path.at(-1)!] = value;
}

/** A valid manifest with one field (or a few) turned into a wrong type. */
function mutatedManifest(rng: Rng, resource: string): Record<string, unknown> {
  const obj = MANIFESTS[resource]!();
  // Fresh names too, so creates get past AlreadyExists and reach the controllers.
  if (chance(rng, 0.5)) (obj['metadata'] as Record<string, unknown>)['name'] = `f${Math.floor(rng.next() * 1000)}`;
  const all = paths(obj);
  const times = 1 + Math.floor(rng.next() * 3);
  for (let i = 0; i < times; i++) setPath(obj, pick(rng, all), randomValue(rng));
  if (chance(rng, 0.1)) setPath(obj, ['metadata', 'ownerReferences'], pick(rng, ['x', [1], [{ uid: 5 }], {}]));
  return obj;
}

function hostileBody(rng: Rng, resource: string): string {
  // Half are near-valid manifests: those reach the strategies, the store and the controllers.
  if (chance(rng, 0.5)) return JSON.stringify(mutatedManifest(rng, resource));
  return pick(rng, [
    () => JSON.stringify(mutatedManifest(rng, resource)),
    () => {
      const depth = 900 + Math.floor(rng.next() * 50_000);
      return '['.repeat(depth) + ']'.repeat(depth);
    },
    () => 'a:\n' + Array.from({ length: 1200 }, (_, i) => ' '.repeat(i + 1) + '- ').join('\n') + '1\n',
    () => '{"a":'.repeat(1500) + '1' + '}'.repeat(1500),
    () => `{"__proto__":{"polluted":true},"metadata":{"name":"proto${Math.floor(rng.next() * 5)}"}}`,
    () => '{"metadata":{"name":"x"},"data":{"k":"' + 'y'.repeat(200_000) + '"}}',
    () => '{"metadata":',
    () => 'a: &a [*a]\nmetadata: {name: y}\n',
    () => 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: z\n  labels: *m\n',
    () => 'x: &x [' + '*x,'.repeat(50) + ']\n',
    () => '\u0000\u00ff\ufffd',
    () => JSON.stringify([{ op: 'replace', path: '/spec/replicas', value: 'three' }, { op: 'move', from: '/nope', path: '/x' }]),
    () => JSON.stringify([{ op: 'add', path: '/metadata/ownerReferences', value: 'x' }]),
    () => JSON.stringify({ spec: { $patch: 'replace', selector: 'x' } }),
    () => JSON.stringify({ metadata: { $deleteFromPrimitiveList: 5 }, spec: { '$setElementOrder/containers': 'x' } }),
    () => JSON.stringify(randomValue(rng)),
    () => '',
  ])();
}

/** The valid objects the fuzz namespace starts with, so patches and updates find something. */
export function seedObjects(): { path: string; body: Record<string, unknown> }[] {
  return Object.keys(MANIFESTS).map((r) => ({ path: `${GROUP[r] ?? '/api/v1'}/namespaces/fuzz/${r}`, body: MANIFESTS[r]!() }));
}

export function fuzzRequest(rng: Rng): FuzzRequest {
  const resource = pick(rng, Object.keys(MANIFESTS));
  const base = `${GROUP[resource] ?? '/api/v1'}/namespaces/${chance(rng, 0.9) ? 'fuzz' : pick(rng, ODD_NAMES)}/${resource}`;
  const method = pick(rng, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']);
  let path = base;
  const name = (MANIFESTS[resource]!()['metadata'] as { name: string }).name;
  if (method !== 'POST' || chance(rng, 0.2)) path += '/' + (chance(rng, 0.5) ? name : pick(rng, ODD_NAMES));
  if (chance(rng, 0.25)) path += '/' + pick(rng, SUBRESOURCES);
  if (chance(rng, 0.05)) path = pick(rng, ['/api/v1/..', '/apis/%2e%2e/v1', '//api//v1', '/api/v1/namespaces/fuzz/pods/p/exec/..', '/apis/apps', '/openapi/v3/%zz']);
  const query = Array.from({ length: Math.floor(rng.next() * 3) }, () => pick(rng, QUERIES));
  if (query.length) path += '?' + query.join('&');
  const headers: Record<string, string> = { 'content-type': pick(rng, CONTENT_TYPES) };
  if (chance(rng, 0.2)) headers['accept'] = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
  const body = method === 'GET' || method === 'HEAD' ? undefined : hostileBody(rng, resource);
  return { method, path, body, headers };
}
