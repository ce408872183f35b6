// Any JSON value: the evidence a check records. The graders own it; server/db stores it.
import { z } from 'zod';

export const JsonValue = z.json();
export type JsonValue = z.infer<typeof JsonValue>;
