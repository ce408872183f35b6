// Cluster-side work for one environment, each step safe to repeat: create-or-keep for
// every object (AlreadyExists from the API is the real guard against double creation,
// across processes too), apply for the setup manifests, delete-and-wait for teardown.
import { AlreadyExistsError, ConflictError, NotFoundError } from '../cluster/errors.ts';
import type { ClusterClient, KubeObject } from '../cluster/types.ts';
import { applyObjects } from './apply.ts';
import { EnvironmentTimeoutError, NamespaceConflictError } from './errors.ts';
import * as L from './labels.ts';
import { environmentObjects, namespaceObject, nodeReaderClusterRole, type EnvironmentSpec } from './manifests.ts';
import { nodeReaderBindingFor } from './naming.ts';

export interface Waiting {
  /** Injected delay between polls (tests pass one that advances a fake clock). */
  sleep: (ms: number) => Promise<void>;
  /** Give up after this many polls; with the backoff below, 120 polls is about 2 minutes. */
  maxPolls: number;
}

export class ProvisioningError extends Error {
  override readonly name = 'ProvisioningError';
}

async function createOrKeep(cluster: ClusterClient, obj: KubeObject): Promise<'created' | 'exists'> {
  try {
    await cluster.create(obj, { fieldManager: 'kubelab' });
    return 'created';
  } catch (err) {
    if (err instanceof AlreadyExistsError) return 'exists';
    throw err;
  }
}

/** The shared ClusterRole every environment's node-reader binding points at. */
export async function ensureNodeReaderRole(cluster: ClusterClient): Promise<void> {
  await createOrKeep(cluster, nodeReaderClusterRole());
}

/** Namespace, guarded: an existing one must carry our owner label, a terminating one is waited out. */
async function ensureNamespace(cluster: ClusterClient, spec: EnvironmentSpec, waiting: Waiting): Promise<void> {
  for (let round = 0; round < 2; round++) {
    if ((await createOrKeep(cluster, namespaceObject(spec))) === 'created') return;
    const live = await cluster.find({ apiVersion: 'v1', kind: 'Namespace', name: spec.namespace });
    if (!live) continue; // deleted between our create and read: try again
    const labels = live.metadata.labels ?? {};
    if (labels[L.MANAGED_BY] !== L.MANAGED_BY_VALUE || labels[L.OWNER] !== spec.ownerHash) {
      throw new NamespaceConflictError(spec.namespace);
    }
    if (!live.metadata.deletionTimestamp) return;
    await waitForNamespaceGone(cluster, spec.namespace, waiting);
  }
  throw new ProvisioningError(`namespace ${spec.namespace} keeps disappearing while being created`);
}

/** Everything the environment needs, then the exercise's setup manifests applied as admin. */
export async function provisionEnvironment(
  cluster: ClusterClient,
  spec: EnvironmentSpec,
  setup: readonly KubeObject[],
  waiting: Waiting,
): Promise<void> {
  await ensureNamespace(cluster, spec, waiting);
  for (const obj of environmentObjects(spec)) await createOrKeep(cluster, obj);
  const objects = setup.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: spec.namespace } }));
  const failed = (await applyObjects(cluster, objects)).filter((r) => r.action === 'failed');
  if (failed.length > 0) {
    throw new ProvisioningError(`setup ${failed.map((f) => `${f.kind} ${f.name}: ${f.message}`).join('; ')}`);
  }
}

/**
 * Start deleting; NotFound counts as done, and so does the 409 Conflict the apiserver
 * answers for a namespace that is already terminating. The node-reader binding is
 * cluster-scoped, so it goes explicitly.
 */
export async function deleteEnvironment(cluster: ClusterClient, namespace: string): Promise<void> {
  const refs = [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: nodeReaderBindingFor(namespace) },
    { apiVersion: 'v1', kind: 'Namespace', name: namespace },
  ];
  for (const ref of refs) {
    try {
      await cluster.delete(ref);
    } catch (err) {
      if (!(err instanceof NotFoundError || (err instanceof ConflictError && ref.kind === 'Namespace'))) throw err;
    }
  }
}

/** Poll until the namespace is gone (finalizers done), with a capped backoff through the injected sleep. */
export async function waitForNamespaceGone(cluster: ClusterClient, namespace: string, waiting: Waiting): Promise<void> {
  let delay = 25;
  for (let poll = 0; poll < waiting.maxPolls; poll++) {
    if (!(await cluster.find({ apiVersion: 'v1', kind: 'Namespace', name: namespace }))) return;
    await waiting.sleep(delay);
    delay = Math.min(1000, delay * 2);
  }
  throw new EnvironmentTimeoutError(`namespace ${namespace} is still terminating; try again in a minute`);
}

/** Keep the namespace's expiry label in step with the database (extend). */
export async function labelExpiry(cluster: ClusterClient, namespace: string, expiresAt: number): Promise<void> {
  await cluster.patch(
    { apiVersion: 'v1', kind: 'Namespace', name: namespace },
    { metadata: { labels: { [L.EXPIRES]: String(Math.floor(expiresAt / 1000)) } } },
  );
}
