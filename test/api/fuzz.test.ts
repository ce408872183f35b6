// 200 generated bad requests against the API (seeded, so a failure repeats): every
// one must get a 4xx in the error shape, never a 5xx or a crash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { ErrorResponse } from '../../server/http/schemas/common.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { seededRng } from '../helpers/rng.ts';

const rng = seededRng(0x6b75626c);
const int = (max: number) => Math.floor(rng() * max);
function pick<T>(items: readonly T[]): T {
  const item = items[int(items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

const NASTY = [
  '../..',
  '../../etc/passwd',
  '..\\..\\windows',
  '%2e%2e%2f',
  '\u0000',
  'DROP TABLE users;--',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '${7*7}',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e309',
  'Ünïcødé-名前-🚀',
  '\u202e\u200b\ufeff',
  ' ',
  'CLUSTERIP-BASICS',
  'clusterip_basics',
];

/** A garbage string: special, unicode, huge or random printable. */
function garbage(): string {
  switch (int(5)) {
    case 0:
      return pick(NASTY);
    case 1:
      return 'x'.repeat(1 + int(20_000));
    case 2:
      return Array.from({ length: 1 + int(30) }, () => String.fromCodePoint(0x20 + int(0x2fff))).join('');
    case 3:
      return Array.from({ length: 1 + int(30) }, () => String.fromCodePoint(0x1f300 + int(0x200))).join('');
    default:
      return Array.from({ length: 1 + int(40) }, () => String.fromCharCode(33 + int(94))).join('');
  }
}

/** Any JSON value of the wrong shape, nested up to `depth`. */
function garbageJson(depth = 3): unknown {
  switch (depth <= 0 ? int(5) : int(8)) {
    case 0:
      return garbage();
    case 1:
      return rng() * 1e12 - 5e11;
    case 2:
      return rng() < 0.5;
    case 3:
      return null;
    case 4:
      return int(2 ** 31);
    case 5:
      return Array.from({ length: int(5) }, () => garbageJson(depth - 1));
    case 6:
      return { __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } };
    default:
      return Object.fromEntries(Array.from({ length: 1 + int(5) }, () => [garbage().slice(0, 50), garbageJson(depth - 1)]));
  }
}

const BAD_JSON = ['{', '{"a":', '[1,2', 'nul', "{'single': 1}", '{"a":1}}', '\u0000', '{"a": NaN}', '"unterminated', ''];

type Case = { name: string; request: InjectOptions };

const cases: Case[] = [];
const ids = ['clusterip-basics', 'no-such-exercise'];

function badPathParam(): Case {
  const raw = garbage();
  // Either percent-encode it, or splice it in raw: a malformed URL is input too.
  const segment = rng() < 0.8 ? encodeURIComponent(raw) : raw.replace(/[/?#\s]/g, '%');
  return { name: `path param ${JSON.stringify(raw.slice(0, 40))}`, request: { method: 'GET', url: `/api/v1/exercises/${segment}` } };
}

function badQuery(): Case {
  const pairs = Array.from({ length: 1 + int(4) }, () => {
    const key = pick([garbage().slice(0, 100), 'a[b][c]', 'limit', 'id', '__proto__', 'token', 'x[]']);
    return `${encodeURIComponent(key || 'k')}=${encodeURIComponent(garbage())}`;
  });
  const url = pick(['/api/v1/exercises', `/api/v1/exercises/${pick(ids)}`]);
  return { name: `query ${pairs.join('&').slice(0, 60)}`, request: { method: 'GET', url: `${url}?${pairs.join('&')}` } };
}

function badBody(): Case {
  const method = pick(['POST', 'PUT', 'PATCH', 'DELETE'] as const);
  const url = pick(['/api/v1/exercises', `/api/v1/exercises/${pick(ids)}`, `/api/v1/exercises/${pick(ids)}/environment`]);
  const kind = int(4);
  const payload =
    kind === 0
      ? pick(BAD_JSON)
      : kind === 1
        ? `${'['.repeat(5_000)}${']'.repeat(5_000)}`
        : kind === 2
          ? 'y'.repeat(1_100_000)
          : JSON.stringify(garbageJson());
  const contentType = pick(['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']);
  return {
    name: `${method} ${url} ${contentType} body ${payload.slice(0, 30)}`,
    request: { method, url, payload, headers: { 'content-type': contentType } },
  };
}

function getWithBody(): Case {
  // GET ignores bodies, so an invalid query must still be what gets it refused.
  return {
    name: 'GET with a JSON body and a bad query',
    request: {
      method: 'GET',
      url: `/api/v1/exercises?${encodeURIComponent(garbage().slice(0, 50) || 'k')}=1`,
      payload: pick(BAD_JSON),
      headers: { 'content-type': 'application/json' },
    },
  };
}

for (let i = 0; i < 200; i++) {
  const make = pick([badPathParam, badPathParam, badQuery, badBody, badBody, getWithBody]);
  cases.push(make());
}

// The learner's routes check the token first (401 to strangers); these cases carry a
// valid one so the bad input reaches validation, the environment and the grader.
const authedCases: Case[] = [];
const learnerRoutes = [
  (id: string) => ({ method: pick(['PUT', 'GET', 'DELETE'] as const), url: `/api/v1/exercises/${id}/environment` }),
  (id: string) => ({ method: 'GET' as const, url: `/api/v1/exercises/${id}/environment/kubeconfig` }),
  (id: string) => ({ method: 'POST' as const, url: `/api/v1/exercises/${id}/environment/${pick(['reset', 'extend', 'apply'])}` }),
  (id: string) => ({ method: pick(['POST', 'GET'] as const), url: `/api/v1/exercises/${id}/attempts` }),
  (id: string) => ({ method: 'GET' as const, url: `/api/v1/attempts/${id}${pick(['', '/events'])}` }),
];
const BAD_YAML = ['kind: [', 'a: b: c', '- - -\n\t- x', '%YAML 9.9\n---\n', '!!binary zzz', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: kube-system}', '\u0000\u0001'];

for (let i = 0; i < 200; i++) {
  // Valid exercise ids only where nothing is created: an apply/reset/kubeconfig on an environment that does not exist.
  const id = rng() < 0.8 ? encodeURIComponent(garbage().slice(0, 300)) : pick(['clusterip-basics', '0', '-1', '99999999999999999999']);
  const route = pick(learnerRoutes)(id);
  const withBody = route.method !== 'GET' && rng() < 0.7;
  const payload = withBody ? pick([pick(BAD_JSON), pick(BAD_YAML), JSON.stringify(garbageJson()), JSON.stringify({ yaml: garbageJson() }), 'z'.repeat(300_000)]) : undefined;
  const query = rng() < 0.3 ? `?${encodeURIComponent(garbage().slice(0, 60) || 'k')}=${encodeURIComponent(garbage().slice(0, 60))}` : '';
  // Good requests are not the point here: creating an environment, or listing one's (empty) history.
  const valid = id === 'clusterip-basics' && !query;
  if (valid && (route.method === 'PUT' || (route.method === 'GET' && route.url.endsWith('/attempts')))) continue;
  authedCases.push({
    name: `${route.method} ${route.url.slice(0, 80)}${query.slice(0, 30)} ${payload?.slice(0, 30) ?? ''}`,
    request: {
      method: route.method,
      url: `${route.url}${query}`,
      ...(payload !== undefined ? { payload, headers: { 'content-type': pick(['application/json', 'text/yaml', 'application/yaml', 'text/plain', 'application/xml']) } } : {}),
    },
  });
}

let t: TestApp;
let learnerToken: string;
beforeAll(async () => {
  t = await buildTestApp();
  const learner = t.db.users.create({ externalKey: 'fuzz:learner', displayName: 'Fuzz', role: 'learner' });
  learnerToken = t.db.tokens.createToken(learner.id, 'fuzz', []).plaintext;
});
afterAll(async () => {
  await t.close();
});

describe('fuzzing the API with bad input', () => {
  it('generated 200 cases, of every kind', () => {
    expect(cases).toHaveLength(200);
    expect(new Set(cases.map((c) => c.request.method)).size).toBeGreaterThanOrEqual(4);
  });

  it('answers every one with a 4xx in the error shape', async () => {
    const failures: string[] = [];
    for (const c of cases) {
      const res = await t.app.inject(c.request);
      const parsed = ErrorResponse.safeParse(safeJson(res.body));
      const ok = res.statusCode >= 400 && res.statusCode < 500 && parsed.success && 'details' in (parsed.data.error ?? {});
      if (!ok) failures.push(`${c.name} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers every authenticated bad request to the learner routes with a 4xx in the error shape', async () => {
    expect(authedCases.length).toBeGreaterThan(150);
    const failures: string[] = [];
    for (const c of authedCases) {
      const headers = { ...(c.request.headers ?? {}), authorization: `Bearer ${learnerToken}` };
      const res = await t.app.inject({ ...c.request, headers });
      const parsed = ErrorResponse.safeParse(safeJson(res.body));
      if (!(res.statusCode >= 400 && res.statusCode < 500 && parsed.success)) failures.push(`${c.name} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });

  it('is still healthy afterwards', async () => {
    expect((await t.app.inject('/readyz')).statusCode).toBe(200);
  });
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return { notJson: String(error) };
  }
}
