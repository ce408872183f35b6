// A log line before the app (and its logger, pino under Fastify) exists: the same
// JSON shape pino writes, so whoever reads the log (tests, log shippers) sees one format.
import { hostname } from 'node:os';
import type { LogLevel } from '../../config/config.ts';

/** The levels at which pino prints `info` (30) lines. */
const PRINTS_INFO: readonly LogLevel[] = ['info', 'debug', 'trace'];

/** The pino-shaped line for an info message, or undefined when `level` hides info. */
export function infoLine(level: LogLevel, msg: string, now: () => number = Date.now): string | undefined {
  if (!PRINTS_INFO.includes(level)) return undefined;
  return `${JSON.stringify({ level: 30, time: now(), pid: process.pid, hostname: hostname(), msg })}\n`;
}
