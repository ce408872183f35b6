// People, classes and keys for the integration tests, made straight in the app's
// database (the API routes under test are the only way anything else happens).
import type { InjectOptions } from 'fastify';
import { expect } from 'vitest';
import { z } from 'zod';
import type { Role } from '../../../server/db/users.ts';
import type { TestApp } from '../../helpers/app.ts';

export interface Person {
  readonly user: { readonly id: number };
  readonly token: string;
  readonly auth: { authorization: string };
}

let made = 0;
export function person(t: TestApp, role: Role): Person {
  made += 1;
  const user = t.db.users.create({ externalKey: `local:integrations-${made}`, displayName: `${role} ${made}`, role });
  const { plaintext } = t.db.tokens.createToken(user.id, `${role} script`, []);
  return { user, token: plaintext, auth: { authorization: `Bearer ${plaintext}` } };
}

export function classOf(t: TestApp, owner: Person, name = 'Week 3', ...learners: Person[]) {
  const { class: made } = t.db.classes.create({ name, ownerUserId: owner.user.id, exerciseIds: ['clusterip-basics'] });
  for (const l of learners) t.db.classes.addMember(made.id, l.user.id);
  return made;
}

const Created = z.object({ apiKey: z.object({ id: z.number(), hint: z.string(), scopes: z.array(z.string()) }).loose(), secret: z.string() });

/** Makes a key through the API, as its maker would. */
export async function makeKey(t: TestApp, maker: Person, body: { name?: string; scopes: string[]; classId?: number | null }) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: maker.auth, payload: { name: 'LMS sync', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  const created = Created.parse(res.json());
  return { id: created.apiKey.id, secret: created.secret, auth: { authorization: `Bearer ${created.secret}` }, view: created.apiKey };
}

const ErrorBody = z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string(), details: z.unknown() }) });
export function expectError(res: { statusCode: number; body: string; json: () => unknown }, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  const body = ErrorBody.parse(res.json());
  expect(body.error.code).toBe(code);
  return body.error;
}

export type Call = InjectOptions;
