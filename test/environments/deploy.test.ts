// No Docker engine in CI: check the deploy files' essentials by parsing them.
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../server/config/config.ts';
import { parse } from 'yaml';
import { z } from 'zod';

const root = new URL('../../', import.meta.url);
const read = (rel: string) => readFileSync(new URL(rel, root), 'utf8');

describe('deploy files', () => {
  it('kind cluster: one control-plane and two workers', () => {
    const cfg = z
      .object({ kind: z.literal('Cluster'), apiVersion: z.literal('kind.x-k8s.io/v1alpha4'), nodes: z.array(z.object({ role: z.string() })) })
      .parse(parse(read('deploy/kind/cluster.yaml')));
    expect(cfg.nodes.map((n) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
  });

  it('create-cluster.sh is valid bash with strict mode, and preloads catalog images', async () => {
    const script = read('deploy/kind/create-cluster.sh');
    expect(script).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(script).toContain('set -euo pipefail');
    expect(script).toContain('kind load docker-image');
    expect(script).toContain('--internal');
    await execa('bash', ['-n', new URL('deploy/kind/create-cluster.sh', root).pathname]);
  });

  it('docker-compose joins the external kind network with the internal kubeconfig and a data volume', () => {
    const compose = z
      .object({
        services: z.object({
          kubelab: z.object({
            ports: z.array(z.string()),
            environment: z.record(z.string(), z.string()),
            volumes: z.array(z.string()),
            networks: z.array(z.string()),
          }),
        }),
        networks: z.object({ kind: z.object({ external: z.literal(true) }) }),
        volumes: z.record(z.string(), z.unknown()),
      })
      .parse(parse(read('docker-compose.yml')));
    const svc = compose.services.kubelab;
    expect(svc.ports).toContain('8080:8080');
    expect(svc.networks).toEqual(['kind']);
    expect(svc.environment).toMatchObject({ KUBELAB_CLUSTER: 'kubeconfig', KUBECONFIG: '/etc/kubelab/kubeconfig', HOST: '0.0.0.0' });
    // Learner kubeconfigs name the host-side API address; the variable is one the config knows.
    expect(svc.environment).toHaveProperty('KUBELAB_LEARNER_API_SERVER');
    expect(CONFIG_VARIABLES).toEqual(expect.arrayContaining(Object.keys(svc.environment as object)));
    expect(svc.volumes).toContain('./deploy/kind/kubeconfig.internal:/etc/kubelab/kubeconfig:ro');
    const dataVolume = svc.volumes.find((v) => v.endsWith(`:${svc.environment['KUBELAB_DATA_DIR']}`));
    expect(dataVolume && Object.keys(compose.volumes)).toContain(dataVolume?.split(':')[0]);
  });

  it('Dockerfile: multi-stage on node:22-bookworm-slim, npm ci, non-root, data volume, port 8080', () => {
    const df = read('Dockerfile');
    expect(df.match(/^FROM node:22-bookworm-slim AS \w+/gm)).toHaveLength(2);
    expect(df).toContain('RUN npm ci');
    expect(df).toMatch(/^USER kubelab$/m);
    expect(df).toMatch(/^VOLUME \["\/var\/lib\/kubelab"\]$/m);
    expect(df).toMatch(/^EXPOSE 8080$/m);
    expect(df).toMatch(/KUBELAB_CLUSTER=kubeconfig/);
    expect(df).toMatch(/HOST=0\.0\.0\.0/);
    // The health check calls the route the app really serves.
    expect(df).toMatch(/^HEALTHCHECK .*\/healthz/ms);
  });
});
