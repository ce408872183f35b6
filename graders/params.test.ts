import { describe, expect, it } from 'vitest';
import { checkSchema } from './schema.ts';
import { CHECK_PARAMS, isCheckType, parseCheckParams, type CheckType } from './params.ts';

const probe = { probe: true };
const web = { kind: 'Deployment', name: 'web' };

// One valid example per type; the table doubles as documentation of the params.
const valid: { [K in CheckType]: unknown } = {
  resource: { kind: 'StatefulSet', name: 'db', match: { spec: { serviceName: 'db-headless' } } },
  service: { name: 'web', headless: false, ports: [{ port: 80, targetPort: 'http', name: 'http', protocol: 'TCP' }] },
  selector: { service: 'web', workload: web },
  'workload-ready': { kind: 'Deployment', name: 'web', replicas: 3 },
  endpoints: { service: 'web', ready: 3, notReady: 0, workload: web, ports: [{ port: 80 }] },
  dns: { from: { workload: web, container: 'nginx' }, name: 'web.{namespace}.svc.cluster.local', expect: { serviceIP: 'web' } },
  http: { from: probe, url: 'http://web:8080/metrics', expectBody: 'nginx', expectStatus: 200 },
  tcp: { from: { workload: web }, host: 'db', port: 5432 },
  affinity: { service: 'web' },
  'local-traffic': { service: 'web', port: 80, workload: web },
  'readiness-probe': { kind: 'Deployment', name: 'web' },
  script: { command: ['./check.sh', '--strict'], timeoutSeconds: 30 },
};

describe('CHECK_PARAMS', () => {
  it.each(Object.keys(valid).filter(isCheckType))('accepts a valid %s', (type) => {
    const result = parseCheckParams(type, valid[type]);
    expect(result.error?.issues).toBeUndefined();
  });

  it('fills affinity defaults', () => {
    expect(parseCheckParams('affinity', { service: 'web' }).data).toEqual({ service: 'web', requests: 10, clients: 2 });
  });

  it.each<[CheckType, unknown, string]>([
    ['service', { name: 'web', sessionAfinity: 'ClientIP' }, ''],
    ['service', { name: 'web', ports: [{ port: 70000 }] }, 'ports.0.port'],
    ['service', { name: 'Web' }, 'name'],
    ['workload-ready', { kind: 'DaemonSet', name: 'web' }, 'kind'],
    ['endpoints', { service: 'web' }, ''],
    ['dns', { from: { probe: false }, name: 'web', expect: { serviceIP: 'web' } }, 'from'],
    ['dns', { from: probe, name: 'web', expect: { nxdomain: true, serviceIP: 'web' } }, 'expect'],
    ['dns', { from: probe, name: 'web.{ns}.svc', expect: { nxdomain: true } }, 'name'],
    ['http', { from: probe, url: 'web-service' }, 'url'],
    ['tcp', { from: { workload: { kind: 'Deployment' } }, host: 'db', port: 5432 }, 'from'],
    ['affinity', { service: 'web', requests: 1 }, 'requests'],
    ['script', { command: [] }, 'command'],
    ['script', { command: 'run.sh' }, 'command'],
  ])('rejects invalid %s params %j at "%s"', (type, params, at) => {
    const result = parseCheckParams(type, params);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(at);
  });

  it('is covered by the exercise check schema, type for type', () => {
    const inSchema = checkSchema.options.map((o) => o.shape.type.value).sort();
    expect(inSchema).toEqual(Object.keys(CHECK_PARAMS).sort());
  });

  it('isCheckType knows only the declared types', () => {
    expect(isCheckType('http')).toBe(true);
    expect(isCheckType('toString')).toBe(false);
  });
});
