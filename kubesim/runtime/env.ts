// A container's environment as the kubelet builds it: service links, env/envFrom with
// downward-API fieldRefs, and $(VAR) expansion in env values, command and args.
// Source: pkg/kubelet/kubelet_pods.go makeEnvironmentVariables;
// third_party/forked/golang/expansion/expand.go

import type { Store } from '../core/store.ts';
import type { ContainerSpec, PodView } from './podspec.ts';
import { podNamespace, ServiceSchema } from './podspec.ts';

/** Expand $(VAR) from mapping; `$$` escapes; unknown references stay as written. */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let read: string;
    let advance = 1;
    if (rest[0] === '$') read = '$';
    else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close < 0) read = '$(';
      else {
        const name = rest.slice(1, close);
        read = lookup(name) ?? `$(${name})`;
        advance = close + 1;
      }
    } else read = `$${rest[0]}`;
    out += read;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** The value of a downward-API fieldPath (pkg/fieldpath ExtractFieldPathAsString). */
export function fieldRef(pod: PodView, path: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2] ?? ''];
  switch (path) {
    case 'metadata.name': return pod.metadata.name;
    case 'metadata.namespace': return podNamespace(pod);
    case 'metadata.uid': return pod.metadata.uid;
    case 'spec.nodeName': return pod.spec.nodeName;
    case 'spec.serviceAccountName': return pod.spec.serviceAccountName ?? 'default';
    case 'status.podIP': case 'status.podIPs': return pod.status?.podIP;
    case 'status.hostIP': case 'status.hostIPs': return pod.status?.hostIP;
    default: return undefined;
  }
}

/** Docker-links style variables for each Service in the namespace (and `kubernetes` from default). */
function serviceEnv(store: Store, pod: PodView): [string, string][] {
  const out: [string, string][] = [];
  const services = store.scan('services', podNamespace(pod)).map((s) => ServiceSchema.parse(s));
  const kube = store.get('services', 'default', 'kubernetes');
  const all = pod.spec.enableServiceLinks === false ? [] : services;
  if (kube && podNamespace(pod) !== 'default') all.push(ServiceSchema.parse(kube));
  for (const svc of all) {
    const ip = svc.spec.clusterIP;
    if (!ip || ip === 'None') continue;
    const ports = svc.spec.ports ?? [];
    const first = ports[0];
    if (!first) continue;
    const prefix = svc.metadata.name.toUpperCase().replace(/-/g, '_');
    out.push([`${prefix}_SERVICE_HOST`, ip], [`${prefix}_SERVICE_PORT`, String(first.port)]);
    for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port)]);
    const proto = (first.protocol ?? 'TCP').toLowerCase();
    out.push([`${prefix}_PORT`, `${proto}://${ip}:${first.port}`]);
    for (const p of ports) {
      const pr = (p.protocol ?? 'TCP');
      const base = `${prefix}_PORT_${p.port}_${pr}`;
      out.push([base, `${pr.toLowerCase()}://${ip}:${p.port}`], [`${base}_PROTO`, pr.toLowerCase()], [`${base}_PORT`, String(p.port)], [`${base}_ADDR`, ip]);
    }
  }
  return out;
}

function dataOf(store: Store, ns: string, kind: 'configmaps' | 'secrets', name: string): Record<string, string> {
  const obj = store.get(kind, ns, name);
  if (!obj) return {};
  const data = (obj['data'] ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') continue;
    out[k] = kind === 'secrets' ? Buffer.from(v, 'base64').toString('utf8') : v;
  }
  return out;
}

/** The container's environment in the order a process sees it. */
export function containerEnv(store: Store, pod: PodView, container: ContainerSpec, imageEnv: [string, string][], hostname: string): Map<string, string> {
  const ns = podNamespace(pod);
  const env = new Map<string, string>();
  for (const [k, v] of imageEnv) if (k === 'PATH') env.set(k, v);
  env.set('HOSTNAME', hostname);
  const podEnv = new Map<string, string>(serviceEnv(store, pod));
  for (const from of container.envFrom ?? []) {
    const data = from.configMapRef ? dataOf(store, ns, 'configmaps', from.configMapRef.name)
      : from.secretRef ? dataOf(store, ns, 'secrets', from.secretRef.name) : {};
    for (const [k, v] of Object.entries(data)) podEnv.set(`${from.prefix ?? ''}${k}`, v);
  }
  for (const e of container.env ?? []) {
    let value: string | undefined;
    if (e.valueFrom?.fieldRef) value = fieldRef(pod, e.valueFrom.fieldRef.fieldPath) ?? '';
    else if (e.valueFrom?.configMapKeyRef) value = dataOf(store, ns, 'configmaps', e.valueFrom.configMapKeyRef.name ?? '')[e.valueFrom.configMapKeyRef.key] ?? '';
    else if (e.valueFrom?.secretKeyRef) value = dataOf(store, ns, 'secrets', e.valueFrom.secretKeyRef.name ?? '')[e.valueFrom.secretKeyRef.key] ?? '';
    else value = expand(e.value ?? '', (n) => podEnv.get(n));
    podEnv.set(e.name, value);
  }
  for (const [k, v] of imageEnv) if (k !== 'PATH' && !podEnv.has(k)) env.set(k, v);
  for (const [k, v] of podEnv) env.set(k, v);
  if (!env.has('HOME')) env.set('HOME', '/root');
  return env;
}

/** The process argv: command replaces ENTRYPOINT (and drops CMD), args replace CMD; $(VAR) expanded. */
export function processArgv(container: ContainerSpec, entrypoint: string[], cmd: string[], env: Map<string, string>): string[] {
  const lookup = (n: string): string | undefined => env.get(n);
  const command = container.command?.map((s) => expand(s, lookup));
  const args = container.args?.map((s) => expand(s, lookup));
  if (command && command.length) return [...command, ...(args ?? [])];
  return [...entrypoint, ...(args ?? cmd)];
}
