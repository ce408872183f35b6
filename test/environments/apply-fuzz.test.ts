// The Apply YAML endpoint against hostile input (#17): large but legal documents are
// taken, documents over the limits get a 400 naming the limit, and 600 seeded random
// malformed bodies (aliases, deep nesting, huge keys, binary, wrong JSON types) all get
// a 2xx or 4xx answer in the error shape, never a 5xx.
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../server/http/errorHandler.ts';
import { environmentRoutes } from '../../server/http/routes/environments.ts';
import { seededRng } from '../helpers/rng.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let app: FastifyInstance;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  const fastify = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(fastify);
  await fastify.register(environmentRoutes, {
    prefix: '/api/v1',
    service: h.service(),
    authenticate: { bearer: (t) => h.db.tokens.authenticate(t)?.user, session: () => undefined },
  });
  await fastify.ready();
  app = fastify;
  token = h.db.tokens.createToken(h.learner('fuzzer'), 'test', []).plaintext;
  const created = await app.inject({ method: 'PUT', url: '/api/v1/exercises/clusterip-basics/environment', headers: { authorization: `Bearer ${token}` } });
  expect(created.statusCode).toBe(201);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const APPLY = '/api/v1/exercises/clusterip-basics/environment/apply';
const yamlRequest = (payload: string | Buffer, contentType = 'text/yaml'): InjectOptions => ({
  method: 'POST',
  url: APPLY,
  headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
  payload,
});

const configMap = (name: string, keys: number) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${Array.from({ length: keys }, (_, i) => `  k${i}: v\n`).join('')}`;

const laughs =
  'a: &a [x, x, x, x, x, x, x, x, x]\n' +
  Array.from({ length: 9 }, (_, i) => {
    const [name, prev] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
    return `${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`;
  }).join('\n');

describe('apply limits over HTTP', () => {
  it('takes a 229 KB ConfigMap with 20,000 keys', async () => {
    const res = await app.inject(yamlRequest(configMap('twenty-thousand', 20_000)));
    expect(res.statusCode).toBe(200);
    expect(res.json().results).toEqual([expect.objectContaining({ kind: 'ConfigMap', name: 'twenty-thousand', action: 'created' })]);
  });

  it.each([
    ['billion laughs (was a 500)', laughs, /too many YAML aliases/],
    ['more than 100 aliases', `a: &a x\nb: [${Array(101).fill('*a').join(', ')}]`, /too many YAML aliases: at most 100/],
    ['nesting 100,000 deep', '['.repeat(100_000), /nested too deeply/],
    ['more than 100,000 nodes', `x: [${Array(101_000).fill('0').join(',')}]`, /too many YAML nodes/],
    ['more than 200 documents', '---\n'.repeat(201), /too many YAML documents/],
  ])('answers %s with 400 naming the limit', async (_name, text, message) => {
    const res = await app.inject(yamlRequest(text));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_manifest', message: expect.stringMatching(message) });
  });
});

const rng = seededRng(0x17_0005);
const int = (max: number) => Math.floor(rng() * max);
function pick<T>(items: readonly T[]): T {
  const item = items[int(items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

const VALID = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fuzz\n  labels: {app: fuzz}\ndata:\n  a: "1"\n  b: |\n    text\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: fuzz}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: fuzz}}\n  template:\n    metadata: {labels: {app: fuzz}}\n    spec: {containers: [{name: c, image: nginx}]}\n`;
const TOKENS = ['&a ', '*a', '*b', '&b ', '[', ']', '{', '}', ': ', '- ', '? ', '---\n', '...\n', '!!binary ', '!!str ', '!!map ', '!!set ', '!custom ', '%YAML 1.2\n', '%TAG ! tag:x,2000:\n', '<<: ', '|', '>-', '"', "'", '\t', '\n', '#', '\u0000', '\ufeff', '\ud800', 'null', '~', '0x1F', '1e309', '.nan', '__proto__', 'constructor'];

/** One hostile body, by kind: mutated manifest, aliases, nesting, huge keys, binary, token soup. */
function hostile(): { payload: string | Buffer; contentType: string } {
  switch (int(8)) {
    case 0: {
      // A real manifest with a few random edits.
      const chars = [...VALID];
      for (let n = 1 + int(6); n > 0; n--) chars.splice(int(chars.length), int(3), pick(TOKENS));
      return { payload: chars.join(''), contentType: 'text/yaml' };
    }
    case 1: {
      // Alias chains: up to 12 levels of up to 12 references each.
      const levels = 1 + int(12);
      const width = 1 + int(12);
      const lines = ['l0: &l0 [x, x]'];
      for (let i = 1; i <= levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
      return { payload: lines.join('\n'), contentType: 'text/yaml' };
    }
    case 2: {
      const depth = 1 + int(3000);
      const open = pick(['[', '{a: ', '- ', '? ', '{']);
      const close = open === '[' ? ']' : open.startsWith('{') ? '}' : '';
      return { payload: `${open.repeat(depth)}x${int(2) ? close.repeat(depth) : ''}`, contentType: 'text/yaml' };
    }
    case 3: {
      const key = pick(['k', 'ü', '🚀', '"', ' ']).repeat(1 + int(3000));
      return { payload: pick([`${key}: v`, `? ${key}\n: v`, `"${key}": v`, `{${key}: v}`, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: k}\ndata: {"${key}": v}`]), contentType: 'text/yaml' };
    }
    case 4: {
      const bytes = Buffer.from(Array.from({ length: int(4000) }, () => int(256)));
      return { payload: bytes, contentType: pick(['text/yaml', 'application/yaml', 'text/plain', 'application/json']) };
    }
    case 5: {
      const soup = Array.from({ length: 1 + int(200) }, () => (int(3) === 0 ? String.fromCharCode(32 + int(95)) : pick(TOKENS))).join('');
      return { payload: soup, contentType: 'text/yaml' };
    }
    case 6: {
      // JSON bodies of the wrong shape or type.
      const yamlField = pick<unknown>([123, null, true, [], {}, ['a'], { yaml: 'x' }, '', laughs, 'x'.repeat(300 * 1024)]);
      const body = pick<unknown>([{ yaml: yamlField }, { yaml: 'kind: Pod', extra: 1 }, [], 'just a string', 42, { YAML: 'x' }, { __proto__: { yaml: 'x' } }]);
      return { payload: JSON.stringify(body), contentType: 'application/json' };
    }
    default: {
      const broken = pick(['{"yaml": ', '{"yaml": "a\\', '[', '{"yaml": "\\ud800"}', '\u0000', `{"yaml": ${'['.repeat(5000)}`]);
      return { payload: broken, contentType: 'application/json' };
    }
  }
}

describe('apply fuzz', () => {
  it('answers 600 seeded hostile bodies with 2xx or 4xx, never 5xx', async () => {
    const statuses = new Map<number, number>();
    for (let i = 0; i < 600; i++) {
      const { payload, contentType } = hostile();
      const res = await app.inject(yamlRequest(payload, contentType));
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      const what = `case ${i} (${contentType}): ${String(payload).slice(0, 120)}`;
      expect(res.statusCode, `${what}\n=> ${res.body.slice(0, 300)}`).toBeLessThan(500);
      if (res.statusCode >= 400) {
        const error = res.json().error;
        expect(typeof error.message === 'string' && error.message.length > 5, what).toBe(true);
      }
    }
    // The generator reaches both outcomes: some bodies are refused, some still apply.
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  }, 120_000);
});
