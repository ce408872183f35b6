import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectCluster } from '../../server/cluster/connect.ts';
import { NotFoundError } from '../../server/cluster/errors.ts';
import { KubeconfigError } from '../../server/cluster/kubeconfig.ts';

describe('connectCluster', () => {
  it('embedded mode starts kubesim and talks to it over its admin kubeconfig; kubeconfig mode reads a file', async () => {
    const embedded = await connectCluster({ mode: 'embedded' });
    const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-connect-'));
    try {
      expect(embedded.mode).toBe('embedded');
      const names = (await embedded.client.list({ apiVersion: 'v1', kind: 'Namespace' })).map((n) => n.metadata.name);
      expect(names).toContain('kube-system');

      const file = path.join(dir, 'admin.kubeconfig');
      writeFileSync(file, embedded.kubeconfig);
      const viaFile = await connectCluster({ mode: 'kubeconfig', kubeconfig: file });
      expect(viaFile.client.server.url).toBe(embedded.client.server.url);
      const err = await viaFile.client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'nope' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotFoundError);
      expect((err as Error).message).toBe('namespaces "nope" not found');
      await viaFile.close();
    } finally {
      await embedded.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing or malformed kubeconfig file stops with a message naming it', async () => {
    await expect(connectCluster({ mode: 'kubeconfig', kubeconfig: '/nonexistent/kubeconfig' })).rejects.toThrow(/KUBECONFIG: cannot read \/nonexistent\/kubeconfig: ENOENT/);
    const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-connect-'));
    try {
      const file = path.join(dir, 'bad');
      writeFileSync(file, 'apiVersion: v1\nclusters: []\n');
      const err = await connectCluster({ mode: 'kubeconfig', kubeconfig: file }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KubeconfigError);
      expect((err as Error).message).toMatch(/bad: clusters: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
