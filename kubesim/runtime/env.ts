// A container's environment as the kubelet builds it: service links, env/envFrom with
// downward-API fieldRefs and ConfigMap/Secret references, and $(VAR) expansion in env
// values, command and args.
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

/**
 * The Service environment variables (envvars.FromServices) for the Services the kubelet
 * injects: every Service of the Pod's namespace with enableServiceLinks (the default),
 * and always the master Service `kubernetes` from `default`.
 * Source: pkg/kubelet/kubelet_pods.go getServiceEnvVarMap; pkg/kubelet/envvars/envvars.go
 */
function serviceEnv(store: Store, pod: PodView): Map<string, string> {
  const out = new Map<string, string>();
  const ns = podNamespace(pod);
  const all = pod.spec.enableServiceLinks === false ? [] : store.scan('services', ns).map((s) => ServiceSchema.parse(s));
  const kube = store.get('services', 'default', 'kubernetes');
  if (kube && !(ns === 'default' && pod.spec.enableServiceLinks !== false)) all.push(ServiceSchema.parse(kube));
  for (const svc of all) {
    const ip = svc.spec.clusterIP;
    if (!ip || ip === 'None') continue;
    const ports = svc.spec.ports ?? [];
    const first = ports[0];
    if (!first) continue;
    const prefix = svc.metadata.name.toUpperCase().replace(/-/g, '_');
    out.set(`${prefix}_SERVICE_HOST`, ip).set(`${prefix}_SERVICE_PORT`, String(first.port));
    for (const p of ports) if (p.name) out.set(`${prefix}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port));
    ports.forEach((p, i) => {
      const pr = p.protocol ?? 'TCP';
      const url = `${pr.toLowerCase()}://${ip}:${p.port}`;
      if (i === 0) out.set(`${prefix}_PORT`, url);
      const base = `${prefix}_PORT_${p.port}_${pr.toUpperCase()}`;
      out.set(base, url).set(`${base}_PROTO`, pr.toLowerCase()).set(`${base}_PORT`, String(p.port)).set(`${base}_ADDR`, ip);
    });
  }
  return out;
}

/** Why a container cannot be configured: the kubelet's error text, shown as CreateContainerConfigError. */
export class ContainerConfigError extends Error {}

type Source = 'configmaps' | 'secrets';
const NOUN: Record<Source, string> = { configmaps: 'configmap', secrets: 'secret' };
const KIND: Record<Source, string> = { configmaps: 'ConfigMap', secrets: 'Secret' };

/** A ConfigMap's data or a Secret's decoded data; undefined when the object does not exist. */
export function sourceData(store: Store, ns: string, kind: Source, name: string): Record<string, string> | undefined {
  const obj = store.get(kind, ns, name);
  if (!obj) return undefined;
  const data = (obj['data'] ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') continue;
    out[k] = kind === 'secrets' ? Buffer.from(v, 'base64').toString('utf8') : v;
  }
  return out;
}

/** The apiserver's NotFound message the kubelet passes on: `secret "x" not found`. */
export function notFound(kind: Source, name: string): string {
  return `${NOUN[kind]} "${name}" not found`;
}

/**
 * The variables the kubelet gives a container (makeEnvironmentVariables): envFrom first,
 * then env in order, each `value` expanded against envFrom, the env declared before it
 * and the Service variables; then the Service variables not overridden. Variables the
 * image or the runtime set (PATH, HOSTNAME) are not part of it.
 * Throws ContainerConfigError for a missing, non-optional ConfigMap, Secret or key.
 * Source: pkg/kubelet/kubelet_pods.go makeEnvironmentVariables
 */
export function kubeletEnv(store: Store, pod: PodView, container: ContainerSpec): Map<string, string> {
  const ns = podNamespace(pod);
  const services = serviceEnv(store, pod);
  const declared = new Map<string, string>();
  const fetch = (kind: Source, name: string, optional: boolean | undefined): Record<string, string> | undefined => {
    const data = sourceData(store, ns, kind, name);
    if (!data && !optional) throw new ContainerConfigError(notFound(kind, name));
    return data;
  };
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const data = fetch(from.configMapRef ? 'configmaps' : 'secrets', ref.name, ref.optional);
    for (const [k, v] of Object.entries(data ?? {})) declared.set(`${from.prefix ?? ''}${k}`, v);
  }
  const lookup = (n: string): string | undefined => declared.get(n) ?? services.get(n);
  for (const e of container.env ?? []) {
    let value = e.value ?? '';
    if (value !== '') value = expand(value, lookup);
    else if (e.valueFrom?.fieldRef) value = fieldRef(pod, e.valueFrom.fieldRef.fieldPath) ?? '';
    else {
      const keyRef = e.valueFrom?.configMapKeyRef ?? e.valueFrom?.secretKeyRef;
      if (keyRef) {
        const kind: Source = e.valueFrom?.configMapKeyRef ? 'configmaps' : 'secrets';
        const name = keyRef.name ?? '';
        const data = fetch(kind, name, keyRef.optional);
        if (!data) continue;
        const found = data[keyRef.key];
        if (found === undefined) {
          if (keyRef.optional) continue;
          throw new ContainerConfigError(`couldn't find key ${keyRef.key} in ${KIND[kind]} ${ns}/${name}`);
        }
        value = found;
      }
    }
    declared.set(e.name, value);
  }
  for (const [k, v] of services) if (!declared.has(k)) declared.set(k, v);
  return declared;
}

/** The container's environment in the order a process sees it: PATH, HOSTNAME, the image's, the kubelet's. */
export function containerEnv(kubelet: Map<string, string>, imageEnv: [string, string][], hostname: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const [k, v] of imageEnv) if (k === 'PATH') env.set(k, v);
  env.set('HOSTNAME', hostname);
  for (const [k, v] of imageEnv) if (k !== 'PATH' && !kubelet.has(k)) env.set(k, v);
  for (const [k, v] of kubelet) env.set(k, v);
  if (!env.has('HOME')) env.set('HOME', '/root');
  return env;
}

/**
 * The process argv: command replaces ENTRYPOINT (and drops CMD), args replace CMD.
 * `$(VAR)` expands from the kubelet's variables only, never the image's or HOSTNAME.
 * Source: pkg/kubelet/container/helpers.go ExpandContainerCommandAndArgs
 */
export function processArgv(container: ContainerSpec, entrypoint: string[], cmd: string[], env: Map<string, string>): string[] {
  const lookup = (n: string): string | undefined => env.get(n);
  const command = container.command?.map((s) => expand(s, lookup));
  const args = container.args?.map((s) => expand(s, lookup));
  if (command && command.length) return [...command, ...(args ?? [])];
  // containerd: with no command, empty args fall back to the image's CMD (WithProcessArgs).
  return [...entrypoint, ...(args?.length ? args : cmd)];
}
