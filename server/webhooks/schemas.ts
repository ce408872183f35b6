// Request and response schemas of /api/v1/webhooks: validation, serialization and the
// OpenAPI document from one source. A secret appears in exactly two answers: create
// and rotate-secret.
import { z } from 'zod';
import { EVENT_TYPES, EventType } from './events.ts';
import type { WebhookDelivery, WebhookDeliveryAttempt, WebhookEndpoint } from './store.ts';

const positiveId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const webhookUrl = z
  .string()
  .max(2000)
  .refine((v) => URL.canParse(v), 'expected an absolute URL')
  .refine((v) => !URL.canParse(v) || ['http:', 'https:'].includes(new URL(v).protocol), 'expected an http or https URL')
  .refine((v) => !URL.canParse(v) || (new URL(v).username === '' && new URL(v).password === ''), 'a URL must not carry a user name or password: put credentials in the receiver’s signature check');

const eventTypes = z
  .array(EventType)
  .min(1)
  .max(EVENT_TYPES.length)
  .refine((v) => new Set(v).size === v.length, 'list each event type once')
  .describe(`any of ${EVENT_TYPES.join(', ')}`);

export const WebhookParams = z.strictObject({ webhookId: positiveId });
export const DeliveryParams = z.strictObject({ webhookId: positiveId, deliveryId: positiveId });

export const CreateWebhookBody = z.strictObject({
  url: webhookUrl,
  description: z.string().trim().max(200).optional(),
  /** null or absent: server-wide (admins only). */
  classId: positiveId.nullable().optional(),
  events: eventTypes,
});

export const UpdateWebhookBody = z
  .strictObject({
    url: webhookUrl.optional(),
    description: z.string().trim().max(200).optional(),
    events: eventTypes.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'say what to change: url, description, events or enabled' });

export const RotateSecretBody = z
  .strictObject({
    /** How long the old secret keeps signing beside the new one; default a day, 0 ends it now. */
    previousSecretValidMinutes: z.number().int().min(0).max(7 * 24 * 60).optional(),
  })
  // A POST without a body arrives as null: rotate with the defaults.
  .nullish();

export const DeliveryListQuery = z.strictObject({
  cursor: z.string().regex(/^[0-9]{1,15}$/, 'expected the nextCursor of the previous page').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const WebhookView = z.object({
  id: z.number().int(),
  url: z.string(),
  description: z.string(),
  classId: z.number().int().nullable(),
  events: z.array(EventType),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  previousSecretValidUntil: z.iso.datetime().nullable().describe('while set, each delivery carries a signature under the old secret too'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export function webhookView(e: WebhookEndpoint, now: number): z.infer<typeof WebhookView> {
  const previousLive = e.previousSecretSealed !== null && e.previousSecretExpiresAt !== null && e.previousSecretExpiresAt > now;
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    classId: e.classId,
    events: [...e.eventTypes],
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    previousSecretValidUntil: previousLive ? iso(e.previousSecretExpiresAt) : null,
    createdAt: new Date(e.createdAt).toISOString(),
    updatedAt: new Date(e.updatedAt).toISOString(),
  };
}

export const WebhookResponse = z.object({ webhook: WebhookView });
export const WebhookListResponse = z.object({ webhooks: z.array(WebhookView) });
export const WebhookSecretResponse = z.object({
  webhook: WebhookView,
  secret: z.string().describe('whsec_…: shown this once; verify signatures with it (Standard Webhooks)'),
});

export const DeliveryAttemptView = z.object({
  attempt: z.number().int(),
  at: z.iso.datetime(),
  durationMs: z.number().int(),
  responseStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  outcome: z.enum(['delivered', 'retry', 'failed', 'gone']),
});

export const DeliveryView = z.object({
  id: z.number().int(),
  messageId: z.string().describe('the webhook-id header: the same on every retry'),
  event: EventType,
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  payload: z.unknown().describe('the body sent: {type, timestamp, data}'),
  log: z.array(DeliveryAttemptView),
});

export function deliveryView(d: WebhookDelivery, attempts: readonly WebhookDeliveryAttempt[]): z.infer<typeof DeliveryView> {
  return {
    id: d.id,
    messageId: d.messageId,
    event: d.eventType,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    createdAt: new Date(d.createdAt).toISOString(),
    payload: JSON.parse(d.body) as unknown,
    log: attempts.map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
  };
}

export const DeliveryListResponse = z.object({
  deliveries: z.array(DeliveryView),
  nextCursor: z.string().nullable().describe('pass as ?cursor= for the next page; null on the last one'),
});
export const DeliveryResponse = z.object({ delivery: DeliveryView });
