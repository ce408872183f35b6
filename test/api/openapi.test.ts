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
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/v1/exercises', '/api/v1/exercises/{id}', '/healthz', '/readyz']);
    expect(Object.keys(doc.paths['/api/v1/exercises/{id}'] ?? {})).toEqual(['get']);
    const detail = doc.paths['/api/v1/exercises/{id}']?.['get'];
    expect(Object.keys(detail?.responses ?? {}).sort()).toEqual(['200', '400', '404']);
    // The parameter's rule comes from the same zod schema the route validates with.
    expect(JSON.stringify(detail)).toContain('"in":"path"');
    expect(JSON.stringify(detail)).toContain('"pattern"');
  });

  it('documents the routes the app actually serves', async () => {
    const doc = OpenApiDoc.parse((await t.app.inject('/api/v1/openapi.json')).json());
    for (const path of Object.keys(doc.paths)) {
      const url = path.replace('{id}', 'clusterip-basics');
      expect((await t.app.inject(url)).statusCode, url).toBe(200);
    }
  });
});
