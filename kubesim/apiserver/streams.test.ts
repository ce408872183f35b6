import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_TOKEN, at, startHarness, type Harness } from './testing/harness.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => {
  await h.close();
  expect(h.errors).toEqual([]);
});

/** Send an upgrade request and return the non-101 answer the server gives. */
function upgrade(path: string, method: 'GET' | 'POST', protocol: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${TEST_TOKEN}`, connection: 'Upgrade', upgrade: protocol };
    if (protocol === 'websocket') {
      Object.assign(headers, { 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13', 'sec-websocket-protocol': 'v5.channel.k8s.io' });
    }
    const req = request(h.url + path, { method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    });
    req.on('upgrade', () => reject(new Error('unexpected upgrade')));
    req.on('error', reject);
    req.end();
  });
}

describe('exec', () => {
  it('answers a WebSocket exec for a missing Pod with a 404 Status, not a hang', async () => {
    const r = await upgrade('/api/v1/namespaces/default/pods/ghost/exec?command=ls&stdout=true', 'GET', 'websocket');
    expect(r.status).toBe(404);
    expect(at(r.body, 'message')).toBe('pods "ghost" not found');
  });

  it('refuses SPDY with an explanation and plain GET with "Upgrade request required"', async () => {
    await h.call('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const spdy = await upgrade('/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true', 'POST', 'SPDY/3.1');
    expect(spdy.status).toBe(400);
    expect(at(spdy.body, 'message')).toContain('only over WebSockets');
    const plain = await h.call('GET', '/api/v1/namespaces/default/pods/p/exec?command=ls');
    expect(plain.status).toBe(400);
    expect(at(plain.body, 'message')).toBe('Upgrade request required');
  });
});

describe('other subresources', () => {
  it('binds a Pod to a node once, and evicts it', async () => {
    await h.call('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const bind = await h.call('POST', '/api/v1/namespaces/default/pods/p/binding', { target: { kind: 'Node', name: 'n1' } });
    expect(bind.status).toBe(201);
    expect(at((await h.call('GET', '/api/v1/namespaces/default/pods/p')).body, 'spec.nodeName')).toBe('n1');
    expect((await h.call('POST', '/api/v1/namespaces/default/pods/p/binding', { target: { kind: 'Node', name: 'n2' } })).status).toBe(409);
    const evict = await h.call('POST', '/api/v1/namespaces/default/pods/p/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p' }, deleteOptions: { gracePeriodSeconds: 0 } });
    expect(evict.status).toBe(201);
    expect((await h.call('GET', '/api/v1/namespaces/default/pods/p')).status).toBe(404);
  });

  it('deletes a collection by label selector', async () => {
    for (const [n, tier] of [['a', 'x'], ['b', 'y'], ['c', 'x']] as const) {
      await h.call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: n, labels: { tier } } });
    }
    const r = await h.call('DELETE', '/api/v1/namespaces/default/configmaps?labelSelector=tier%3Dx');
    expect(r.status).toBe(200);
    const left = (await h.call('GET', '/api/v1/namespaces/default/configmaps')).body;
    expect((at(left, 'items') as { metadata: { name: string } }[]).map((i) => i.metadata.name)).toEqual(['b']);
  });

  it('answers self-subject reviews without storing them', async () => {
    const r = await h.call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    expect(r.status).toBe(201);
    expect(at(r.body, 'status.userInfo')).toEqual({ username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
  });
});
