import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Exercise } from '../../catalog/loader.ts';
import { NotFoundError } from '../../db/errors.ts';
import type { RouteContext } from '../context.ts';
import { pageOfSorted, PageQuery } from '../pagination/cursor.ts';
import { errorResponses, NoQuery } from '../schemas/common.ts';
import { ExerciseDetail, ExerciseList, ExerciseParams } from '../schemas/exercises.ts';
import type { z } from 'zod';

function summaryOf(e: Exercise): z.infer<typeof ExerciseList>['exercises'][number] {
  return {
    id: e.id,
    title: e.title,
    summary: e.summary,
    order: e.order,
    minutes: e.minutes,
    images: e.images,
    checkCount: e.checks.length,
    totalPoints: e.checks.reduce((sum, c) => sum + c.points, 0),
  };
}

export const exerciseRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  // The catalog is immutable while the server runs: render every page once.
  const details = new Map(
    ctx.catalog.exercises.map((e): [string, z.infer<typeof ExerciseDetail>] => [
      e.id,
      {
        ...summaryOf(e),
        checks: e.checks.map((c) => ({ id: c.id, title: c.title, points: c.points, needs: c.needs, hint: c.hint })),
        instructions: { markdown: e.instructions, html: ctx.renderMarkdown(e.instructions) },
      },
    ]),
  );
  // Keyed by position in teaching order: the catalog does not change while the server runs.
  const positioned = ctx.catalog.exercises.map((e, position) => ({ position, summary: summaryOf(e) }));

  app.get(
    '/exercises',
    {
      schema: {
        tags: ['exercises'],
        summary: 'List the exercises, in teaching order, a page at a time',
        querystring: PageQuery,
        response: { 200: ExerciseList, ...errorResponses },
      },
    },
    async (request) => {
      const page = pageOfSorted(positioned, request.query, (p) => p.position, 'asc');
      return { exercises: page.items.map((p) => p.summary), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/exercises/:id',
    {
      schema: {
        tags: ['exercises'],
        summary: 'One exercise: checks and instructions',
        params: ExerciseParams,
        querystring: NoQuery,
        response: { 200: ExerciseDetail, ...errorResponses },
      },
    },
    async (request) => {
      const detail = details.get(request.params.id);
      if (detail === undefined) throw new NotFoundError('exercise', request.params.id);
      return detail;
    },
  );
};
