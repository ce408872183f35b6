// `kubelab serve` as a real process: it comes up on a free port, serves the API,
// and exits 0 on SIGTERM after closing cleanly.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { z } from 'zod';
import { startServe } from '../helpers/serve.ts';
import { BIN, cleanEnv, REPO } from './run.ts';


const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('kubelab serve', () => {
  it('listens, answers, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kubelab-serve-'));
    temps.push(dataDir);
    const { child, url, lines } = await startServe({ KUBELAB_DATA_DIR: dataDir });

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
      // Found out before anything changed state: no database, no cluster was started.
      expect(existsSync(path.join(dataDir, 'kubelab.db'))).toBe(false);
      expect(existsSync(path.join(dataDir, 'embedded-cluster.db'))).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
