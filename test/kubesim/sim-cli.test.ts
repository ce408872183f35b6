// `kubelab sim` as a user runs it: one ready line, a 0600 kubeconfig kubectl can
// use, and a clean exit 0 on SIGTERM.

import { mkdtempSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

describe('kubelab sim', () => {
  it('serves until SIGTERM and writes a private kubeconfig', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubesim-cli-'));
    const file = join(dir, 'kubeconfig');
    const proc = execa('node', ['bin/kubelab.cjs', 'sim', '--port', '0', '--kubeconfig-out', file, '--seed', '3'], { reject: false });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      proc.then((r) => reject(new Error(`sim exited early: ${String(r.stderr)}`)), reject);
    });
    expect(line).toMatch(new RegExp(`^kubesim ready at https://127\\.0\\.0\\.1:\\d+ \\(kubeconfig: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\)$`));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const ns = await execa('kubectl', ['--kubeconfig', file, '--cache-dir', join(dir, 'cache'), 'get', 'ns', 'default', '-o', 'name'], { reject: false });
    expect(ns.stdout).toBe('namespace/default');
    proc.kill('SIGTERM');
    const result = await proc;
    expect(result.exitCode).toBe(0);
  });

  it('--state-file: a second sim on the same file is refused with one sentence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubesim-cli-'));
    const state = join(dir, 'state.db');
    const first = execa('node', ['bin/kubelab.cjs', 'sim', '--port', '0', '--kubeconfig-out', join(dir, 'a'), '--state-file', state], { reject: false });
    await new Promise<void>((resolve, reject) => {
      first.stdout?.on('data', (c: Buffer) => { if (c.toString().includes('kubesim ready at')) resolve(); });
      first.then((r) => reject(new Error(`sim exited early: ${String(r.stderr)}`)), reject);
    });
    const second = await execa('node', ['bin/kubelab.cjs', 'sim', '--port', '0', '--kubeconfig-out', join(dir, 'b'), '--state-file', state], { reject: false });
    expect([second.exitCode, second.stderr]).toEqual([1, `kubelab sim: the embedded cluster's state file ${state} is in use by another process`]);
    first.kill('SIGTERM');
    expect((await first).exitCode).toBe(0);
  });

  it('a busy port is one clear line and exit 1, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubesim-cli-'));
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    try {
      const r = await execa('node', ['bin/kubelab.cjs', 'sim', '--port', String(address.port), '--kubeconfig-out', join(dir, 'kc')], { reject: false });
      expect([r.exitCode, r.stderr]).toEqual([1, `kubelab sim: cannot listen on 127.0.0.1:${address.port}: the port is in use (choose another with --port, or --port 0 for any free one)`]);
      expect(r.stdout).toBe('');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('an unwritable --kubeconfig-out is one clear line and exit 1, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubesim-cli-'));
    const file = join(dir, 'no-such-dir', 'kc');
    const r = await execa('node', ['bin/kubelab.cjs', 'sim', '--port', '0', '--kubeconfig-out', file], { reject: false });
    expect([r.exitCode, r.stderr]).toEqual([1, `kubelab sim: cannot write --kubeconfig-out ${file}: its directory does not exist`]);
    expect(r.stdout).toBe('');
  });

  it('refuses bad arguments with usage and exit 2', async () => {
    const r = await execa('node', ['bin/kubelab.cjs', 'sim', '--port', 'abc'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('usage: kubelab sim');
  });
});
