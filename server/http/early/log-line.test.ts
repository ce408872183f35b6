import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { infoLine } from './log-line.ts';

describe('infoLine', () => {
  it("is pino's JSON line for an info message", () => {
    const line = infoLine('info', 'kubelab listening on http://127.0.0.1:1', () => 1234);
    expect(line?.endsWith('\n')).toBe(true);
    expect(JSON.parse(line!)).toEqual({ level: 30, time: 1234, pid: process.pid, hostname: hostname(), msg: 'kubelab listening on http://127.0.0.1:1' });
    expect(infoLine('debug', 'x')).toBeDefined();
  });

  it('is nothing at a level that hides info', () => {
    for (const level of ['warn', 'error', 'fatal', 'silent'] as const) expect(infoLine(level, 'x')).toBeUndefined();
  });
});
