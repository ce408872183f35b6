// `kubelab grade EXERCISE --namespace NS [--kubeconfig FILE] [--json]`: grade one
// namespace of any cluster once, with the same engine the server uses.
// Exit codes: 0 passed, 1 failed, 2 error (bad arguments, unknown exercise,
// unreadable kubeconfig, unreachable cluster, or a check kubelab could not grade).
import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_EXERCISES_DIR, findExercise, type Exercise } from '../catalog/loader.ts';
import { ForbiddenError, NotFoundError } from '../../graders/cluster/errors.ts';
import type { Executor } from '../../graders/exec.ts';
import type { GradeCost } from '../../graders/counting.ts';
import { parseKubeconfigAsync, type KubeconfigDocument } from '../cluster/kubeconfig-schema.ts';
import { leanConnection } from '../cluster/lean/connection.ts';
import type { ClusterClient } from '../cluster/types.ts';
import { processIo, type Io } from './io.ts';
import { readFile } from 'node:fs/promises';
import { GradingEngine, type CheckOutcome, type GradeOutcome, type Timing } from '../../graders/engine.ts';

const USAGE = `Usage: kubelab grade EXERCISE --namespace NS [--kubeconfig FILE] [--json]

Grades the objects in namespace NS against exercise EXERCISE, once.
  --namespace, -n   the namespace holding the learner's work (required)
  --kubeconfig      default: $KUBECONFIG (first file), then ~/.kube/config
  --json            print {exercise, status, score, maxScore, checks:[...]} instead of text
Exit status: 0 passed, 1 failed, 2 error.
`;

const MARK: Record<CheckOutcome['status'], string> = { pass: '✔', fail: '✘', error: '!', skipped: '-' };

export interface GradeCliOptions {
  io?: Io;
  /** Engine budgets (tests against the embedded cluster shorten them). */
  timing?: Partial<Timing>;
}

function kubeconfigPath(flag: string | undefined, io: Io): string {
  if (flag) return path.resolve(io.cwd, flag);
  const fromEnv = io.env['KUBECONFIG']?.split(path.delimiter).find((p) => p.trim() !== '');
  if (fromEnv) return path.resolve(io.cwd, fromEnv);
  return path.join(io.env['HOME'] ?? homedir(), '.kube', 'config');
}

export function jsonReport(outcome: GradeOutcome): object {
  return {
    exercise: outcome.exercise,
    status: outcome.status,
    score: outcome.score,
    maxScore: outcome.maxScore,
    checks: outcome.checks.map((c) => ({ id: c.id, title: c.title, status: c.status, message: c.message, hint: c.hint, evidence: c.evidence })),
  };
}

export function textReport(outcome: GradeOutcome): string {
  const lines = [`${outcome.exercise} in namespace ${outcome.namespace}: ${outcome.status} (${outcome.score}/${outcome.maxScore} points)`];
  for (const c of outcome.checks) {
    lines.push(`${MARK[c.status]} ${c.title}: ${c.message}`);
    if (c.hint) lines.push(`    hint: ${c.hint}`);
  }
  if (outcome.status === 'error') {
    // The apiserver's Forbidden message always reads `<resource> is forbidden: User "..." cannot ...`;
    // a refusal repeats on every run, so "run it again" would only send the learner in circles.
    const forbidden = outcome.checks.some((c) => c.status === 'error' && / is forbidden: /.test(c.message));
    lines.push(
      forbidden
        ? `kubelab could not grade ${outcome.ungradedPoints} points: Forbidden, this kubeconfig's identity may not do what the grader needs (see the ! lines); running it again will not help, use a kubeconfig with that access.`
        : `kubelab could not grade ${outcome.ungradedPoints} points; this is not your fault, run it again.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

// https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names
const DNS1123_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function forbiddenMessage(o: { file: string; document: KubeconfigDocument; namespace: string; apiMessage: string }): string {
  const context = o.document.contexts.find((c) => c.name === o.document['current-context']);
  const home = context?.context.namespace;
  const lines = [
    `kubelab grade: Forbidden: the kubeconfig ${o.file} (context "${o.document['current-context']}", user "${context?.context.user ?? '?'}") has no access to namespace "${o.namespace}".`,
    `  the cluster said: ${o.apiMessage}`,
    home && home !== o.namespace
      ? `  this kubeconfig is meant for namespace "${home}": grade that one (--namespace ${home}), or use a kubeconfig with access to "${o.namespace}".`
      : `  use a kubeconfig whose identity may read namespace "${o.namespace}".`,
  ];
  return `${lines.join('\n')}\n`;
}

export async function runGrade(argv: string[], options: GradeCliOptions = {}): Promise<number> {
  const io = options.io ?? processIo;
  const usage = (message: string) => {
    io.err(`kubelab grade: ${message}\n\n${USAGE}`);
    return 2;
  };
  let values: { namespace?: string | undefined; kubeconfig?: string | undefined; json?: boolean | undefined; help?: boolean | undefined };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { namespace: { type: 'string', short: 'n' }, kubeconfig: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [exerciseId, ...extra] = positionals;
  if (!exerciseId) return usage('name the exercise to grade');
  if (extra.length > 0) return usage(`unexpected argument: ${extra[0]}`);
  if (!values.namespace) return usage('--namespace is required');
  const namespace = values.namespace;
  // Taken as written: a namespace name is exact, so "Bad_NS" must not quietly become "bad_ns".
  if (!DNS1123_LABEL.test(namespace)) {
    return usage(`--namespace ${JSON.stringify(namespace)} is not a valid namespace name: it must be a DNS-1123 label (at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit)`);
  }

  let found: { exercise: Exercise | undefined; ids: string[] };
  try {
    found = await findExercise(io.env['KUBELAB_EXERCISES_DIR'] ?? DEFAULT_EXERCISES_DIR, exerciseId);
  } catch (error) {
    io.err(`kubelab grade: cannot load the exercise catalog: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const { exercise } = found;
  if (!exercise) return usage(`unknown exercise "${exerciseId}"; known: ${found.ids.join(', ')}`);

  const file = kubeconfigPath(values.kubeconfig, io);
  let kubeconfig: string;
  let document: KubeconfigDocument;
  let cluster: GradeClient;
  try {
    kubeconfig = await readFile(file, 'utf8');
    document = await parseKubeconfigAsync(kubeconfig, file);
    cluster = await gradeClient(kubeconfig, document, file);
  } catch (error) {
    io.err(`kubelab grade: cannot use kubeconfig ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const { client } = cluster;
  try {
    // A mistyped namespace would otherwise read as "nothing there" and fail every check.
    await client.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
  } catch (error) {
    if (error instanceof NotFoundError) {
      io.err(`kubelab grade: namespace "${namespace}" does not exist in this cluster\n`);
      return 2;
    }
    // Forbidden (a learner's kubeconfig may not read namespaces) is fine; unreachable shows below.
  }
  try {
    // The grader reads the namespace's Pods first of all: without that right no check can
    // be judged, and the learner must hear why rather than "run it again".
    await client.list({ apiVersion: 'v1', kind: 'Pod', namespace });
  } catch (error) {
    if (error instanceof ForbiddenError) {
      io.err(forbiddenMessage({ file, document, namespace, apiMessage: error.message }));
      return 2;
    }
    // Anything else (unreachable cluster) is reported check by check below.
  }
  const engine = new GradingEngine({ client, kubeconfig, ...(cluster.executor ? { executor: cluster.executor } : {}), ...(options.timing ? { timing: options.timing } : {}) });
  const outcome = await engine.grade({ exercise, namespace }).finally(() => cluster.close());
  io.out(values.json ? `${JSON.stringify(jsonReport(outcome), null, 2)}\n` : textReport(outcome));
  return outcome.status === 'passed' ? 0 : outcome.status === 'failed' ? 1 : 2;
}

interface GradeClient {
  client: ClusterClient;
  /** Undefined: the engine's own (client-node) executor. */
  executor?: (cost: GradeCost) => Executor;
  close(): void;
}

/**
 * The lean client (node:https and ws) when the kubeconfig's auth is a token or a client
 * certificate, as for kind, the embedded cluster and a ServiceAccount: a grade then never
 * loads client-node, which alone takes longer than the grade. Any other auth (exec
 * plugins, auth-providers) goes through client-node.
 */
async function gradeClient(kubeconfig: string, document: KubeconfigDocument, file: string): Promise<GradeClient> {
  const connection = leanConnection(document, path.dirname(file));
  if (connection) {
    const [{ LeanClusterClient }, { leanExecutor }] = await Promise.all([import('../cluster/lean/client.ts'), import('../cluster/lean/exec.ts')]);
    const client = new LeanClusterClient(connection);
    return { client, executor: (cost) => leanExecutor(connection, cost), close: () => client.close() };
  }
  const [{ KubeClusterClient }, { kubeConfigFromString }] = await Promise.all([import('../cluster/client.ts'), import('../cluster/kubeconfig.ts')]);
  return { client: new KubeClusterClient(kubeConfigFromString(kubeconfig, { source: file, baseDir: path.dirname(file) })), close: () => {} };
}
