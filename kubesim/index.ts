// The embedded cluster's entry point: a store, the container runtime, the control
// plane, auth and the API server, wired together and listening on 127.0.0.1.
// Real kubectl and @kubernetes/client-node reach it with the kubeconfig it returns.

import { randomBytes } from 'node:crypto';
import { stringify as toYaml } from 'yaml';
import { z } from 'zod';
import { createAuth } from './apiserver/auth/index.ts';
import type { WatchSettings } from './apiserver/context.ts';
import { createApiServer } from './apiserver/server.ts';
import { createServingCertificate } from './apiserver/tls.ts';
import { RealClock, mathRng, seededRng, type Clock, type Rng } from './core/clock.ts';
import { Store } from './core/store.ts';
import { ClusterStartError, openStateFile, type StateFile } from './durable/state-file.ts';

export { ClusterStartError } from './durable/state-file.ts';
export { CpuScheduler } from './runtime/cpu/scheduler.ts';
import { createControlPlane, FAST_PACE, kindNodes, type ControlPlane, type Pace } from './controlplane/index.ts';
import { createRuntime } from './runtime/index.ts';
import { CpuScheduler } from './runtime/cpu/scheduler.ts';
import { inClusterKubeconfig } from './runtime/incluster.ts';
import type { PodView } from './runtime/podspec.ts';

export interface ClusterOptions {
  /** 0 (default) picks a free port. The server speaks https with a per-cluster CA. */
  port?: number;
  host?: '127.0.0.1' | 'localhost';
  clock?: Clock;
  /** Randomness for names, ClusterIPs and load balancing; or give a seed. */
  rng?: Rng;
  seed?: number;
  /** The admin's bearer token (default: 32 random bytes, hex). */
  adminToken?: string;
  pace?: Partial<Pace>;
  /** Worker nodes beside kind-control-plane (default 2, as deploy/kind/cluster.yaml). Each runs at most 110 Pods. */
  workers?: number;
  /**
   * Pods each node's kubelet runs (--max-pods; default 110). Sized up by a server whose
   * configured learners would not fit in the default nodes.
   */
  maxPodsPerNode?: number;
  /** Changes kept for watch resumption (older resourceVersions get 410 Expired). */
  historySize?: number;
  watch?: Partial<WatchSettings>;
  /**
   * Keep the cluster in this SQLite file: objects, resourceVersions, CA, tokens and the
   * API port survive a restart (Pods restart as after a node reboot). Without it the
   * cluster lives in memory only.
   */
  stateFile?: string;
  /** The simulated CPU simulated processes are metered on (default: a CpuScheduler on real time). */
  cpu?: CpuScheduler;
}

export interface ClusterUser {
  token: string;
  namespace?: string;
  /** The kubeconfig's user and context name (default "kubesim-user"). */
  name?: string;
}

export interface RunningCluster {
  url: string;
  adminToken: string;
  /** Admin kubeconfig (YAML): cluster "kubesim", user "kubesim-admin", context "kubesim". */
  kubeconfig: string;
  kubeconfigFor(user: ClusterUser): string;
  /** PEM of the cluster CA (the kubeconfig embeds it as certificate-authority-data). */
  caCert: string;
  store: Store;
  clock: Clock;
  controlPlane: ControlPlane;
  runtime: ReturnType<typeof createRuntime>;
  close(): Promise<void>;
}

const hasFn = (name: string) => (v: unknown): boolean =>
  typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[name] === 'function';

const optionsSchema = z.object({
  port: z.number().int().min(0).max(65535).optional(),
  host: z.enum(['127.0.0.1', 'localhost']).optional(),
  clock: z.custom<Clock>(hasFn('now'), 'clock must implement now() and after()').optional(),
  rng: z.custom<Rng>(hasFn('next'), 'rng must implement next()').optional(),
  seed: z.number().int().optional(),
  adminToken: z.string().min(16).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces').optional(),
  pace: z.record(z.string(), z.number().nonnegative()).optional(),
  workers: z.number().int().min(1).max(250).optional(),
  maxPodsPerNode: z.number().int().min(1).max(16_000).optional(),
  historySize: z.number().int().positive().optional(),
  watch: z.object({ defaultTimeoutSeconds: z.number().positive().optional(), bookmarkIntervalMs: z.number().positive().optional() }).optional(),
  stateFile: z.string().min(1).optional(),
  cpu: z.instanceof(CpuScheduler, { message: 'cpu must be a CpuScheduler' }).optional(),
});

function kubeconfigYaml(url: string, caCert: string, userName: string, token: string, namespace?: string): string {
  const context: Record<string, string> = { cluster: 'kubesim', user: userName };
  if (namespace) context['namespace'] = namespace;
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kubesim', cluster: { server: url, 'certificate-authority-data': Buffer.from(caCert).toString('base64') } }],
    users: [{ name: userName, user: { token } }],
    contexts: [{ name: 'kubesim', context }],
    'current-context': 'kubesim',
    preferences: {},
  });
}

/** Start the embedded cluster; resolves once it is listening and bootstrapped. */
export async function startCluster(options: ClusterOptions | Record<string, unknown> = {}): Promise<RunningCluster> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new Error(`kubesim: invalid cluster options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const o = parsed.data;
  const state = o.stateFile !== undefined ? openStateFile(o.stateFile) : undefined;
  try {
    return await start(o, state);
  } catch (error) {
    state?.close();
    throw error;
  }
}

async function start(o: z.infer<typeof optionsSchema>, state: StateFile | undefined): Promise<RunningCluster> {
  const clock = o.clock ?? new RealClock();
  const rng = o.rng ?? (o.seed !== undefined ? seededRng(o.seed) : mathRng);
  const kept = state?.identity();
  const adminToken = o.adminToken ?? kept?.adminToken ?? randomBytes(32).toString('hex');
  const signingKey = kept ? Buffer.from(kept.signingKey, 'base64') : randomBytes(32);
  const store = new Store({ clock, historySize: o.historySize, backend: state });
  if (state) {
    const { objects, revision } = state.load();
    store.restore(objects, revision);
  }
  // Pods reach the API with their ServiceAccount's token (kubectl in a workspace Pod);
  // the token authority and the URL exist only once the API server does, just below.
  let podKubeconfig: ((pod: PodView) => string | undefined) | undefined;
  const runtime = createRuntime({ store, clock, rng, serviceAccountKubeconfig: (pod) => podKubeconfig?.(pod), ...(o.cpu ? { cpu: o.cpu } : {}) });
  // On the real clock, wake-ups share timers in slots of a tenth of a Kubernetes second
  // (a probe comes due at most that late, as a real kubelet's probe worker ticks late);
  // an injected clock (tests) keeps every wake-up exact.
  const wakeSlotMs = o.clock ? 0 : ({ ...FAST_PACE, ...(o.pace as Partial<Pace> | undefined) }).secondMs / 10;
  const controlPlane = createControlPlane({ store, clock, rng, runtime, pace: o.pace as Partial<Pace> | undefined, nodes: kindNodes(o.workers ?? 2, o.maxPodsPerNode), wakeSlotMs });
  const auth = createAuth({ store, clock, adminToken, signingKey });
  const tls = kept ? { caCert: kept.caCert, cert: kept.cert, key: kept.key } : createServingCertificate();
  const api = createApiServer(
    { store, clock, rng, behaviour: controlPlane.behaviour, auth, podIO: runtime, watch: o.watch },
    { tls: { cert: tls.cert, key: tls.key } },
  );
  controlPlane.start();
  const host = o.host ?? '127.0.0.1';
  // The port learners' kubeconfigs name is kept too, unless the caller chooses one.
  const port = o.port ?? kept?.port ?? 0;
  let url: string;
  try {
    url = await api.listen(port, host);
  } catch (err) {
    controlPlane.stop();
    if (kept && o.port === undefined && err instanceof Error && 'code' in err && err.code === 'EADDRINUSE') {
      throw new ClusterStartError(`cannot listen on ${host}:${port}, the embedded cluster's API port kept from its last run (so the kubeconfigs handed out keep working): the port is in use`, { cause: err });
    }
    throw err;
  }
  podKubeconfig = (pod) => inClusterKubeconfig(store, auth, pod, (user, token, namespace) => kubeconfigYaml(url, tls.caCert, user, token, namespace));
  state?.saveIdentity({ adminToken, signingKey: signingKey.toString('base64'), caCert: tls.caCert, cert: tls.cert, key: tls.key, port: Number(new URL(url).port) });
  let closed: Promise<void> | undefined;
  return {
    url,
    adminToken,
    kubeconfig: kubeconfigYaml(url, tls.caCert, 'kubesim-admin', adminToken),
    kubeconfigFor: (user) => kubeconfigYaml(url, tls.caCert, user.name ?? 'kubesim-user', user.token, user.namespace),
    caCert: tls.caCert,
    store,
    clock,
    controlPlane,
    runtime,
    close() {
      closed ??= (async () => {
        controlPlane.stop();
        await api.close();
        state?.close();
      })();
      return closed;
    },
  };
}
