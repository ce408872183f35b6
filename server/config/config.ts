// Every setting kubelab reads comes from environment variables, parsed once here by
// one zod schema; the rest of the server receives a typed, frozen Config. Every command
// reads it, so it uses zod/mini (a few ms to load, where the full API takes ~40) and
// leaves the pool file (YAML) to the commands that need the pool: see poolMembers in
// server/cluster/pool/config.ts.
import path from 'node:path';
import * as z from '../../graders/zod-mini.ts';
import { packagePath } from '../paths/package-root.ts';
import { parseDuration } from './duration.ts';
import { CONFIG_VARIABLES, type ConfigVariable } from './variables.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type ClusterConfig = { mode: 'embedded' } | { mode: 'kubeconfig'; kubeconfig: string };

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absolute directory holding the SQLite database. */
  readonly dataDir: string;
  readonly cluster: ClusterConfig;
  /**
   * The cluster pool file named by KUBELAB_CLUSTERS (absolute), or undefined: then
   * `cluster` alone is a pool of one. Read by poolMembers (server/cluster/pool/config.ts).
   */
  readonly clustersFile: string | undefined;
  /** Warm environments to keep ready per exercise id (KUBELAB_WARM_ENVIRONMENTS); empty when off. */
  readonly warmEnvironments: Readonly<Record<string, number>>;
  /** Base URL learners and LMSs reach, without a trailing slash. */
  readonly publicUrl: string;
  readonly gradingConcurrency: number;
  readonly namespaceTtlMs: number;
  readonly maxEnvironments: number;
  readonly maxEnvironmentsPerLearner: number;
  /**
   * How many times faster than real time the embedded cluster runs (1–100): probes,
   * back-offs and controllers all keep kind's order; only the wall time changes. Lower
   * is calmer (less CPU for idle labs), higher settles grades sooner.
   */
  readonly embeddedSpeed: number;
  /** Absolute directory of the exercise catalog. */
  readonly exercisesDir: string;
  /** Bootstrap admin API token; never logged. */
  readonly adminToken: string | undefined;
  /**
   * The API server URL written into learners' kubeconfigs, when learners reach the
   * cluster at another address than kubelab does (kubelab in docker compose talks to
   * kind's internal name; learners on the host use the published port).
   */
  readonly learnerApiServer: string | undefined;
  /** The image of the learner's workspace Pod, where the portal's terminal runs. */
  readonly workspaceImage: string;
  /** A terminal nobody types into for this long is closed. */
  readonly terminalIdleMs: number;
  readonly logLevel: LogLevel;
  /** Requests a minute per API key or user token (bursts up to that); 0 turns limiting off. */
  readonly rateLimitPerMinute: number;
  /**
   * Let webhook endpoints point at loopback, private and link-local addresses (an
   * admin's choice for a receiver on the same host or network; off, such URLs are refused).
   */
  readonly webhooksAllowPrivate: boolean;
}

export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

/** A start-up error meant for humans: one line per bad variable, no stack needed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super(['invalid configuration:', ...problems.map((p) => `  ${p.variable}: ${p.message}`)].join('\n'));
    this.problems = problems;
  }
}

// An empty variable (`PORT=`) means "not set", as most shells and compose files intend.
const raw = z.pipe(
  z.optional(z.string()),
  z.transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim())),
);

/** A variable's text (undefined when unset) turned into its value, or a problem named by `fail`. */
function setting<T>(read: (v: string | undefined, fail: (message: string) => never) => T) {
  return z.pipe(
    raw,
    z.transform((v: string | undefined, ctx) => {
      try {
        return read(v, (message) => {
          throw new Problem(message);
        });
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        ctx.issues.push({ code: 'custom', message: error.message, input: v });
        return z.NEVER;
      }
    }),
  );
}

/** Thrown inside `setting` only: one bad variable's message. */
class Problem extends Error {}

const shown = (v: string): string => JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);

function integer(fallback: number, min: number, max: number) {
  return setting((v, fail) => {
    if (v === undefined) return fallback;
    const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
    return Number.isSafeInteger(n) && n >= min && n <= max ? n : fail(`expected an integer ${min}–${max}, got ${shown(v)}`);
  });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  return setting((v, fail): T[number] => {
    if (v === undefined) return fallback;
    return values.find((candidate) => candidate === v) ?? fail(`expected one of ${values.join('|')}, got ${shown(v)}`);
  });
}

const duration = (fallback: string) =>
  setting((v, fail) => {
    const text = v ?? fallback;
    const ms = parseDuration(text);
    if (ms === undefined || ms < 60_000 || ms > 30 * 86_400_000) {
      return fail(`expected a duration between 1m and 30d such as 2h, 90m or 1h30m, got ${shown(text)}`);
    }
    return ms;
  });

const host = setting((v, fail) => {
  if (v === undefined) return '127.0.0.1';
  if (/\s|\/|^\[|\]$/.test(v)) return fail(`expected a host name or IP address, got ${shown(v)}`);
  return v;
});

const url = setting((v, fail) => {
  if (v === undefined) return undefined;
  const parsed = URL.canParse(v) ? new URL(v) : undefined;
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.search) {
    return fail(`expected an http(s) URL without a query, got ${shown(v)}`);
  }
  return parsed.href.replace(/\/+$/, '');
});

// Bootstrap tokens are stored as a plain sha256 like generated ones, which is only
// sound for high-entropy secrets: refuse short ones.
const adminToken = setting((v, fail) => {
  if (v !== undefined && v.length < 32) return fail(`expected at least 32 characters, got ${v.length}`);
  return v;
});

const flag = setting((v, fail) => {
  if (v === undefined || v === '0' || v === 'false') return false;
  if (v === '1' || v === 'true') return true;
  return fail(`expected 1 or 0, got ${shown(v)}`);
});

// "exercise-a=3,exercise-b=2": how many namespaces to keep provisioned ahead per exercise.
const warmCounts = setting((v, fail): Record<string, number> => {
  if (v === undefined) return {};
  const counts: Record<string, number> = {};
  for (const part of v.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)=(\d{1,4})$/.exec(part);
    if (!match?.[1] || match[3] === undefined) return fail(`expected exercise-id=count pairs separated by commas, got ${shown(part)}`);
    counts[match[1]] = Number(match[3]);
  }
  return counts;
});

const imageReference = setting((v, fail) => {
  if (v !== undefined && !/^[a-z0-9][a-z0-9._/:-]{0,254}(@sha256:[a-f0-9]{64})?$/.test(v)) {
    return fail('must be an image reference like kubelab/workspace:0.1.0');
  }
  return v;
});

const EnvSchema = z.object({
  PORT: integer(8080, 0, 65535),
  HOST: host,
  KUBELAB_DATA_DIR: raw,
  KUBELAB_CLUSTER: oneOf(['embedded', 'kubeconfig'], 'embedded'),
  KUBECONFIG: raw,
  KUBELAB_CLUSTERS: raw,
  KUBELAB_WARM_ENVIRONMENTS: warmCounts,
  KUBELAB_PUBLIC_URL: url,
  KUBELAB_GRADING_CONCURRENCY: integer(4, 1, 64),
  KUBELAB_NAMESPACE_TTL: duration('2h'),
  KUBELAB_MAX_ENVIRONMENTS: integer(200, 1, 100_000),
  KUBELAB_MAX_ENVIRONMENTS_PER_LEARNER: integer(3, 1, 100),
  // 5: 40 idle learners (half of them with a failing readiness probe) cost under 5% of a core
  // (npm run bench -- pace), and a grade right after a fix still settles in a few seconds.
  KUBELAB_EMBEDDED_SPEED: integer(5, 1, 100),
  KUBELAB_EXERCISES_DIR: raw,
  KUBELAB_ADMIN_TOKEN: adminToken,
  KUBELAB_LEARNER_API_SERVER: url,
  KUBELAB_WORKSPACE_IMAGE: imageReference,
  KUBELAB_TERMINAL_IDLE: duration('15m'),
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
  KUBELAB_RATE_LIMIT: integer(600, 0, 1_000_000),
  KUBELAB_WEBHOOKS_ALLOW_PRIVATE: flag,
} satisfies Record<ConfigVariable, z.ZodMiniType>);

export { CONFIG_VARIABLES };

export interface LoadConfigOptions {
  /** Relative paths resolve against this directory (default: process.cwd()). */
  readonly cwd?: string;
}

/** Parses settings from `env`; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>, options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const parsed = EnvSchema.safeParse(pick(env));
  const problems: ConfigProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '(environment)'), message: issue.message }));
  if (!parsed.success) throw new ConfigError(problems);
  const e = parsed.data;

  if (e.KUBELAB_CLUSTER === 'kubeconfig' && e.KUBECONFIG === undefined) {
    problems.push({ variable: 'KUBECONFIG', message: 'required when KUBELAB_CLUSTER=kubeconfig' });
  }
  if (e.KUBELAB_MAX_ENVIRONMENTS_PER_LEARNER > e.KUBELAB_MAX_ENVIRONMENTS) {
    problems.push({
      variable: 'KUBELAB_MAX_ENVIRONMENTS_PER_LEARNER',
      message: `must not exceed KUBELAB_MAX_ENVIRONMENTS (${e.KUBELAB_MAX_ENVIRONMENTS}), got ${e.KUBELAB_MAX_ENVIRONMENTS_PER_LEARNER}`,
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const cluster: ClusterConfig =
    e.KUBELAB_CLUSTER === 'kubeconfig' && e.KUBECONFIG !== undefined
      ? { mode: 'kubeconfig', kubeconfig: path.resolve(cwd, e.KUBECONFIG) }
      : { mode: 'embedded' };
  const hostInUrl = e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST;

  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(cwd, e.KUBELAB_DATA_DIR ?? 'data'),
    cluster,
    clustersFile: e.KUBELAB_CLUSTERS === undefined ? undefined : path.resolve(cwd, e.KUBELAB_CLUSTERS),
    warmEnvironments: e.KUBELAB_WARM_ENVIRONMENTS,
    publicUrl: e.KUBELAB_PUBLIC_URL ?? `http://${hostInUrl}:${e.PORT}`,
    gradingConcurrency: e.KUBELAB_GRADING_CONCURRENCY,
    namespaceTtlMs: e.KUBELAB_NAMESPACE_TTL,
    maxEnvironments: e.KUBELAB_MAX_ENVIRONMENTS,
    maxEnvironmentsPerLearner: e.KUBELAB_MAX_ENVIRONMENTS_PER_LEARNER,
    embeddedSpeed: e.KUBELAB_EMBEDDED_SPEED,
    exercisesDir: e.KUBELAB_EXERCISES_DIR === undefined ? packagePath('exercises') : path.resolve(cwd, e.KUBELAB_EXERCISES_DIR),
    adminToken: e.KUBELAB_ADMIN_TOKEN,
    learnerApiServer: e.KUBELAB_LEARNER_API_SERVER,
    workspaceImage: e.KUBELAB_WORKSPACE_IMAGE ?? 'kubelab/workspace:0.1.0',
    terminalIdleMs: e.KUBELAB_TERMINAL_IDLE,
    logLevel: e.LOG_LEVEL,
    rateLimitPerMinute: e.KUBELAB_RATE_LIMIT,
    webhooksAllowPrivate: e.KUBELAB_WEBHOOKS_ALLOW_PRIVATE,
  });
}

// Only the variables we know: the rest of the environment is none of our business
// and must not leak into error messages.
function pick(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, env[name]]));
}
