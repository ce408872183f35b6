// Kubeconfig parsing at the boundary: a malformed file should stop the server with a
// message naming the field ("clusters[0].cluster.server: ..."), not fail later inside
// client-node with a TypeError. client-node still does the loading (auth plugins, TLS).
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const clusterEntry = z.object({
  name: z.string().min(1),
  cluster: z.looseObject({
    server: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    'certificate-authority-data': z.string().min(1).optional(),
    'certificate-authority': z.string().min(1).optional(),
    'insecure-skip-tls-verify': z.boolean().optional(),
    'tls-server-name': z.string().optional(),
  }),
});

const userEntry = z.object({
  name: z.string().min(1),
  // Users carry many auth shapes (token, client certs, exec, auth-provider); client-node
  // interprets them. We only insist it is an object.
  user: z
    .looseObject({
      token: z.string().min(1).optional(),
      // kubectl's spelling (client-go re-reads the file); client-node's is token-file.
      tokenFile: z.string().min(1).optional(),
    })
    .default({}),
});

const contextEntry = z.object({
  name: z.string().min(1),
  context: z.looseObject({
    cluster: z.string().min(1),
    user: z.string().min(1),
    namespace: z.string().min(1).optional(),
  }),
});

export const kubeconfigSchema = z
  .looseObject({
    apiVersion: z.string().optional(),
    kind: z.literal('Config').optional(),
    clusters: z.array(clusterEntry).min(1),
    users: z.array(userEntry).min(1),
    contexts: z.array(contextEntry).min(1),
    'current-context': z.string().min(1),
  })
  .superRefine((cfg, ctx) => {
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
  });

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

/** Validate kubeconfig YAML; `source` names the file in messages. */
export function parseKubeconfig(text: string, source = 'kubeconfig'): KubeconfigDocument {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new KubeconfigError(`${source}: not valid YAML: ${(err as Error).message}`);
  }
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

/** Validated KubeConfig from YAML text; relative file paths resolve against baseDir. */
export function kubeConfigFromString(text: string, options: { source?: string; baseDir?: string } = {}): KubeConfig {
  const doc = parseKubeconfig(text, options.source);
  const kc = new KubeConfig();
  kc.loadFromString(text);
  rereadTokenFiles(kc, doc, options.baseDir);
  if (options.baseDir) kc.makePathsAbsolute(options.baseDir);
  return kc;
}

/**
 * A user with `tokenFile` (kubectl's key; in-cluster, the ServiceAccount token the
 * kubelet rotates) gets client-node's token-file auth provider, which re-reads the file
 * every minute as client-go does, instead of a token read once at start that expires.
 */
function rereadTokenFiles(kc: KubeConfig, doc: KubeconfigDocument, baseDir: string | undefined): void {
  const files = new Map(doc.users.flatMap((u) => (u.user.tokenFile && !u.user.token ? [[u.name, u.user.tokenFile] as const] : [])));
  if (files.size === 0) return;
  const users = kc.users.map((user) => {
    const file = files.get(user.name);
    if (!file) return user;
    const tokenFile = baseDir && !isAbsolute(file) ? resolve(baseDir, file) : file;
    return { ...user, authProvider: { name: 'tokenFile', config: { tokenFile } } };
  });
  kc.loadFromOptions({ clusters: kc.clusters, users, contexts: kc.contexts, currentContext: kc.currentContext });
}

export function kubeConfigFromFile(file: string): KubeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new KubeconfigError(`KUBECONFIG: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return kubeConfigFromString(text, { source: file, baseDir: dirname(file) });
}
