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
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/attempts/{attemptId}',
      '/api/v1/attempts/{attemptId}/events',
      '/api/v1/exercises',
      '/api/v1/exercises/{id}',
      '/api/v1/exercises/{id}/attempts',
      '/api/v1/exercises/{id}/environment',
      '/api/v1/exercises/{id}/environment/apply',
      '/api/v1/exercises/{id}/environment/extend',
      '/api/v1/exercises/{id}/environment/kubeconfig',
      '/api/v1/exercises/{id}/environment/reset',
      '/healthz',
      '/readyz',
    ]);
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
      const url = path.replace('{id}', 'clusterip-basics').replace('{attemptId}', '1');
      for (const method of Object.keys(operations)) {
        const res = await t.app.inject({ method: method.toUpperCase() as 'GET', url });
        // Public routes answer; the learner's routes want a token first. Neither is "no such route".
        const expected = path.includes('/environment') || path.includes('attempts') ? 401 : 200;
        expect(res.statusCode, `${method} ${url}`).toBe(expected);
      }
    }
  });
});
