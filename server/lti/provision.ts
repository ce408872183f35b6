// What a valid launch does to kubelab's data: the account for the LTI user, the class
// for the LTI context (made on its first launch), the exercise for the resource link.
// Everything in one transaction, so a failed launch leaves nothing half made.
import type { Catalog } from '../catalog/loader.ts';
import type { Db } from '../db/database.ts';
import type { User } from '../db/users.ts';
import { AGS_SCOPE, CLAIM, teaches, type LaunchClaims, type ResourceLinkClaims } from './claims.ts';
import { LaunchError } from './launch-validation.ts';
import type { LtiMappings, ResourceLink } from './mappings.ts';
import type { Platform } from './platforms.ts';

export interface ProvisionDeps {
  readonly db: Db;
  readonly catalog: Catalog;
  readonly mappings: LtiMappings;
}

export interface Landing {
  readonly user: User;
  readonly classId: number;
  readonly teacher: boolean;
  /** Where the browser goes: the exercise page, or the class dashboard for instructors. */
  readonly targetPath: string;
  readonly link: ResourceLink;
}

/** The account of the launching user, made or refreshed from the token's claims. */
export function launchingUser(deps: ProvisionDeps, platform: Platform, claims: LaunchClaims): User {
  const teacher = teaches(claims[CLAIM.roles]);
  const displayName = displayNameOf(claims);
  const existing = deps.mappings.accountOf(platform.id, claims.sub);
  let user = deps.db.users.upsertByExternalKey({
    externalKey: `lti:${platform.issuer}#${claims.sub}`,
    displayName,
    email: claims.email ?? null,
    role: teacher ? 'instructor' : 'learner',
  });
  if (existing === undefined) deps.mappings.linkAccount(platform.id, claims.sub, user.id);
  // The LMS says who teaches: a learner account that now launches as an instructor is
  // raised; an account is never lowered here (that stays an admin's act).
  if (teacher && user.role === 'learner') user = deps.db.users.setRole(user.id, 'instructor');
  return user;
}

/** The class of the launch's context, made on first launch. */
export function contextClass(deps: ProvisionDeps, platform: Platform, deploymentId: string, claims: LaunchClaims, user: User): number {
  const context = claims[CLAIM.context];
  // A launch outside any course (rare) gets one class for the whole deployment.
  const contextId = context?.id ?? `deployment:${deploymentId}`;
  const found = deps.mappings.classOf(platform.id, deploymentId, contextId);
  const teacher = user.role !== 'learner';
  if (found !== undefined) {
    const klass = deps.db.classes.select(found);
    if (teacher && klass.ownerUserId !== user.id && isPlatformAccount(deps, klass.ownerUserId)) deps.mappings.setClassOwner(found, user.id);
    return found;
  }
  const owner = teacher ? user : platformAccount(deps, platform);
  const name = (context?.title ?? context?.label ?? `${platform.name} course`).slice(0, 100) || `${platform.name} course`;
  const { class: made } = deps.db.classes.create({ name, ownerUserId: owner.id, exerciseIds: [] });
  // Members come from the LMS, not a join link: close it.
  deps.db.classes.update(made.id, { joinOpen: false });
  deps.mappings.linkContext(platform.id, deploymentId, contextId, made.id);
  return made.id;
}

/** A resource-link launch: account, class, exercise, and where to land. */
export function provisionResourceLaunch(deps: ProvisionDeps, platform: Platform, deploymentId: string, claims: ResourceLinkClaims): Landing {
  return deps.db.transaction(() => {
    const user = launchingUser(deps, platform, claims);
    const classId = contextClass(deps, platform, deploymentId, claims, user);
    const key = { platformId: platform.id, deploymentId, resourceLinkId: claims[CLAIM.resourceLink].id };
    const exerciseId = deps.mappings.link(key)?.exerciseId ?? exerciseNamed(deps.catalog, claims);
    const ags = claims[CLAIM.ags];
    const graded = ags?.lineitem !== undefined && ags.scope.includes(AGS_SCOPE.score);
    const link = deps.mappings.saveLink({ ...key, classId, exerciseId, lineitemUrl: graded ? ags.lineitem! : null, agsScopes: ags?.scope ?? [] });
    const klass = deps.db.classes.select(classId);
    if (!klass.exerciseIds.includes(exerciseId)) deps.db.classes.update(classId, { exerciseIds: [...klass.exerciseIds, exerciseId] });
    const teacher = user.role !== 'learner';
    if (!teacher) deps.db.classes.addMember(classId, user.id);
    deps.db.audit.record({ actorUserId: user.id, action: 'lti.launch', target: `class:${classId}`, details: { platformId: platform.id, exerciseId } });
    return { user, classId, teacher, link, targetPath: teacher ? `/instructor/classes/${classId}` : `/exercises/${encodeURIComponent(exerciseId)}` };
  });
}

/**
 * The exercise a launch names: the `exercise` custom parameter (what our deep-linking
 * items carry), else a target link URI ending in /exercises/<id> or ?exercise=<id>.
 */
export function exerciseNamed(catalog: Catalog, claims: ResourceLinkClaims): string {
  const custom = claims[CLAIM.custom]?.exercise;
  const target = new URL(claims[CLAIM.targetLinkUri]);
  const fromPath = /\/exercises\/([^/]+)\/?$/.exec(target.pathname)?.[1];
  const named = typeof custom === 'string' ? custom : (target.searchParams.get('exercise') ?? (fromPath && decodeURIComponent(fromPath)));
  if (!named) throw new LaunchError('exercise', 'the link names no exercise: add the custom parameter exercise=<id>, or re-add it through deep linking');
  if (!catalog.byId(named)) throw new LaunchError('exercise', `the link names exercise ${JSON.stringify(named)}, which this kubelab does not have`);
  return named;
}

function displayNameOf(claims: LaunchClaims): string {
  const full = claims.name ?? [claims.given_name, claims.family_name].filter(Boolean).join(' ');
  const clean = full.replace(/[\p{Cc}\p{Cf}]/gu, '').trim().slice(0, 80);
  return clean || `LMS user ${claims.sub.slice(0, 8)}`;
}

const PLATFORM_ACCOUNT = /^lti-platform:\d+$/;

function platformAccount(deps: ProvisionDeps, platform: Platform): User {
  return deps.db.users.upsertByExternalKey({ externalKey: `lti-platform:${platform.id}`, displayName: `${platform.name} (LMS)`, role: 'instructor' });
}

function isPlatformAccount(deps: ProvisionDeps, userId: number): boolean {
  return PLATFORM_ACCOUNT.test(deps.db.users.select(userId).externalKey);
}
