// Names and Role Provisioning Services (https://www.imsglobal.org/spec/lti-nrps/v2p0):
// when an instructor launches with the NRPS claim, the course's active learners are
// fetched and added to the class, so the dashboard shows everyone before they launch.
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { call, USER_AGENT, type AgsTokens } from './ags/tokens.ts';
import { NRPS_SCOPE, teaches } from './claims.ts';
import type { LtiMappings } from './mappings.ts';
import type { Platform } from './platforms.ts';

const MEDIA_TYPE = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';
/** A course bigger than this many pages is cut short rather than stalling the launch. */
const MAX_PAGES = 20;

const Member = z.object({
  user_id: z.string().min(1).max(1000),
  roles: z.array(z.string()),
  status: z.enum(['Active', 'Inactive', 'Deleted']).optional(),
  name: z.string().max(200).optional(),
  given_name: z.string().max(200).optional(),
  family_name: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
}).loose();
const Container = z.object({ members: z.array(Member) }).loose();

export interface RosterDeps {
  readonly db: Db;
  readonly mappings: LtiMappings;
  readonly tokens: AgsTokens;
  readonly fetch: typeof fetch;
}

/** Adds the course's active learners to the class; returns how many members it saw. */
export async function syncRoster(deps: RosterDeps, platform: Platform, membershipsUrl: string, classId: number): Promise<number> {
  const token = await deps.tokens.token(platform, [NRPS_SCOPE]);
  let url: string | undefined = membershipsUrl;
  let seen = 0;
  for (let page = 0; url !== undefined && page < MAX_PAGES; page += 1) {
    const res = await call(deps.fetch, url, { headers: { authorization: `Bearer ${token}`, accept: MEDIA_TYPE, 'user-agent': USER_AGENT } }, 'roster');
    const parsed = Container.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new Error(`the platform's roster is malformed: ${parsed.error.issues[0]?.message ?? ''}`);
    deps.db.transaction(() => {
      for (const member of parsed.data.members) {
        seen += 1;
        if ((member.status ?? 'Active') !== 'Active' || teaches(member.roles)) continue;
        const name = (member.name ?? [member.given_name, member.family_name].filter(Boolean).join(' ')).replace(/[\p{Cc}\p{Cf}]/gu, '').trim().slice(0, 80);
        const user = deps.db.users.upsertByExternalKey({
          externalKey: `lti:${platform.issuer}#${member.user_id}`,
          displayName: name || `LMS user ${member.user_id.slice(0, 8)}`,
          email: member.email ?? null,
          role: 'learner',
        });
        deps.mappings.linkAccount(platform.id, member.user_id, user.id);
        deps.db.classes.addMember(classId, user.id);
      }
    });
    url = nextLink(res.headers.get('link'));
  }
  return seen;
}

/** The rel="next" URL of a Link header, if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (match?.[1] !== undefined && URL.canParse(match[1])) return match[1];
  }
  return undefined;
}
