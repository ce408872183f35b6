import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ env: { KUBELAB_PUBLIC_URL: 'https://labs.example.edu' } });
});
afterAll(async () => {
  await t.close();
});

const OpenApiDoc = z.object({
  openapi: z.string(),
  info: z.object({ title: z.string(), version: z.string() }),
  servers: z.array(z.object({ url: z.string() })),
  paths: z.record(z.string(), z.record(z.string(), z.object({ responses: z.record(z.string(), z.unknown()) }).loose())),
});

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document listing every public route and its error answers', async () => {
    const res = await t.app.inject('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = OpenApiDoc.parse(res.json());
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: 'https://labs.example.edu' }]);
    const paths = Object.keys(doc.paths);
    // The API's own routes plus the probes; the portal's pages are no API and stay out.
    expect(paths.filter((p) => !p.startsWith('/api/v1/')).sort()).toEqual(['/healthz', '/readyz']);
    expect(paths).toEqual(expect.arrayContaining([
      '/api/v1/attempts/{attemptId}',
      '/api/v1/attempts/{attemptId}/events',
      '/api/v1/classes',
      '/api/v1/classes/{classId}',
      '/api/v1/classes/{classId}/attempts/{attemptId}',
      '/api/v1/classes/{classId}/environments/{exerciseId}/{action}',
      '/api/v1/classes/{classId}/events',
      '/api/v1/classes/{classId}/exercises/{exerciseId}/insight',
      '/api/v1/classes/{classId}/export',
      '/api/v1/classes/{classId}/join-code',
      '/api/v1/classes/{classId}/learners/{userId}/attempts',
      '/api/v1/classes/{classId}/learners/{userId}/environments/{exerciseId}/{action}',
      '/api/v1/classes/{classId}/matrix',
      '/api/v1/exercises',
      '/api/v1/exercises/{id}',
      '/api/v1/exercises/{id}/attempts',
      '/api/v1/exercises/{id}/environment',
      '/api/v1/exercises/{id}/environment/apply',
      '/api/v1/exercises/{id}/environment/extend',
      '/api/v1/exercises/{id}/environment/kubeconfig',
      '/api/v1/exercises/{id}/environment/live',
      '/api/v1/exercises/{id}/environment/reset',
      '/api/v1/users',
      '/api/v1/users/{id}',
      '/api/v1/users/{id}/tokens',
      '/api/v1/users/{id}/tokens/{tokenId}/revoke',
    ]));
    expect(Object.keys(doc.paths['/api/v1/exercises/{id}/environment'] ?? {}).sort()).toEqual(['delete', 'get', 'put']);
    expect(Object.keys(doc.paths['/api/v1/exercises/{id}'] ?? {})).toEqual(['get']);
    const detail = doc.paths['/api/v1/exercises/{id}']?.['get'];
    expect(Object.keys(detail?.responses ?? {}).sort()).toEqual(['200', '400', '404']);
    // The parameter's rule comes from the same zod schema the route validates with.
    expect(JSON.stringify(detail)).toContain('"in":"path"');
    expect(JSON.stringify(detail)).toContain('"pattern"');
  });

  it('documents the routes the app actually serves', async () => {
    const doc = OpenApiDoc.parse((await t.app.inject('/api/v1/openapi.json')).json());
    for (const [path, operations] of Object.entries(doc.paths)) {
      // An exercise id where the route takes one, 1 for every other parameter.
      const url = path.replace(/^\/api\/v1\/exercises\/\{id\}/, '/api/v1/exercises/clusterip-basics').replace(/\{[A-Za-z]+\}/g, '1');
      const isPublic = ['/healthz', '/readyz', '/api/v1/exercises', '/api/v1/exercises/{id}'].includes(path);
      for (const method of Object.keys(operations)) {
        const res = await t.app.inject({ method: method.toUpperCase() as 'GET', url });
        // Public routes answer; every other one wants a caller first. Neither is "no such route".
        const expected = isPublic ? 200 : 401;
        expect(res.statusCode, `${method} ${url}`).toBe(expected);
      }
    }
  });

  it('declares the bearer and cookie security schemes, and the account routes accept either', async () => {
    const doc = z
      .object({
        components: z.object({ securitySchemes: z.record(z.string(), z.object({ type: z.string() }).loose()) }),
        paths: z.record(z.string(), z.record(z.string(), z.object({ security: z.array(z.record(z.string(), z.array(z.string()))).optional() }).loose())),
      })
      .parse((await t.app.inject('/api/v1/openapi.json')).json());
    expect(doc.components.securitySchemes).toMatchObject({
      bearerAuth: { type: 'http', scheme: 'bearer' },
      sessionCookie: { type: 'apiKey', in: 'cookie', name: 'kubelab_session' },
    });
    for (const [path, operations] of Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/v1/users'))) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
      }
    }
  });
});
