// /api/v1/admin/clusters: the cluster pool for admins. Status per member (capacity,
// used, healthy, cordoned), and cordon / uncordon / drain. Instructors get 403: moving
// learners between clusters is the operator's call.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ClusterPool, MemberStatus } from '../../cluster/pool/pool.ts';
import type { EnvironmentService } from '../../environments/service.ts';
import { ForbiddenError } from '../errors.ts';
import { ErrorResponse, NoQuery } from '../schemas/common.ts';
import { currentCaller, requireStaff, type Authenticate } from './environments-auth.ts';
import { translated } from './environments-errors.ts';

export const ClusterStatus = z.object({
  name: z.string(),
  mode: z.enum(['embedded', 'kubeconfig']),
  capacity: z.number().int(),
  weight: z.number(),
  used: z.number().int().describe('environments plus warm ones'),
  environments: z.number().int(),
  warm: z.number().int(),
  cordoned: z.boolean(),
  healthy: z.boolean(),
  lastError: z.string().nullable(),
  checkedAt: z.string().nullable().describe('ISO time of the last health probe'),
});

const ClusterListResponse = z.object({ clusters: z.array(ClusterStatus) });
const ClusterResponse = z.object({ cluster: ClusterStatus });
const DrainResponse = z.object({
  cluster: ClusterStatus,
  deleted: z.array(z.string()).describe('namespaces deleted'),
  failed: z.array(z.object({ namespace: z.string(), error: z.string() })).describe('still there: drain again'),
});
const ClusterParams = z.strictObject({ name: z.string().min(1).max(40).regex(/^[a-z0-9-]+$/, 'expected a cluster name') });

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse } as const;
const tags = ['clusters'];

export function clusterStatusView(s: MemberStatus): z.infer<typeof ClusterStatus> {
  return { ...s, checkedAt: s.checkedAt === null ? null : new Date(s.checkedAt).toISOString() };
}

export interface ClusterRoutesOptions {
  pool: ClusterPool;
  environments: Pick<EnvironmentService, 'drain'>;
  authenticate: Authenticate;
}

export const clusterRoutes: FastifyPluginAsyncZod<ClusterRoutesOptions> = async (app, { pool, environments, authenticate }) => {
  requireStaff(app, authenticate);
  app.addHook('onRequest', async (request) => {
    if (currentCaller(request).role !== 'admin') throw new ForbiddenError('the cluster pool is for admins');
  });

  const one = (name: string) => {
    const found = pool.status().find((s) => s.name === name);
    if (!found) pool.get(name); // throws the named 404
    return clusterStatusView(found!);
  };

  app.get('/admin/clusters', {
    schema: { tags, summary: 'Every cluster in the pool: capacity, used, healthy, cordoned', querystring: NoQuery, response: { 200: ClusterListResponse, ...errors } },
  }, async () => ({ clusters: pool.status().map(clusterStatusView) }));

  app.post('/admin/clusters/:name/cordon', {
    schema: { tags, summary: 'Take no new environments on this cluster (existing ones keep running)', params: ClusterParams, querystring: NoQuery, response: { 200: ClusterResponse, ...errors } },
  }, async (request) => translated(() => {
    pool.cordon(request.params.name);
    return { cluster: one(request.params.name) };
  }));

  app.post('/admin/clusters/:name/uncordon', {
    schema: { tags, summary: 'Let this cluster take new environments again', params: ClusterParams, querystring: NoQuery, response: { 200: ClusterResponse, ...errors } },
  }, async (request) => translated(() => {
    pool.uncordon(request.params.name);
    return { cluster: one(request.params.name) };
  }));

  app.post('/admin/clusters/:name/drain', {
    schema: { tags, summary: 'Cordon, then delete every environment on this cluster (learners get a new one elsewhere at their next Start)', params: ClusterParams, querystring: NoQuery, response: { 200: DrainResponse, ...errors } },
  }, async (request) => translated(async () => {
    pool.get(request.params.name);
    const result = await environments.drain(request.params.name);
    return { cluster: one(request.params.name), ...result };
  }));
};
