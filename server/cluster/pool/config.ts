// The pool file (KUBELAB_CLUSTERS): the clusters one kubelab spreads learners over.
// YAML or JSON (JSON is YAML), parsed with zod; every problem names its field
// ("clusters[1].capacity: ..."). Without the file, the single-cluster settings make a
// pool of one named 'default', so existing installations change nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEFAULT_CLUSTER } from '../../db/environments.ts';
import { ConfigError, type Config } from '../../config/config.ts';

export type MemberConnect = { mode: 'embedded' } | { mode: 'kubeconfig'; kubeconfig: string; context?: string };

export interface PoolMemberConfig {
  /** DNS label: it is stored with every environment and shown to operators. */
  readonly name: string;
  readonly connect: MemberConnect;
  /** How many environments (learner or warm) the member takes. */
  readonly capacity: number;
  /** Placement preference: a member of weight 2 is chosen as if it were twice as empty. */
  readonly weight: number;
  /** The API server as learners reach it, when that differs from how kubelab does. */
  readonly learnerApiServer?: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const httpUrl = z
  .string()
  .refine((v) => URL.canParse(v) && ['http:', 'https:'].includes(new URL(v).protocol), 'expected an http(s) URL')
  .transform((v) => v.replace(/\/+$/, ''));

const Member = z
  .strictObject({
    name: z.string().max(40, 'at most 40 characters').regex(DNS_LABEL, 'expected a DNS label: lower-case letters, digits and "-"'),
    embedded: z.literal(true, 'expected true (or give kubeconfig instead)').optional(),
    kubeconfig: z.string().min(1, 'expected a file path').optional(),
    context: z.string().min(1, 'expected a context name').optional(),
    capacity: z.number('expected a number').int('expected an integer').min(1, 'expected at least 1').max(100_000, 'expected at most 100000'),
    weight: z.number('expected a number').positive('expected a number above 0').max(1000, 'expected at most 1000').default(1),
    learnerApiServer: httpUrl.optional(),
  })
  .superRefine((m, ctx) => {
    if ((m.embedded === true) === (m.kubeconfig !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['kubeconfig'], message: 'give exactly one of `embedded: true` or `kubeconfig: <path>`' });
    }
    if (m.context !== undefined && m.kubeconfig === undefined) {
      ctx.addIssue({ code: 'custom', path: ['context'], message: 'only meaningful with kubeconfig' });
    }
  });

const PoolFile = z.strictObject({
  clusters: z
    .array(Member, 'expected a list of clusters')
    .min(1, 'expected at least one cluster')
    .max(64, 'expected at most 64 clusters')
    .superRefine((members, ctx) => {
      const seen = new Set<string>();
      members.forEach((m, i) => {
        if (seen.has(m.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${m.name}" is used by an earlier cluster` });
        seen.add(m.name);
      });
    }),
});

export class PoolConfigError extends Error {
  override readonly name = 'PoolConfigError';
}

function issuePath(p: readonly PropertyKey[]): string {
  return p.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

/** Parse the pool file's text; relative kubeconfig paths resolve against `baseDir`. */
export function parsePoolConfig(text: string, baseDir: string): PoolMemberConfig[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new PoolConfigError(`not valid YAML or JSON: ${(err as Error).message}`);
  }
  const parsed = PoolFile.safeParse(doc);
  if (!parsed.success) {
    throw new PoolConfigError(parsed.error.issues.slice(0, 5).map((i) => `${issuePath(i.path) || '(root)'}: ${i.message}`).join('; '));
  }
  return parsed.data.clusters.map((m) => ({
    name: m.name,
    connect:
      m.kubeconfig !== undefined
        ? { mode: 'kubeconfig' as const, kubeconfig: path.resolve(baseDir, m.kubeconfig), ...(m.context ? { context: m.context } : {}) }
        : { mode: 'embedded' as const },
    capacity: m.capacity,
    weight: m.weight,
    ...(m.learnerApiServer ? { learnerApiServer: m.learnerApiServer } : {}),
  }));
}

export function readPoolConfig(file: string): PoolMemberConfig[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PoolConfigError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parsePoolConfig(text, path.dirname(file));
}

/**
 * The pool the settings describe: the members of the KUBELAB_CLUSTERS file, or the single
 * cluster as a pool of one. A missing or bad file is a ConfigError naming the variable.
 * Not part of loadConfig, so the commands that never touch the pool never load YAML.
 */
export function poolMembers(config: Pick<Config, 'clustersFile' | 'cluster' | 'maxEnvironments' | 'learnerApiServer'>): PoolMemberConfig[] {
  if (config.clustersFile === undefined) return singleMemberPool(config.cluster, config.maxEnvironments, config.learnerApiServer);
  try {
    return readPoolConfig(config.clustersFile);
  } catch (err) {
    if (!(err instanceof PoolConfigError)) throw err;
    throw new ConfigError([{ variable: 'KUBELAB_CLUSTERS', message: err.message }]);
  }
}

/** The single-cluster settings as a pool of one: every environment before pools lives on it. */
export function singleMemberPool(connect: MemberConnect, capacity: number, learnerApiServer?: string): PoolMemberConfig[] {
  return [{ name: DEFAULT_CLUSTER, connect, capacity, weight: 1, ...(learnerApiServer ? { learnerApiServer } : {}) }];
}
