// Any JSON value: the evidence a check records. The graders own it; server/db stores it.
// zod/mini (see zod-mini.ts): server/cli's argument parsing reaches this through server/db, and
// the one-shot commands start faster without classic zod.
import * as z from './zod-mini.ts';

export const JsonValue = z.json();
export type JsonValue = z.infer<typeof JsonValue>;
