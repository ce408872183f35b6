// Liveness says the process answers; readiness says it can do its job (database
// reachable, catalog loaded), so a load balancer sends learners only to ready ones.
// With a cluster pool, each member's state is in the details; one member down does not
// make kubelab unready (learners on the others keep working), all of them down does.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteContext } from '../context.ts';
import { ServiceUnavailableError } from '../errors.ts';
import { ErrorResponse } from '../schemas/common.ts';
import { ClusterStatus, clusterStatusView } from './clusters.ts';

const Health = z.object({ status: z.literal('ok'), time: z.string() });
const Ready = z.object({
  status: z.literal('ready'),
  checks: z.object({ database: z.string(), catalog: z.string(), clusters: z.string().optional() }),
  clusters: z.array(ClusterStatus).optional(),
});

export const healthRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  app.get(
    '/healthz',
    { schema: { tags: ['health'], summary: 'Liveness', response: { 200: Health } } },
    async () => ({ status: 'ok' as const, time: new Date(ctx.now()).toISOString() }),
  );

  app.get(
    '/readyz',
    { schema: { tags: ['health'], summary: 'Readiness', response: { 200: Ready, 503: ErrorResponse } } },
    async (request) => {
      const database = databaseState(ctx, (err) => request.log.warn({ err }, 'readiness: database check failed'));
      const count = ctx.catalog.exercises.length;
      const catalog = count > 0 ? `${count} exercises` : 'no exercises loaded';
      const members = clusterStates(ctx, (err) => request.log.warn({ err }, 'readiness: cluster pool status failed'));
      const healthy = members?.filter((m) => m.healthy).length;
      const clusters = members === undefined ? {} : { clusters: `${healthy} of ${members.length} answering` };
      const details = { checks: { database, catalog, ...clusters }, ...(members ? { clusters: members } : {}) };
      if (database !== 'ok' || count === 0 || healthy === 0) {
        throw new ServiceUnavailableError('not_ready', 'not ready', details);
      }
      return { status: 'ready' as const, ...details };
    },
  );
};

/** Per-member status, or undefined when there is no pool or its state cannot be read (the database check says why). */
function clusterStates(ctx: RouteContext, report: (err: unknown) => void): z.infer<typeof ClusterStatus>[] | undefined {
  try {
    return ctx.clusters?.().map(clusterStatusView);
  } catch (err) {
    report(err);
    return undefined;
  }
}

function databaseState(ctx: RouteContext, report: (err: unknown) => void): string {
  try {
    return ctx.db.ping() ? 'ok' : 'unreachable';
  } catch (err) {
    report(err);
    return 'unreachable';
  }
}
