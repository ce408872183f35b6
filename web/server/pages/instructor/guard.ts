// The instructor pages' gate and shared bits: a visitor signs in first, a learner gets
// a 403 page (signed in, wrong role), and a form post must come from our own page with
// the session's CSRF token. Class-level access (own classes only) is ClassService's.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Staff } from '../../../../server/classes/service.ts';
import { HttpError } from '../../../../server/http/errors.ts';
import type { WebDeps } from '../../deps.ts';
import { messagePage } from '../../layout.ts';
import { fromOwnPage, validCsrf, type SignedIn } from '../../session.ts';
import { requirePage } from '../guard.ts';

export interface StaffPage {
  readonly who: SignedIn;
  readonly staff: Staff;
}

export function requireStaffPage(request: FastifyRequest, reply: FastifyReply, deps: WebDeps): StaffPage | undefined {
  const who = requirePage(request, reply, deps);
  if (!who) return undefined;
  if (who.user.role === 'learner') {
    void reply.code(403).type('text/html; charset=utf-8').send(
      messagePage({ title: 'For instructors', message: 'This page is for instructors. Your account is a learner’s.', assets: deps.assets, who, link: { href: '/', text: 'Your exercises' } }).value,
    );
    return undefined;
  }
  return { who, staff: { id: who.user.id, role: who.user.role } };
}

/** A staff form post: the page gate, then origin and CSRF. Answers 403 itself when they fail. */
export function requireStaffForm(request: FastifyRequest, reply: FastifyReply, deps: WebDeps): StaffPage | undefined {
  const page = requireStaffPage(request, reply, deps);
  if (!page) return undefined;
  const csrf = z.object({ _csrf: z.string() }).safeParse(request.body ?? {});
  if (!fromOwnPage(request, deps.config.publicUrl) || !validCsrf(page.who, csrf.success ? csrf.data._csrf : undefined)) {
    void reply.code(403).type('text/html; charset=utf-8').send(
      messagePage({ title: 'Not allowed', message: 'Send this form from its own page (reload it and try again).', assets: deps.assets, who: page.who }).value,
    );
    return undefined;
  }
  return page;
}

/** ClassService's 404s (someone else's class, a learner not in it) as a page. */
export async function orNotFoundPage(
  reply: FastifyReply,
  deps: WebDeps,
  who: SignedIn,
  render: () => Promise<string | { redirect: string }> | string | { redirect: string },
): Promise<FastifyReply> {
  reply.type('text/html; charset=utf-8');
  try {
    const out = await render();
    return typeof out === 'string' ? reply.send(out) : reply.redirect(out.redirect, 303);
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) {
      return reply.code(404).send(messagePage({ title: 'Not found', message: `${error.message[0]?.toUpperCase()}${error.message.slice(1)}.`, assets: deps.assets, who, link: { href: '/instructor', text: 'Your classes' } }).value);
    }
    throw error;
  }
}

const positiveId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const notFound = () => new HttpError(404, 'not_found', 'there is nothing of yours at this address');

/** Ids from the path; one that cannot be an id is a page that does not exist. */
export function pathIds<K extends string>(params: unknown, keys: readonly K[]): Record<K, number> {
  const parsed = z.object(Object.fromEntries(keys.map((k) => [k, positiveId])) as Record<K, typeof positiveId>).safeParse(params);
  if (!parsed.success) throw notFound();
  return parsed.data as Record<K, number>;
}

export function pathExercise(params: unknown, deps: WebDeps): string {
  const id = z.object({ exerciseId: z.string() }).safeParse(params);
  if (!id.success || !deps.catalog.byId(id.data.exerciseId)) throw notFound();
  return id.data.exerciseId;
}

export function when(ms: number | null, now: number): string {
  if (ms === null) return '—';
  const minutes = Math.round((now - ms) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 24 * 60) return `${Math.round(minutes / 60)} h ago`;
  return new Date(ms).toISOString().slice(0, 10);
}
