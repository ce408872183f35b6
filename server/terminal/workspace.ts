// The learner's workspace Pod: where the portal's terminal runs. It lives in the
// learner's own namespace, runs as the learner's ServiceAccount (so kubectl in it has
// exactly the learner's rights), is created with the learner's credentials (so it counts
// in their quota like any Pod of theirs), and carries no `app` label, so no exercise's
// Service or Deployment selector can pick it up.
import { AlreadyExistsError } from '../cluster/errors.ts';
import type { ClusterClient, KubeObject } from '../cluster/types.ts';
import { LEARNER_SERVICE_ACCOUNT, MANAGED_BY, MANAGED_BY_VALUE } from '../environments/labels.ts';

export const WORKSPACE_POD = 'kubelab-workspace';
export const WORKSPACE_CONTAINER = 'shell';

export function workspacePod(namespace: string, image: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: WORKSPACE_POD,
      namespace,
      labels: { 'app.kubernetes.io/name': 'kubelab-workspace', [MANAGED_BY]: MANAGED_BY_VALUE },
    },
    spec: {
      serviceAccountName: LEARNER_SERVICE_ACCOUNT,
      // Nothing to shut down gracefully: a reset or expiry should not wait 30 s for it.
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: WORKSPACE_CONTAINER,
          image,
          command: ['sleep', 'infinity'],
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
          securityContext: { allowPrivilegeEscalation: false },
        },
      ],
    },
  };
}

export interface WorkspaceWaiting {
  sleep(ms: number): Promise<void>;
  maxPolls: number;
}

/** Creates the workspace unless it exists, and waits until its container runs. */
export async function ensureWorkspace(client: ClusterClient, namespace: string, image: string, waiting: WorkspaceWaiting): Promise<void> {
  await client.create(workspacePod(namespace, image)).catch((err: unknown) => {
    if (!(err instanceof AlreadyExistsError)) throw err;
  });
  for (let poll = 0; poll < waiting.maxPolls; poll++) {
    const pod = await client.get({ apiVersion: 'v1', kind: 'Pod', name: WORKSPACE_POD, namespace });
    const status = (pod['status'] ?? {}) as { phase?: string; containerStatuses?: { state?: { running?: unknown; waiting?: { reason?: string; message?: string } } }[] };
    if (status.phase === 'Running' && status.containerStatuses?.[0]?.state?.running) return;
    const waitingState = status.containerStatuses?.[0]?.state?.waiting;
    if (waitingState?.reason && /BackOff|Err|Invalid/.test(waitingState.reason)) {
      throw new WorkspaceError(`the workspace cannot start: ${waitingState.reason}${waitingState.message ? `: ${waitingState.message}` : ''}`);
    }
    if (status.phase === 'Failed' || status.phase === 'Succeeded') throw new WorkspaceError(`the workspace stopped (${status.phase}); open the terminal again`);
    await waiting.sleep(250);
  }
  throw new WorkspaceError('the workspace did not start in time');
}

/** The workspace could not be made ready: shown in the terminal, not a server error. */
export class WorkspaceError extends Error {
  override readonly name = 'WorkspaceError';
}
