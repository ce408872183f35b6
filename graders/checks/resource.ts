// `resource`: the object exists and contains `match` as a subset, as KUTTL/Chainsaw
// asserts do: maps key by key, lists element by element, scalars by equality.
import type { JsonValue } from '../json.ts';
import type { KubeObject } from '../cluster/types.ts';
import type { CheckParams } from '../params.ts';
import { fail, GraderError, pass, type CheckFn } from '../types.ts';

// Kinds outside the snapshot are fetched one by one; the grader must know their group.
const EXTRA_KINDS: Readonly<Record<string, string>> = {
  ConfigMap: 'v1',
  Secret: 'v1',
  ServiceAccount: 'v1',
  PersistentVolumeClaim: 'v1',
  Endpoints: 'v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  Ingress: 'networking.k8s.io/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
};

export interface Mismatch {
  path: string;
  expected: unknown;
  found: unknown;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first place where `actual` does not contain `expected`, or undefined when it does. */
export function firstMismatch(expected: unknown, actual: unknown, path = ''): Mismatch | undefined {
  if (isMap(expected)) {
    if (!isMap(actual)) return { path, expected, found: actual };
    for (const [key, value] of Object.entries(expected)) {
      const m = firstMismatch(value, actual[key], path ? `${path}.${key}` : key);
      if (m) return m;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length < expected.length) return { path, expected, found: actual };
    for (const [i, value] of expected.entries()) {
      const m = firstMismatch(value, actual[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  return expected === actual ? undefined : { path, expected, found: actual };
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : typeof v === 'string' ? v : JSON.stringify(v));

export const resourceCheck: CheckFn<CheckParams<'resource'>> = async (params, observed, ctx) => {
  let object: KubeObject | undefined;
  const listed = observed.raw.get(params.kind);
  if (listed) object = listed.find((o) => o.metadata.name === params.name);
  else {
    const apiVersion = EXTRA_KINDS[params.kind];
    if (!apiVersion) throw new GraderError(`the resource check does not know the API group of kind ${params.kind}`);
    object = await ctx.client.find({ apiVersion, kind: params.kind, namespace: observed.namespace, name: params.name });
  }
  if (!object) {
    const others = (listed ?? []).map((o) => o.metadata.name).filter((n): n is string => n !== undefined);
    return fail(`No ${params.kind} named ${params.name} in your namespace${others.length ? `; found ${params.kind} ${others.join(', ')}` : ''}.`);
  }
  const mismatch = params.match ? firstMismatch(params.match, object) : undefined;
  if (mismatch) {
    const evidence: JsonValue = { path: mismatch.path, expected: JSON.parse(JSON.stringify(mismatch.expected ?? null)), found: JSON.parse(JSON.stringify(mismatch.found ?? null)) };
    return fail(`${params.kind} ${params.name} has ${mismatch.path} ${show(mismatch.found)}; expected ${show(mismatch.expected)}.`, evidence);
  }
  const fields = params.match ? leaves(params.match) : [];
  return pass(`${params.kind} ${params.name} exists${fields.length > 0 ? ` with ${fields.join(', ')}` : ''}.`);
};

/** `match` as the `path: value` pairs it asserted, so a pass says which fields were compared. */
function leaves(expected: unknown, path = ''): string[] {
  if (isMap(expected)) return Object.entries(expected).flatMap(([key, value]) => leaves(value, path ? `${path}.${key}` : key));
  if (Array.isArray(expected)) return expected.flatMap((value, i) => leaves(value, `${path}[${i}]`));
  return [`${path} ${show(expected)}`];
}
