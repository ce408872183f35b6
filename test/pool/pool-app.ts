// A kubelab app over a pool of embedded clusters, started as `kubelab serve` starts one:
// KUBELAB_CLUSTERS names a pool file, startPlatform reads it (poolMembers) and connects every
// member. Each member is a real kubesim on its own port.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

export interface PoolMemberSpec {
  name: string;
  capacity: number;
  weight?: number;
}

export interface PoolApp extends TestApp {
  learner(name: string, role?: 'learner' | 'instructor' | 'admin'): { id: number; token: string };
}

export async function startPoolApp(members: readonly PoolMemberSpec[], env: Record<string, string> = {}, now?: () => number): Promise<PoolApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-pool-'));
  const file = path.join(dir, 'clusters.yaml');
  writeFileSync(file, JSON.stringify({ clusters: members.map((m) => ({ embedded: true, ...m })) }));
  let t: TestApp;
  try {
    t = await buildTestApp({ env: { KUBELAB_CLUSTERS: file, ...env }, ...(now ? { now } : {}) });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...t,
    learner: (name, role = 'learner') => {
      const user = t.db.users.create({ externalKey: `local:${name}`, displayName: name, role });
      return { id: user.id, token: t.db.tokens.createToken(user.id, 'test', []).plaintext };
    },
    close: async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const auth = (token: string) => ({ authorization: `Bearer ${token}` });
export const envUrl = (id: string, tail = '') => `/api/v1/exercises/${id}/environment${tail}`;
