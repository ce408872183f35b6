// The one place that knows where the cluster comes from. Embedded mode starts kubesim
// in-process and then talks to it exactly like any other cluster: over HTTP, with its
// admin kubeconfig. Nothing downstream can tell the difference.
import { KubeClusterClient } from './client.ts';
import { kubeConfigFromFile, kubeConfigFromString } from './kubeconfig.ts';
import type { ClusterClient } from './types.ts';

/** The cluster cannot be reached or started for a reason the operator can fix. */
export class ClusterUnavailableError extends Error {
  override readonly name = 'ClusterUnavailableError';
}

export type ClusterConnectConfig = { mode: 'embedded' } | { mode: 'kubeconfig'; kubeconfig: string; context?: string };

export interface ConnectedCluster {
  readonly client: ClusterClient;
  readonly mode: ClusterConnectConfig['mode'];
  /**
   * The kubeconfig kubelab itself uses, as text (file paths made absolute): the
   * grader's exec client and its script checks (KUBECONFIG) read it.
   */
  readonly kubeconfig: string;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Passed through to kubesim's startCluster (port, clock, seed...). */
  startOptions?: Record<string, unknown>;
}

export async function connectCluster(config: ClusterConnectConfig, options: EmbeddedOptions = {}): Promise<ConnectedCluster> {
  if (config.mode === 'kubeconfig') {
    const kc = kubeConfigFromFile(config.kubeconfig);
    if (config.context !== undefined) {
      // A pool member may name one context of a kubeconfig that holds several clusters.
      if (!kc.getContexts().some((c) => c.name === config.context)) {
        throw new ClusterUnavailableError(`${config.kubeconfig}: no context named "${config.context}"`);
      }
      kc.setCurrentContext(config.context);
    }
    return { client: new KubeClusterClient(kc), mode: 'kubeconfig', kubeconfig: kc.exportConfig(), close: async () => {} };
  }
  // Imported lazily: a server pointed at a real cluster never loads the simulator.
  const { startCluster, ClusterStartError } = await import('../../kubesim/index.ts');
  const sim = await startCluster(options.startOptions).catch((error: unknown) => {
    throw error instanceof ClusterStartError ? new ClusterUnavailableError(`the embedded cluster cannot start: ${error.message}`, { cause: error }) : error;
  });
  const client = new KubeClusterClient(kubeConfigFromString(sim.kubeconfig, { source: 'embedded cluster kubeconfig' }));
  return { client, mode: 'embedded', kubeconfig: sim.kubeconfig, close: () => sim.close() };
}
