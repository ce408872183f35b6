// `kubelab serve` as a real process: it comes up on a free port, serves the API,
// and exits 0 on SIGTERM after closing cleanly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { z } from 'zod';
import { BIN, cleanEnv, REPO } from './run.ts';

const LogLine = z.object({ msg: z.string() }).loose();
const READY = /^kubelab listening on (http:\/\/\S+)$/;

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('kubelab serve', () => {
  it('listens, answers, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kubelab-serve-'));
    temps.push(dataDir);
    const child = execa('node', [BIN, 'serve'], {
      cwd: REPO,
      env: cleanEnv({ PORT: '0', LOG_LEVEL: 'info', KUBELAB_DATA_DIR: dataDir }),
      extendEnv: false,
      reject: false,
    });
    const lines: string[] = [];

    // Event-driven: the URL arrives in the ready line; no polling, no sleeping.
    const url = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout });
      rl.on('line', (line) => {
        lines.push(line);
        const parsed = LogLine.safeParse(safeJson(line));
        const match = parsed.success ? READY.exec(parsed.data.msg) : null;
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      rl.on('close', () => reject(new Error(`serve ended before it was ready:\n${lines.join('\n')}`)));
    });

    const res = await fetch(`${url}/api/v1/exercises`);
    expect(res.status).toBe(200);
    const body = z.object({ exercises: z.array(z.object({ id: z.string() })) }).parse(await res.json());
    expect(body.exercises.map((e) => e.id)).toContain('clusterip-basics');

    child.kill('SIGTERM');
    const result = await child;
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(lines.filter((l) => l.includes('kubelab listening on'))).toHaveLength(1);
    expect(lines.join('\n')).toContain('kubelab shutting down');
  });
});

describe('kubelab serve on a busy port', () => {
  it('exits 1 with one sentence, no stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kubelab-serve-'));
    temps.push(dataDir);
    try {
      const result = await execa('node', [BIN, 'serve'], {
        cwd: REPO,
        env: cleanEnv({ PORT: String(address.port), KUBELAB_DATA_DIR: dataDir }),
        extendEnv: false,
        reject: false,
      });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(`kubelab: cannot listen on 127.0.0.1:${address.port}: the port is in use (set PORT)`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    return { notJson: String(error) };
  }
}
