import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { kubeConfigFromString, parseKubeconfig } from '../../server/cluster/kubeconfig.ts';
import { parseKubeconfigAsync } from '../../server/cluster/kubeconfig-schema.ts';
import { learnerKubeconfig } from '../../server/environments/learner-kubeconfig.ts';

const good = {
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'Q0E=' } }],
  users: [{ name: 'u', user: { token: 'abc' } }],
  contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u', namespace: 'ns' } }],
  'current-context': 'ctx',
};

describe('kubeconfig parsing', () => {
  it('accepts a complete kubeconfig and loads it into client-node', () => {
    const kc = kubeConfigFromString(JSON.stringify(good));
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
  });

  it.each([
    ['not YAML', ': : :\n\t-', /not valid YAML/],
    ['no clusters', JSON.stringify({ ...good, clusters: [] }), /clusters: /],
    ['bad server', JSON.stringify({ ...good, clusters: [{ name: 'c', cluster: { server: 'ftp://x' } }] }), /clusters\[0\]\.cluster\.server/],
    ['unknown current context', JSON.stringify({ ...good, 'current-context': 'nope' }), /current-context: no context named "nope"/],
    ['context naming a missing user', JSON.stringify({ ...good, contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'x' } }] }), /contexts\[0\]\.context\.user/],
    // Block YAML, read by the fast path (kubeconfig-yaml.ts) rather than by yaml.
    ['bad server, in block YAML', stringify({ ...good, clusters: [{ name: 'c', cluster: { server: 'ftp://x' } }] }), /clusters\[0\]\.cluster\.server/],
  ])('refuses %s naming the field', async (_name, text, message) => {
    expect(() => parseKubeconfig(text, 'test.kubeconfig')).toThrow(message);
    // `kubelab grade`'s reader: the same message.
    let syncMessage = '';
    try {
      parseKubeconfig(text, 'test.kubeconfig');
    } catch (error) {
      syncMessage = (error as Error).message;
    }
    expect(syncMessage).toMatch(message);
    await expect(parseKubeconfigAsync(text, 'test.kubeconfig')).rejects.toThrow(syncMessage);
  });

  it.each([
    ['block YAML (the fast path)', stringify(good)],
    ['flow YAML (yaml itself)', JSON.stringify(good)],
  ])('reads %s the same synchronously and asynchronously', async (_name, text) => {
    expect(parseKubeconfig(text)).toEqual(good);
    expect(await parseKubeconfigAsync(text)).toEqual(good);
  });

  it('builds learner kubeconfigs that parse back, with namespace and CA', () => {
    const yaml = learnerKubeconfig({ server: { url: 'https://h:6443', caData: 'Q0E=' }, namespace: 'kl-x-1', token: 'tok"\nen' });
    const doc = parseKubeconfig(yaml);
    expect(doc.contexts[0]?.context.namespace).toBe('kl-x-1');
    expect(doc.users[0]?.user.token).toBe('tok"\nen');
    expect(parse(yaml).clusters[0].cluster['certificate-authority-data']).toBe('Q0E=');
  });
});
