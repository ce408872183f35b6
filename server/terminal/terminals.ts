// Every open terminal, one per learner and exercise. Opening it again (a second tab, a
// reload) joins the running shell; the first opening makes the workspace Pod and the
// exec, as the learner.
import type WebSocket from 'ws';
import { KubeClusterClient } from '../cluster/client.ts';
import { KubernetesError } from '../cluster/errors.ts';
import { kubeConfigFromString } from '../cluster/kubeconfig.ts';
import type { EnvironmentService } from '../environments/service.ts';
import { realTimers, sendStatus, TerminalSession, type Timers } from './session.ts';
import { ensureWorkspace, WorkspaceError, type WorkspaceWaiting } from './workspace.ts';

export interface TerminalOptions {
  environments: Pick<EnvironmentService, 'watchKubeconfig'>;
  /** The workspace image (KUBELAB_WORKSPACE_IMAGE). */
  image: string;
  /** A shell nobody types into for this long is closed (KUBELAB_TERMINAL_IDLE). */
  idleMs: number;
  /** How much recent output a reconnecting tab is shown. */
  replayBytes?: number;
  timers?: Timers;
  waiting?: WorkspaceWaiting;
  onError?: (message: string, error: unknown) => void;
}

const REPLAY_BYTES = 64 * 1024;

/** What the learner can act on; anything else is logged and summarised. */
function explain(err: unknown): string | undefined {
  if (err instanceof WorkspaceError || err instanceof KubernetesError) return err.message;
  if (err instanceof Error && 'statusCode' in err && typeof err.statusCode === 'number' && err.statusCode < 500) return err.message;
  return undefined;
}

export class Terminals {
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly starting = new Map<string, Promise<TerminalSession>>();

  constructor(private readonly o: TerminalOptions) {}

  async open(userId: number, exerciseId: string, socket: WebSocket): Promise<void> {
    const key = `${userId}/${exerciseId}`;
    try {
      const running = this.sessions.get(key);
      const session = running && !running.isEnded ? running : await (this.starting.get(key) ?? this.start(key, userId, exerciseId, socket));
      session.attach(socket);
    } catch (err) {
      const message = explain(err);
      if (message === undefined) this.o.onError?.(`terminal for user ${userId}, exercise ${exerciseId} failed`, err);
      sendStatus(socket, 'error', message ?? 'the terminal could not start; try again in a moment');
      socket.close(1011, 'could not start');
    }
  }

  private start(key: string, userId: number, exerciseId: string, socket: WebSocket): Promise<TerminalSession> {
    const started = (async () => {
      sendStatus(socket, 'starting', 'starting your workspace…');
      const access = await this.o.environments.watchKubeconfig(userId, exerciseId);
      const kc = kubeConfigFromString(access.kubeconfig);
      const waiting = this.o.waiting ?? { sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), maxPolls: 240 };
      await ensureWorkspace(new KubeClusterClient(kc), access.namespace, this.o.image, waiting);
      const session: TerminalSession = new TerminalSession({
        idleMs: this.o.idleMs,
        replayBytes: this.o.replayBytes ?? REPLAY_BYTES,
        timers: this.o.timers ?? realTimers,
        onEnd: () => {
          if (this.sessions.get(key) === session) this.sessions.delete(key);
        },
      });
      await session.start(kc, access.namespace);
      this.sessions.set(key, session);
      return session;
    })();
    this.starting.set(key, started);
    return started.finally(() => this.starting.delete(key));
  }

  /** How many shells are open (for tests and status). */
  get size(): number {
    return this.sessions.size;
  }

  closeAll(message = 'kubelab is restarting; open the terminal again in a moment'): void {
    for (const session of [...this.sessions.values()]) session.end(message);
  }
}
