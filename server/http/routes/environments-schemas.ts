// Request and response schemas of the environment routes: one source for validation,
// serialization and the OpenAPI document.
import { z } from 'zod';
import { exerciseId } from '../../catalog/schema.ts';
import type { ApplyResult } from '../../environments/apply.ts';
import type { Environment } from '../../db/environments.ts';

export const ExerciseParams = z.strictObject({ id: exerciseId });

export const EnvironmentView = z
  .object({
    exerciseId: z.string(),
    namespace: z.string(),
    status: z.enum(['provisioning', 'ready', 'failed', 'deleting', 'deleted']),
    /** Why provisioning failed; null otherwise. */
    error: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'Environment' });
export type EnvironmentView = z.infer<typeof EnvironmentView>;

export const EnvironmentResponse = z.object({ environment: EnvironmentView });
export const ExtendResponse = z.object({
  environment: EnvironmentView,
  /** A fresh kubeconfig whose token lasts until the new expiry. */
  kubeconfig: z.string(),
});

export const ResetResponse = z.object({
  environment: EnvironmentView,
  /**
   * Always true: a reset builds the namespace again with a new ServiceAccount, so a
   * kubeconfig downloaded before it answers "Unauthorized". Use the one below.
   */
  kubeconfigChanged: z.literal(true),
  /** The new kubeconfig; null when the environment did not come back ready (see environment.error). */
  kubeconfig: z.string().nullable(),
});

export const ApplyBody = z.union([
  z.string().describe('YAML, one or more documents (Content-Type: text/yaml or application/yaml)'),
  z.strictObject({ yaml: z.string() }),
]);

export const ApplyResultView = z.object({
  kind: z.string(),
  name: z.string(),
  namespace: z.string(),
  action: z.enum(['created', 'configured', 'unchanged', 'failed']),
  message: z.string().optional(),
});
export const ApplyResponse = z
  .object({
    results: z.array(ApplyResultView),
    summary: z.object({ created: z.number(), configured: z.number(), unchanged: z.number(), failed: z.number() }),
  })
  .meta({ id: 'ApplyResult' });

export function environmentView(env: Environment): EnvironmentView {
  return {
    exerciseId: env.exerciseId,
    namespace: env.namespace,
    status: env.status,
    error: env.error,
    createdAt: new Date(env.createdAt).toISOString(),
    updatedAt: new Date(env.updatedAt).toISOString(),
    expiresAt: new Date(env.expiresAt).toISOString(),
  };
}

export function applyResponse(results: ApplyResult[]): z.infer<typeof ApplyResponse> {
  const count = (a: ApplyResult['action']) => results.filter((r) => r.action === a).length;
  return {
    results,
    summary: { created: count('created'), configured: count('configured'), unchanged: count('unchanged'), failed: count('failed') },
  };
}
