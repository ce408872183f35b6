// The tool outputs graders read, as busybox 1.36, glibc getent, wget and curl print them.
import { describe, expect, it } from 'vitest';
import { firstMismatch } from '../../graders/checks/resource.ts';
import { labelDifferences } from '../../graders/checks/selector.ts';
import { parseCurl, parseWget } from '../../graders/net.ts';
import { parseGetentAhosts, parseNslookup } from '../../graders/parse/dns-output.ts';
import { parseLoop, servedBy } from '../../graders/requests.ts';
import { imageRepo } from '../../graders/sources.ts';

const HEAD = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';

describe('nslookup (busybox 1.36)', () => {
  it.each([
    ['search list: one NXDOMAIN, one answer', `${HEAD}** server can't find web.svc.cluster.local: NXDOMAIN\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.45.62\n\n`, { kind: 'addresses', addresses: ['10.96.45.62'] }],
    ['headless: every A record, as a sorted set', `${HEAD}Name:\tdb.ns.svc.cluster.local\nAddress: 10.244.2.9\nName:\tdb.ns.svc.cluster.local\nAddress: 10.244.1.3\n\n`, { kind: 'addresses', addresses: ['10.244.1.3', '10.244.2.9'] }],
    ['only NXDOMAIN', `${HEAD}** server can't find nope.ns.svc.cluster.local: NXDOMAIN\n\n`, { kind: 'nxdomain' }],
    ['the server line is not an answer', `${HEAD}`, { kind: 'addresses', addresses: [] }],
    ['unreachable DNS', ';; connection timed out; no servers could be reached\n\n', { kind: 'unreachable', detail: ';; connection timed out; no servers could be reached' }],
  ])('%s', (_name, stdout, expected) => {
    expect(parseNslookup(stdout)).toEqual(expected);
  });
});

describe('getent ahostsv4', () => {
  it.each([
    ['two addresses', '10.244.1.3      STREAM db.ns.svc.cluster.local\n10.244.1.3      DGRAM  \n10.244.1.3      RAW    \n10.244.2.9      STREAM \n10.244.2.9      DGRAM  \n', 0, { kind: 'addresses', addresses: ['10.244.1.3', '10.244.2.9'] }],
    ['not found', '', 2, { kind: 'nxdomain' }],
    ['other failure', '', 1, { kind: 'unreachable', detail: 'getent exited 1' }],
  ])('%s', (_name, stdout, code, expected) => {
    expect(parseGetentAhosts(stdout, code)).toEqual(expected);
  });
});

describe('wget and curl outcomes', () => {
  it.each([
    ['200 with body', { stdout: 'hi\n', stderr: '  HTTP/1.1 200 OK\n', exitCode: 0 }, { kind: 'response', status: 200, body: 'hi\n' }],
    ['404', { stdout: '', stderr: '  HTTP/1.1 404 Not Found\nwget: server returned error: HTTP/1.1 404 Not Found\n', exitCode: 1 }, { kind: 'response', status: 404, body: '' }],
    ['refused', { stdout: '', stderr: "wget: can't connect to remote host (10.96.45.62): Connection refused\n", exitCode: 1 }, { kind: 'refused', detail: "wget: can't connect to remote host (10.96.45.62): Connection refused" }],
    ['timeout', { stdout: '', stderr: 'wget: download timed out\n', exitCode: 1 }, { kind: 'timeout', detail: 'wget: download timed out' }],
    ['unresolved', { stdout: '', stderr: "wget: bad address 'web'\n", exitCode: 1 }, { kind: 'unresolved', detail: "wget: bad address 'web'" }],
  ])('wget: %s', (_name, result, expected) => {
    expect(parseWget(result)).toEqual(expected);
  });

  it.each([
    ['200', { stdout: 'page\n__kubelab_status__200', stderr: '', exitCode: 0 }, 'response'],
    ['refused (7)', { stdout: '\n__kubelab_status__000', stderr: 'curl: (7) Failed to connect', exitCode: 7 }, 'refused'],
    ['timeout (28)', { stdout: '', stderr: 'curl: (28) Connection timed out after 2000 milliseconds', exitCode: 28 }, 'timeout'],
    ['resolve (6)', { stdout: '', stderr: 'curl: (6) Could not resolve host: x', exitCode: 6 }, 'unresolved'],
    ['empty reply (52): connected, not HTTP', { stdout: '', stderr: 'curl: (52) Empty reply from server', exitCode: 52 }, 'no-http'],
  ])('curl: %s', (_name, result, kind) => {
    expect(parseCurl(result).kind).toBe(kind);
  });
});

describe('request loop', () => {
  it('splits one exec into one outcome per request, keeping failures', () => {
    const stdout = 'pod-a\n\n  HTTP/1.1 200 OK\n__kubelab_end__ 0\n\nwget: download timed out\n__kubelab_end__ 1\n';
    expect(parseLoop(stdout)).toEqual([
      { kind: 'response', status: 200, body: 'pod-a\n' },
      { kind: 'timeout', detail: 'wget: download timed out' },
    ]);
  });

  it.each([
    ['exact name', 'web-1\n', ['web-1', 'web-12'], 'web-1'],
    ['longest name inside text', 'served by web-12', ['web-1', 'web-12'], 'web-12'],
    ['no name', 'hello', ['web-1'], undefined],
  ])('servedBy: %s', (_name, body, names, expected) => {
    expect(servedBy(body, names)).toBe(expected);
  });
});

describe('subset match (resource)', () => {
  it.each([
    ['equal scalar', { spec: { serviceName: 'a' } }, { spec: { serviceName: 'a', replicas: 3 } }, undefined],
    ['different scalar', { spec: { serviceName: 'a' } }, { spec: { serviceName: 'b' } }, { path: 'spec.serviceName', expected: 'a', found: 'b' }],
    ['missing key', { spec: { x: 1 } }, { spec: {} }, { path: 'spec.x', expected: 1, found: undefined }],
    ['list element by element', { l: [{ a: 1 }] }, { l: [{ a: 1, b: 2 }, { a: 3 }] }, undefined],
    ['list too short', { l: [1, 2] }, { l: [1] }, { path: 'l', expected: [1, 2], found: [1] }],
  ])('%s', (_name, expected, actual, mismatch) => {
    expect(firstMismatch(expected, actual)).toEqual(mismatch);
  });
});

describe('label differences (selector)', () => {
  it.each([
    [{ tier: 'backend' }, { tier: 'back-end' }, ['the Pods have tier=back-end where the selector wants tier=backend']],
    [{ app: 'web', role: 'x' }, { app: 'web' }, ['the Pods have no label role (the selector wants role=x)']],
    [{ app: 'web' }, { app: 'web', tier: 'a' }, []],
  ])('%j vs %j', (selector, labels, expected) => {
    expect(labelDifferences(selector, labels)).toEqual(expected);
  });
});

describe('image repository', () => {
  it.each([
    ['nginx:1.28', 'nginx'],
    ['docker.io/library/busybox:1.36', 'busybox'],
    ['prom/node-exporter:v1.8.2', 'prom/node-exporter'],
    ['registry:5000/team/app@sha256:abc', 'registry:5000/team/app'],
  ])('%s → %s', (image, repo) => {
    expect(imageRepo(image)).toBe(repo);
  });
});
