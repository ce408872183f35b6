// The event types a webhook endpoint can subscribe to, and the envelope every one is
// sent in: `{type, timestamp, data}` as Standard Webhooks recommends.
import { z } from 'zod';

export const EVENT_TYPES = ['attempt.completed', 'exercise.passed', 'environment.expired'] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

export interface WebhookEvent {
  readonly type: EventType;
  /** When it happened (epoch ms). */
  readonly at: number;
  /** Whose work it concerns: picks the class endpoints that hear of it. */
  readonly userId: number;
  readonly exerciseId: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The exact bytes sent, kept in the outbox so every retry carries the same body. */
export function envelope(event: WebhookEvent): string {
  return JSON.stringify({ type: event.type, timestamp: new Date(event.at).toISOString(), data: event.data });
}
