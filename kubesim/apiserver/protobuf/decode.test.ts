import { describe, expect, it } from 'vitest';
import { StatusError } from '../../core/errors.ts';
import { decodeKubeProtobuf } from './decode.ts';

// A tiny protobuf writer for building test bodies the way client-go's gogo marshaller does.
const varint = (n: bigint): number[] => {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? b | 0x80 : b);
  } while (v);
  return out;
};
const bytesField = (num: number, data: Buffer | string): Buffer => {
  const b = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.from([...varint(BigInt((num << 3) | 2)), ...varint(BigInt(b.length)), ...b]);
};
const intField = (num: number, n: number): Buffer => Buffer.from([...varint(BigInt(num << 3)), ...varint(BigInt(n))]);
const msg = (...parts: Buffer[]): Buffer => Buffer.concat(parts);
const envelope = (apiVersion: string, kind: string, raw: Buffer): Buffer =>
  Buffer.concat([Buffer.from('k8s\0', 'binary'), bytesField(1, msg(bytesField(1, apiVersion), bytesField(2, kind))), bytesField(2, raw)]);

describe('protobuf request bodies', () => {
  it('decodes a Deployment as kubectl create deployment sends it', () => {
    const meta = msg(
      bytesField(1, 'web'), bytesField(2, ''), bytesField(3, ''),
      bytesField(8, msg(intField(1, -62135596800))), // zero creationTimestamp
      bytesField(11, msg(bytesField(1, 'app'), bytesField(2, 'web'))),
    );
    const container = msg(bytesField(1, 'nginx'), bytesField(2, 'nginx:1.27'),
      bytesField(6, msg(bytesField(1, ''), intField(3, 80), bytesField(4, 'TCP'))));
    const podSpec = msg(bytesField(2, container));
    const template = msg(bytesField(1, msg(bytesField(11, msg(bytesField(1, 'app'), bytesField(2, 'web'))))), bytesField(2, podSpec));
    const spec = msg(intField(1, 0), bytesField(2, msg(bytesField(1, msg(bytesField(1, 'app'), bytesField(2, 'web'))))), bytesField(3, template));
    const body = decodeKubeProtobuf(envelope('apps/v1', 'Deployment', msg(bytesField(1, meta), bytesField(2, spec))));
    expect(body).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } },
      },
    });
  });

  it('renders IntOrString, Secret bytes and inline structs as JSON does', () => {
    const port = msg(intField(3, 80), bytesField(4, msg(intField(1, 1), bytesField(3, 'http'))));
    const svc = decodeKubeProtobuf(envelope('v1', 'Service', msg(bytesField(1, msg(bytesField(1, 's'))), bytesField(2, msg(bytesField(1, port))))));
    expect(svc['spec']).toEqual({ ports: [{ port: 80, targetPort: 'http' }] });
    const secret = decodeKubeProtobuf(envelope('v1', 'Secret', msg(bytesField(1, msg(bytesField(1, 's'))), bytesField(2, msg(bytesField(1, 'p'), bytesField(2, 'q'))))));
    expect(secret['data']).toEqual({ p: 'cQ==' });
    const keyRef = msg(bytesField(1, msg(bytesField(1, 'cfg'))), bytesField(2, 'key'));
    const env = msg(bytesField(1, 'E'), bytesField(3, msg(bytesField(3, keyRef))));
    const pod = decodeKubeProtobuf(envelope('v1', 'Pod', msg(bytesField(2, msg(bytesField(2, msg(bytesField(1, 'c'), bytesField(7, env))))))));
    expect(pod['spec']).toEqual({ containers: [{ name: 'c', env: [{ name: 'E', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'key' } } }] }] });
  });

  it('answers 400 for bodies that are not Kubernetes protobuf', () => {
    expect(() => decodeKubeProtobuf(Buffer.from('{"kind":"Pod"}'))).toThrowError(StatusError);
    expect(() => decodeKubeProtobuf(envelope('v1', 'Widget', Buffer.alloc(0)))).toThrowError(/not served in protobuf/);
    expect(() => decodeKubeProtobuf(Buffer.concat([Buffer.from('k8s\0', 'binary'), Buffer.from([0x12, 0x7f])]))).toThrowError(/length out of range/);
  });
});
