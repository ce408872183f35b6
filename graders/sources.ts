// Where a network check runs its command: the grader's busybox probe, or one of the
// learner's own Pods when the exercise is about that Pod's view. Which tools exist
// depends on the image: busybox has nslookup/wget/nc, the Debian-based nginx image
// has curl and getent, http-echo has nothing at all.
import { describeRef, isPodReady, workloadPods } from './k8s/objects.ts';
import type { ExecSource } from './params.ts';
import { PROBE_CONTAINER } from './probes.ts';
import { fail, GraderError, type CheckContext, type ExecTarget, type Observed, type Verdict } from './types.ts';

export type Tool = 'nslookup' | 'wget' | 'nc' | 'getent' | 'curl';

const BUSYBOX: readonly Tool[] = ['nslookup', 'wget', 'nc'];
const TOOLS_BY_REPO: Readonly<Record<string, readonly Tool[]>> = {
  busybox: BUSYBOX,
  alpine: BUSYBOX,
  'prom/node-exporter': BUSYBOX,
  'quay.io/prometheus/node-exporter': BUSYBOX,
  'curlimages/curl': [...BUSYBOX, 'curl'],
  // netshoot's nslookup is BIND's (another output format) and its nc is OpenBSD's: the
  // grader uses its busybox wget, musl getent and curl.
  'nicolaka/netshoot': ['wget', 'getent', 'curl'],
  nginx: ['getent', 'curl'],
  'nginxinc/nginx-unprivileged': ['getent', 'curl'],
  postgres: ['getent'],
  redis: ['getent'],
  mysql: ['getent'],
};

/** `docker.io/library/nginx:1.28@sha256:…` → `nginx`. */
export function imageRepo(image: string): string {
  let ref = image.split('@')[0] ?? image;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) ref = ref.slice(0, colon);
  return ref.replace(/^(docker\.io\/)?(library\/)?/, '');
}

export interface Source {
  target: ExecTarget;
  tools: readonly Tool[];
  /** "probe Pod kubelab-probe-1a2b3c4d" / "Pod frontend-deployment-7d4f-abcde" */
  label: string;
}

export function pickTool(source: Source, preference: readonly Tool[], purpose: string): Tool {
  const tool = preference.find((t) => source.tools.includes(t));
  if (!tool) throw new GraderError(`the ${source.label} has none of ${preference.join(', ')} to ${purpose} with (check the exercise's "from")`);
  return tool;
}

export async function resolveSource(from: ExecSource, observed: Observed, ctx: CheckContext): Promise<Source | Verdict> {
  if ('probe' in from) {
    const pod = await ctx.probe();
    return { target: { pod: pod.metadata.name, container: PROBE_CONTAINER }, tools: BUSYBOX, label: `probe Pod ${pod.metadata.name}` };
  }
  const ref = describeRef(from.workload);
  const pod = workloadPods(observed, from.workload).find(isPodReady);
  if (!pod) return fail(`${ref} has no ready Pod to run the test from.`);
  const containers = pod.spec.containers;
  const container = from.container === undefined ? containers[0] : containers.find((c) => c.name === from.container);
  if (!container) return fail(`Pod ${pod.metadata.name} of ${ref} has no container named ${from.container ?? '(any)'}.`);
  const tools = TOOLS_BY_REPO[imageRepo(container.image)] ?? [];
  return { target: { pod: pod.metadata.name, container: container.name }, tools, label: `Pod ${pod.metadata.name} (${ref})` };
}

/** `{namespace}` → the learner's namespace. */
export function fillNamespace(text: string, namespace: string): string {
  return text.replaceAll('{namespace}', namespace);
}
