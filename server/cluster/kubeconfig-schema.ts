// Kubeconfig parsing at the boundary: a malformed file should stop the server with a
// message naming the field ("clusters[0].cluster.server: ..."), not fail later inside
// a client with a TypeError. No Kubernetes client here: the lean client (lean/) and
// client-node's loader (kubeconfig.ts) both start from this document.
// No static import of `yaml` here: `kubelab grade` reads its kubeconfig through
// parseKubeconfigAsync, which loads `yaml` only when the fast path (kubeconfig-yaml.ts)
// declines; the synchronous parseKubeconfig lives in kubeconfig.ts with the yaml import.
import { parseSimpleYaml } from './kubeconfig-yaml.ts';
// zod/mini (see graders/zod-mini.ts): the one-shot `kubelab grade` starts faster without classic zod.
import * as z from '../../graders/zod-mini.ts';

const nonEmpty = () => z.string().check(z.minLength(1));

const clusterEntry = z.object({
  name: nonEmpty(),
  cluster: z.looseObject({
    server: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    'certificate-authority-data': z.optional(nonEmpty()),
    'certificate-authority': z.optional(nonEmpty()),
    'insecure-skip-tls-verify': z.optional(z.boolean()),
    'tls-server-name': z.optional(z.string()),
  }),
});

const userEntry = z.object({
  name: nonEmpty(),
  // Users carry many auth shapes (token, client certs, exec, auth-provider); client-node
  // interprets them. We only insist it is an object.
  user: z._default(
    z.looseObject({
      token: z.optional(nonEmpty()),
      // kubectl's spelling (client-go re-reads the file); client-node's is token-file.
      tokenFile: z.optional(nonEmpty()),
    }),
    {},
  ),
});

const contextEntry = z.object({
  name: nonEmpty(),
  context: z.looseObject({
    cluster: nonEmpty(),
    user: nonEmpty(),
    namespace: z.optional(nonEmpty()),
  }),
});

export const kubeconfigSchema = z
  .looseObject({
    apiVersion: z.optional(z.string()),
    kind: z.optional(z.literal('Config')),
    clusters: z.array(clusterEntry).check(z.minLength(1)),
    users: z.array(userEntry).check(z.minLength(1)),
    contexts: z.array(contextEntry).check(z.minLength(1)),
    'current-context': nonEmpty(),
  })
  .check(
    z.superRefine((cfg, ctx) => {
      const current = cfg.contexts.find((c) => c.name === cfg['current-context']);
      if (!current) {
        ctx.addIssue({ code: 'custom', path: ['current-context'], message: `no context named "${cfg['current-context']}"` });
        return;
      }
      const i = cfg.contexts.indexOf(current);
      if (!cfg.clusters.some((c) => c.name === current.context.cluster)) {
        ctx.addIssue({ code: 'custom', path: ['contexts', i, 'context', 'cluster'], message: `no cluster named "${current.context.cluster}"` });
      }
      if (!cfg.users.some((u) => u.name === current.context.user)) {
        ctx.addIssue({ code: 'custom', path: ['contexts', i, 'context', 'user'], message: `no user named "${current.context.user}"` });
      }
    }),
  );

export type KubeconfigDocument = z.infer<typeof kubeconfigSchema>;

export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

/** Validate a parsed kubeconfig; `source` names the file in messages. */
export function validateKubeconfig(doc: unknown, source = 'kubeconfig'): KubeconfigDocument {
  const parsed = kubeconfigSchema.safeParse(doc);
  if (!parsed.success) {
    const first = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${issuePath(i.path) || '(root)'}: ${i.message}`)
      .join('; ');
    throw new KubeconfigError(`${source}: ${first}`);
  }
  return parsed.data;
}

type ParseYaml = (text: string) => unknown;

/** yaml's reading of a kubeconfig the fast path declined, its syntax errors named as ours. */
function readByYaml(parseYaml: ParseYaml, text: string, source: string): unknown {
  try {
    return parseYaml(text);
  } catch (err) {
    throw new KubeconfigError(`${source}: not valid YAML: ${(err as Error).message}`);
  }
}

/** Validate kubeconfig YAML, read by the fast path when it can and by `parseYaml` (yaml's parse) otherwise. */
export function parseKubeconfigWith(parseYaml: ParseYaml, text: string, source = 'kubeconfig'): KubeconfigDocument {
  const simple = parseSimpleYaml(text);
  return validateKubeconfig(simple !== undefined ? simple : readByYaml(parseYaml, text, source), source);
}

/**
 * parseKubeconfig for one-shot commands: the `yaml` package (10-25 ms to load) is imported
 * only for a kubeconfig outside the fast path's subset. Same document, same errors.
 */
export async function parseKubeconfigAsync(text: string, source = 'kubeconfig'): Promise<KubeconfigDocument> {
  const simple = parseSimpleYaml(text);
  if (simple !== undefined) return validateKubeconfig(simple, source);
  // `default`, not `{ parse }`: yaml is CommonJS, and the build's chunk for a dynamic
  // import of it exports module.exports as its default only (Node's own loader gives both).
  const { default: yaml } = await import('yaml');
  return validateKubeconfig(readByYaml(yaml.parse, text, source), source);
}
