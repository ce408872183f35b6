// One embedded cluster per test file, driven only through the real kubectl: each test
// gets a fresh namespace, applies lesson fixtures into it and waits as a learner would.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, expect } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';

export interface Result { exitCode: number; stdout: string; stderr: string }
/** Real kubectl with a private kubeconfig and discovery cache; output kept byte for byte (no final-newline stripping). */
export type Kubectl = (...args: string[]) => Promise<Result>;

function kubectlFor(kubeconfig: string): Kubectl {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-lessons-'));
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, kubeconfig, { mode: 0o600 });
  const base = ['--kubeconfig', file, '--cache-dir', join(dir, 'cache')];
  return async (...args) => {
    const r = await execa('kubectl', [...base, ...args], { reject: false, stripFinalNewline: false, timeout: 60_000 });
    return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
}

export interface Lab {
  k: Kubectl;
  cluster: RunningCluster;
  /** A new namespace with these fixtures applied (file names under fixtures/). */
  namespace(...fixtures: string[]): Promise<Ns>;
}

export interface Ns {
  name: string;
  /** kubectl -n <ns> … */
  k(...args: string[]): Promise<Result>;
  /** kubectl -n <ns> exec <pod> -- argv (exit code and both streams kept). */
  exec(pod: string, ...argv: string[]): Promise<Result>;
  rollout(kindName: string): Promise<void>;
  ready(...pods: string[]): Promise<void>;
  ip(kind: 'svc' | 'pod', name: string): Promise<string>;
  podNames(selector: string): Promise<string[]>;
}

export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

export function useLab(seed: number): Lab {
  let count = 0;
  const lab = { namespace } as Lab;
  beforeAll(async () => {
    lab.cluster = await startCluster({ seed });
    lab.k = kubectlFor(lab.cluster.kubeconfig);
  });
  afterAll(async () => {
    await lab.cluster?.close();
  });

  async function namespace(...fixtures: string[]): Promise<Ns> {
    const name = `lesson-${++count}`;
    expect((await lab.k('create', 'namespace', name)).exitCode).toBe(0);
    const k = (...args: string[]) => lab.k('-n', name, ...args);
    const ok = async (...args: string[]) => {
      const r = await k(...args);

      expect(r.exitCode, args.join(' ')).toBe(0);
      return r;
    };
    for (const f of fixtures) await ok('apply', '-f', fixture(f));
    return {
      name,
      k,
      exec: (pod, ...argv) => k('exec', pod, '--', ...argv),
      rollout: async (kindName) => { await ok('rollout', 'status', kindName, '--timeout=60s'); },
      ready: async (...pods) => { await ok('wait', '--for=condition=Ready', '--timeout=60s', ...pods.map((p) => `pod/${p}`)); },
      ip: async (kind, n) => (await ok('get', kind, n, '-o', `jsonpath={${kind === 'svc' ? '.spec.clusterIP' : '.status.podIP'}}`)).stdout,
      podNames: async (selector) => (await ok('get', 'pods', '-l', selector, '-o', 'jsonpath={.items[*].metadata.name}')).stdout.split(' ').filter(Boolean).sort(),
    };
  }
  return lab;
}
