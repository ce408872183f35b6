// A validated kubeconfig (kubeconfig-schema.ts) loaded into client-node's KubeConfig,
// which interprets every auth shape (token files, client certs, exec plugins).
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { KubeconfigError, parseKubeconfigWith, type KubeconfigDocument } from './kubeconfig-schema.ts';

export { KubeconfigError, kubeconfigSchema, type KubeconfigDocument } from './kubeconfig-schema.ts';

/** Validate kubeconfig YAML; `source` names the file in messages. (`kubelab grade` uses parseKubeconfigAsync.) */
export function parseKubeconfig(text: string, source = 'kubeconfig'): KubeconfigDocument {
  return parseKubeconfigWith(parseYaml, text, source);
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
