// The LTI 1.3 id_token claims kubelab reads, as zod schemas: a launch whose token
// lacks one is refused with the claim's name. Claim URIs from the IMS specs:
// https://www.imsglobal.org/spec/lti/v1p3#required-message-claims
import { z } from 'zod';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
export const CLAIM = {
  messageType: `${LTI}message_type`,
  version: `${LTI}version`,
  deploymentId: `${LTI}deployment_id`,
  targetLinkUri: `${LTI}target_link_uri`,
  resourceLink: `${LTI}resource_link`,
  roles: `${LTI}roles`,
  context: `${LTI}context`,
  custom: `${LTI}custom`,
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  deepLinkingContentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  deepLinkingData: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
} as const;

export const AGS_SCOPE = {
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
} as const;
export const NRPS_SCOPE = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';

const id = z.string().min(1).max(1000);
const url = z.url({ protocol: /^https?$/ }).max(2000);

const Common = z.object({
  sub: id,
  name: z.string().max(200).optional(),
  given_name: z.string().max(200).optional(),
  family_name: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
  [CLAIM.version]: z.literal('1.3.0', { error: 'expected version "1.3.0"' }),
  [CLAIM.deploymentId]: id,
  [CLAIM.roles]: z.array(z.string().max(500)).max(100),
  [CLAIM.context]: z.object({ id, title: z.string().max(500).optional(), label: z.string().max(500).optional() }).loose().optional(),
  [CLAIM.custom]: z.record(z.string(), z.unknown()).optional(),
  [CLAIM.nrps]: z.object({ context_memberships_url: url, service_versions: z.array(z.string()).optional() }).loose().optional(),
});

export const ResourceLinkClaims = Common.extend({
  [CLAIM.messageType]: z.literal('LtiResourceLinkRequest'),
  [CLAIM.targetLinkUri]: url,
  [CLAIM.resourceLink]: z.object({ id, title: z.string().max(500).optional() }).loose(),
  [CLAIM.ags]: z.object({ scope: z.array(z.string()).max(20), lineitem: url.optional(), lineitems: url.optional() }).loose().optional(),
});
export type ResourceLinkClaims = z.infer<typeof ResourceLinkClaims>;

export const DeepLinkingClaims = Common.extend({
  [CLAIM.messageType]: z.literal('LtiDeepLinkingRequest'),
  [CLAIM.deepLinkingSettings]: z
    .object({
      deep_link_return_url: url,
      accept_types: z.array(z.string()).refine((t) => t.includes('ltiResourceLink'), 'the platform must accept ltiResourceLink items'),
      data: z.string().max(4000).optional(),
    })
    .loose(),
});
export type DeepLinkingClaims = z.infer<typeof DeepLinkingClaims>;

export const LaunchClaims = z.discriminatedUnion(CLAIM.messageType, [ResourceLinkClaims, DeepLinkingClaims], {
  error: 'expected message_type LtiResourceLinkRequest or LtiDeepLinkingRequest',
});
export type LaunchClaims = z.infer<typeof LaunchClaims>;

// Roles that teach: https://www.imsglobal.org/spec/lti/v1p3#role-vocabularies
const TEACHING = [
  /\/membership#(?:Instructor|Administrator|ContentDeveloper)$/,
  /\/membership\/Instructor#\w+$/,
  /\/institution\/person#(?:Instructor|Administrator)$/,
  /^(?:Instructor|Administrator|ContentDeveloper)$/,
];

/** Whether the launch's roles make the user someone who teaches the course. */
export function teaches(roles: readonly string[]): boolean {
  return roles.some((r) => TEACHING.some((pattern) => pattern.test(r)));
}

/** A claim's short name for error messages (`…/claim/roles` → `roles`). */
export function claimName(key: PropertyKey): string {
  const s = String(key);
  return s.includes('/') ? s.slice(s.lastIndexOf('/') + 1) : s;
}
