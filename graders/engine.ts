// Grades one exercise against one namespace.
//
//  1. Observe: one LIST per kind. While something is still on its way (Pods starting,
//     a rollout, EndpointSlices catching up) re-observe after a pause, within a
//     budget; then every check reads that one snapshot.
//  2. Run the checks: each starts as soon as the checks it `needs` have finished, so
//     independent checks run in parallel; a check whose need did not pass is skipped.
//     Every check runs under a deadline; whatever it throws is an `error`.
//  3. Report each result as it finishes (in finishing order, one at a time, so a
//     consumer that persists before streaming sees them in a stable order).
//
// Verdict of the attempt: `passed` when every check passes; `failed` when any check
// fails (or is skipped because a check it needs failed); otherwise `error` when any
// check errored. Points of errored checks (and of checks skipped because of them) are
// reported as `ungradedPoints`, never as lost: an `error` attempt is not a grade, and
// the learner is told to run it again.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Check } from './schema.ts';
import type { ClusterClient } from './cluster/types.ts';
import type { JsonValue } from './json.ts';
import { runCheck } from './checks/index.ts';
import { countingClient, newCost, type GradeCost } from './counting.ts';
import type { Executor } from './exec.ts';
import { observe } from './observe.ts';
import { clusterOutOfRoom, outOfRoomMessage } from './capacity.ts';
import { ProbePool } from './probes.ts';
import { unsettled } from './settle.ts';
import { GraderError, type CheckContext, type Observed, type Verdict } from './types.ts';

export type CheckStatus = 'pass' | 'fail' | 'error' | 'skipped';
export type GradeStatus = 'passed' | 'failed' | 'error';

export interface CheckOutcome {
  id: string;
  title: string;
  type: Check['type'];
  status: CheckStatus;
  message: string;
  /** On a fail only: the exercise's hint for the diagnosed cause, else its default hint. */
  hint: string | null;
  /** On a fail only: the cause the check diagnosed, when it names one. */
  cause: string | null;
  evidence: JsonValue;
  points: number;
  maxPoints: number;
}

export interface GradeOutcome {
  exercise: string;
  namespace: string;
  status: GradeStatus;
  score: number;
  maxScore: number;
  /** Points the grader could not judge (errors): not lost, not earned. */
  ungradedPoints: number;
  /** In the exercise's order. */
  checks: CheckOutcome[];
  cost: GradeCost & { observations: number };
  /** Still on its way when the settle budget ran out (empty when everything settled). */
  unsettled: string[];
  durationMs: number;
}

export interface Timing {
  /** How long to wait for the namespace to settle before grading it anyway. */
  settleBudgetMs: number;
  settlePollMs: number;
  /** Deadline of one check, exec and probe start-up included. */
  checkTimeoutMs: number;
  /** Deadline of one exec. */
  execTimeoutMs: number;
  probeReadyTimeoutMs: number;
  probePollMs: number;
}

/** Sized for a real cluster; the embedded cluster settles in a fraction of it. */
export const DEFAULT_TIMING: Timing = {
  settleBudgetMs: 60_000,
  settlePollMs: 250,
  checkTimeoutMs: 90_000,
  execTimeoutMs: 20_000,
  probeReadyTimeoutMs: 60_000,
  probePollMs: 250,
};

export interface EngineOptions {
  /** The grader's own client (it creates probe Pods and reads everything in the namespace). */
  client: ClusterClient;
  /** The same credentials as YAML: exec and script checks need them. */
  kubeconfig: string;
  /**
   * How commands run in Pods. Default: exec over WebSocket with client-node, loaded on
   * first use (a command-line grade with a lean executor never loads client-node).
   */
  executor?: (cost: GradeCost) => Executor;
  now?: () => number;
  delay?: (ms: number) => Promise<void>;
  timing?: Partial<Timing>;
}

export interface ExerciseToGrade {
  id: string;
  checks: readonly Check[];
  /** Working directory for script checks. */
  dir?: string;
}

export interface GradeRequest {
  exercise: ExerciseToGrade;
  namespace: string;
  /** Called once per check as it finishes, one call at a time; awaited. */
  onCheck?: (outcome: CheckOutcome) => void | Promise<void>;
}

/** The exercise's hint for the diagnosed cause when it has one, else its default hint. */
export function hintFor(check: Pick<Check, 'hint' | 'hints'>, cause: string | undefined): string {
  return (cause !== undefined ? check.hints?.[cause] : undefined) ?? check.hint;
}

const realDelay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function withDeadline<T>(ms: number, controller: AbortController, what: string, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new GraderError(`${what} did not finish within ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  return Promise.race([work(), deadline]).finally(() => clearTimeout(timer));
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class GradingEngine {
  readonly #o: EngineOptions;
  #kc: Promise<KubeConfig> | undefined;
  readonly #timing: Timing;
  readonly #now: () => number;
  readonly #delay: (ms: number) => Promise<void>;

  constructor(options: EngineOptions) {
    this.#o = options;
    this.#timing = { ...DEFAULT_TIMING, ...options.timing };
    this.#now = options.now ?? Date.now;
    this.#delay = options.delay ?? realDelay;
  }

  async #clientNodeExecutor(cost: GradeCost): Promise<Executor> {
    // The caller hands over a kubeconfig it already validated at its boundary
    // (server/cluster/kubeconfig.ts); exec only needs client-node's own reading of it.
    this.#kc ??= import('@kubernetes/client-node').then(({ KubeConfig }) => {
      const kc = new KubeConfig();
      kc.loadFromString(this.#o.kubeconfig);
      return kc;
    });
    const { kubeExecutor } = await import('./exec.ts');
    return kubeExecutor(await this.#kc, cost);
  }

  get timing(): Timing {
    return this.#timing;
  }

  async grade(request: GradeRequest): Promise<GradeOutcome> {
    const started = this.#now();
    const cost = newCost();
    const client = countingClient(this.#o.client, cost);
    const { namespace, exercise } = request;
    let observations = 0;
    let observed: Observed | undefined;
    let waiting: string[] = [];
    let readFailure: string | undefined;
    try {
      const deadline = this.#now() + this.#timing.settleBudgetMs;
      observed = await observe(client, namespace);
      observations++;
      waiting = unsettled(observed);
      while (waiting.length > 0 && this.#now() < deadline) {
        await this.#delay(this.#timing.settlePollMs);
        observed = await observe(client, namespace);
        observations++;
        waiting = unsettled(observed);
      }
    } catch (error) {
      readFailure = `kubelab could not read your namespace: ${describeError(error)}`;
    }

    const executor = this.#o.executor ? this.#o.executor(cost) : await this.#clientNodeExecutor(cost);
    const probes = observed && new ProbePool({
      client,
      namespace,
      existing: observed.probes,
      delay: this.#delay,
      now: this.#now,
      pollMs: this.#timing.probePollMs,
      readyTimeoutMs: this.#timing.probeReadyTimeoutMs,
    });

    // Pods the cluster has no room for: a failing check then says so instead of blaming the learner.
    const outOfRoom = observed && clusterOutOfRoom(observed);
    const byId = new Map(exercise.checks.map((c) => [c.id, c]));
    const running = new Map<string, Promise<{ outcome: CheckOutcome; blame: 'fail' | 'error' | undefined }>>();
    let emitting: Promise<void> = Promise.resolve();
    const emit = (outcome: CheckOutcome) => {
      emitting = emitting.then(() => request.onCheck?.(outcome));
    };

    const outcomeOf = (check: Check, status: CheckStatus, verdict: Pick<Verdict, 'message' | 'evidence' | 'cause'>): CheckOutcome => ({
      id: check.id,
      title: check.title,
      type: check.type,
      status,
      message: verdict.message,
      hint: status === 'fail' ? hintFor(check, verdict.cause) : null,
      cause: status === 'fail' ? verdict.cause ?? null : null,
      evidence: verdict.evidence,
      points: status === 'pass' ? check.points : 0,
      maxPoints: check.points,
    });

    const execute = async (check: Check): Promise<CheckOutcome> => {
      if (!observed || !probes) return outcomeOf(check, 'error', { message: readFailure ?? 'kubelab could not read your namespace', evidence: null });
      const snapshot = observed;
      const controller = new AbortController();
      const ctx: CheckContext = {
        namespace,
        exec: (target, argv) => executor(target, argv, { namespace, timeoutMs: this.#timing.execTimeoutMs, signal: controller.signal }),
        probe: () => probes.any(),
        probesPerNode: (choose) => probes.perNode(choose),
        probeClients: (count) => probes.clients(count),
        client,
        kubeconfig: this.#o.kubeconfig,
        workdir: exercise.dir,
        signal: controller.signal,
      };
      try {
        const verdict = await withDeadline(this.#timing.checkTimeoutMs, controller, `check ${check.id}`, () => runCheck(check, snapshot, ctx));
        if (verdict.status === 'fail' && outOfRoom !== undefined) return outcomeOf(check, 'error', { message: outOfRoomMessage(outOfRoom), evidence: verdict.evidence });
        return outcomeOf(check, verdict.status, verdict);
      } catch (error) {
        const evidence = error instanceof GraderError ? error.evidence : null;
        return outcomeOf(check, 'error', { message: `kubelab could not finish this check: ${describeError(error)}`, evidence });
      }
    };

    const run = (check: Check): Promise<{ outcome: CheckOutcome; blame: 'fail' | 'error' | undefined }> => {
      let pending = running.get(check.id);
      if (pending) return pending;
      pending = (async () => {
        const needs = await Promise.all(check.needs.map((id) => byId.get(id)).filter((c): c is Check => c !== undefined).map(run));
        const blocking = needs.filter((n) => n.outcome.status !== 'pass');
        let result: { outcome: CheckOutcome; blame: 'fail' | 'error' | undefined };
        if (blocking.length > 0) {
          const blame = blocking.some((n) => n.blame === 'fail') ? 'fail' : 'error';
          const names = blocking.map((n) => `"${n.outcome.title}"`).join(' and ');
          const message = blame === 'fail' ? `Skipped: it needs ${names}, which did not pass.` : `Skipped: it needs ${names}, which kubelab could not grade.`;
          result = { outcome: outcomeOf(check, 'skipped', { message, evidence: null }), blame };
        } else {
          const outcome = await execute(check);
          result = { outcome, blame: outcome.status === 'fail' ? 'fail' : outcome.status === 'error' ? 'error' : undefined };
        }
        emit(result.outcome);
        return result;
      })();
      running.set(check.id, pending);
      return pending;
    };

    const results = await Promise.all(exercise.checks.map(run));
    await emitting;
    const checks = results.map((r) => r.outcome);
    const anyFail = results.some((r) => r.blame === 'fail');
    const anyError = results.some((r) => r.blame === 'error');
    return {
      exercise: exercise.id,
      namespace,
      status: anyFail ? 'failed' : anyError ? 'error' : 'passed',
      score: checks.reduce((sum, c) => sum + c.points, 0),
      maxScore: checks.reduce((sum, c) => sum + c.maxPoints, 0),
      ungradedPoints: results.filter((r) => r.blame === 'error').reduce((sum, r) => sum + r.outcome.maxPoints, 0),
      checks,
      cost: { ...cost, observations },
      unsettled: waiting,
      durationMs: this.#now() - started,
    };
  }
}
