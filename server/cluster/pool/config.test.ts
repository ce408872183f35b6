// The pool file: what it accepts, and that every mistake names its field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/config.ts';
import { parsePoolConfig, PoolConfigError, poolMembers } from './config.ts';

const problem = (text: string): string => {
  try {
    parsePoolConfig(text, '/etc/kubelab');
  } catch (err) {
    expect(err).toBeInstanceOf(PoolConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the pool file to be refused');
};

describe('pool file', () => {
  it('reads YAML members: embedded or kubeconfig (+context), capacity, weight defaulting to 1', () => {
    const members = parsePoolConfig(
      ['clusters:', '  - { name: local, embedded: true, capacity: 100 }', '  - name: kind-2', '    kubeconfig: kube/two.yaml', '    context: kind-two', '    capacity: 200', '    weight: 2', '    learnerApiServer: https://k2.example.org:6443/'].join('\n'),
      '/etc/kubelab',
    );
    expect(members).toEqual([
      { name: 'local', connect: { mode: 'embedded' }, capacity: 100, weight: 1 },
      { name: 'kind-2', connect: { mode: 'kubeconfig', kubeconfig: '/etc/kubelab/kube/two.yaml', context: 'kind-two' }, capacity: 200, weight: 2, learnerApiServer: 'https://k2.example.org:6443' },
    ]);
  });

  it('names the field of every mistake', () => {
    expect(problem('clusters: []')).toBe('clusters: expected at least one cluster');
    expect(problem('clusters: [{ name: a, embedded: true, capacity: 0 }]')).toBe('clusters[0].capacity: expected at least 1');
    expect(problem('clusters: [{ name: a, embedded: true, capacity: "ten" }]')).toBe('clusters[0].capacity: expected a number');
    expect(problem('clusters: [{ name: A_1, embedded: true, capacity: 1 }]')).toContain('clusters[0].name: expected a DNS label');
    expect(problem('clusters: [{ name: a, capacity: 1 }]')).toBe('clusters[0].kubeconfig: give exactly one of `embedded: true` or `kubeconfig: <path>`');
    expect(problem('clusters: [{ name: a, embedded: true, kubeconfig: x, capacity: 1 }]')).toContain('clusters[0].kubeconfig: give exactly one');
    expect(problem('clusters: [{ name: a, embedded: true, context: x, capacity: 1 }]')).toBe('clusters[0].context: only meaningful with kubeconfig');
    expect(problem('clusters: [{ name: a, embedded: true, capacity: 1, weight: 0 }]')).toBe('clusters[0].weight: expected a number above 0');
    expect(problem('clusters: [{ name: a, embedded: true, capacity: 1 }, { name: a, embedded: true, capacity: 1 }]')).toBe('clusters[1].name: "a" is used by an earlier cluster');
    expect(problem('clusters: [{ name: a, embedded: true, capacity: 1, colour: red }]')).toContain('clusters[0]: Unrecognized key');
    expect(problem('clusters: [{ name: a, embedded: true, capacity: 1, learnerApiServer: "ftp://x" }]')).toBe('clusters[0].learnerApiServer: expected an http(s) URL');
    expect(problem('members: []')).toContain('clusters: expected a list of clusters');
    expect(problem('clusters: [')).toContain('not valid YAML or JSON');
  });
});

describe('KUBELAB_CLUSTERS and KUBELAB_WARM_ENVIRONMENTS in loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kubelab-poolcfg-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      poolMembers(loadConfig(env, { cwd: dir }));
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).problems.map((p) => `${p.variable}: ${p.message}`);
    }
    throw new Error('expected a ConfigError');
  };

  it('without the file the single cluster is a pool of one; with it, the pool is the file\'s members', () => {
    expect(loadConfig({}, { cwd: dir }).clustersFile).toBeUndefined();
    expect(poolMembers(loadConfig({ KUBELAB_MAX_ENVIRONMENTS: '7' }, { cwd: dir }))).toEqual([{ name: 'default', connect: { mode: 'embedded' }, capacity: 7, weight: 1 }]);
    writeFileSync(path.join(dir, 'pool.json'), JSON.stringify({ clusters: [{ name: 'one', embedded: true, capacity: 3 }] }));
    expect(poolMembers(loadConfig({ KUBELAB_CLUSTERS: 'pool.json' }, { cwd: dir }))).toEqual([{ name: 'one', connect: { mode: 'embedded' }, capacity: 3, weight: 1 }]);
  });

  it('reports a missing or bad pool file under KUBELAB_CLUSTERS, with the field', () => {
    expect(problemsOf({ KUBELAB_CLUSTERS: 'missing.yaml' })).toEqual([`KUBELAB_CLUSTERS: cannot read ${path.join(dir, 'missing.yaml')}: ENOENT`]);
    writeFileSync(path.join(dir, 'bad.yaml'), 'clusters: [{ name: a, embedded: true, capacity: -1 }]');
    expect(problemsOf({ KUBELAB_CLUSTERS: 'bad.yaml' })).toEqual(['KUBELAB_CLUSTERS: clusters[0].capacity: expected at least 1']);
  });

  it('reads warm counts per exercise and refuses anything else', () => {
    expect(loadConfig({ KUBELAB_WARM_ENVIRONMENTS: 'clusterip-basics=3, target-port=1' }, { cwd: dir }).warmEnvironments).toEqual({ 'clusterip-basics': 3, 'target-port': 1 });
    expect(problemsOf({ KUBELAB_WARM_ENVIRONMENTS: 'clusterip-basics=lots' })).toEqual(['KUBELAB_WARM_ENVIRONMENTS: expected exercise-id=count pairs separated by commas, got "clusterip-basics=lots"']);
  });
});
