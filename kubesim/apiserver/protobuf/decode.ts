// Request bodies in Kubernetes' protobuf encoding. kubectl's typed clients (create
// namespace/deployment/service/serviceaccount/token, auth can-i, ...) send
// `application/vnd.kubernetes.protobuf` and accept JSON answers, so the server
// must read protobuf but never needs to write it.
// Envelope: the 4 bytes "k8s\0", then a runtime.Unknown {typeMeta, raw}; raw is
// the object's message. Source: k8s.io/apimachinery/pkg/runtime/serializer/protobuf/protobuf.go

import { badRequest } from '../../core/errors.ts';
import { MESSAGES } from './schema.generated.ts';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
/** Go's zero time.Time as Unix seconds: what an unset metav1.Time carries on the wire. */
const GO_ZERO_TIME = -62135596800;

/** Go embeds these structs inline in JSON; protobuf nests them as a field. */
const INLINE = new Set(['localObjectReference', 'ephemeralContainerCommon', 'volumeSource', 'core.v1.Probe.handler']);
/** Pointer fields where an explicit 0 differs from unset (everything else drops zero values, like omitempty). */
const KEEP_ZERO = new Set(['replicas', 'terminationGracePeriodSeconds', 'gracePeriodSeconds', 'revisionHistoryLimit',
  'partition', 'expirationSeconds', 'activeDeadlineSeconds', 'port', 'containerPort', 'runAsUser', 'runAsGroup', 'fsGroup']);
/** Pointer booleans where an explicit false differs from unset. */
const KEEP_FALSE = new Set(['automountServiceAccountToken', 'allowPrivilegeEscalation', 'runAsNonRoot', 'readOnlyRootFilesystem',
  'enableServiceLinks', 'privileged', 'allocateLoadBalancerNodePorts', 'hostUsers', 'optional', 'immutable']);

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer, readonly end = buf.length) {}
  done(): boolean {
    return this.pos >= this.end;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw badRequest('protobuf: truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw badRequest('protobuf: varint too long');
    }
  }
  bytes(): Buffer {
    const n = Number(this.varint());
    if (n < 0 || this.pos + n > this.end) throw badRequest('protobuf: length out of range');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  fixed(n: 4 | 8): Buffer {
    if (this.pos + n > this.end) throw badRequest('protobuf: truncated fixed field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.fixed(8);
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.fixed(4);
    else throw badRequest(`protobuf: unsupported wire type ${wire}`);
  }
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function scalar(type: string, wire: number, r: Reader): Json {
  switch (type) {
    case 'string': return r.bytes().toString('utf8');
    case 'bytes': return r.bytes().toString('base64');
    case 'bool': return r.varint() !== 0n;
    case 'int32': return Number(BigInt.asIntN(32, r.varint()));
    case 'int64': return Number(BigInt.asIntN(64, r.varint()));
    case 'double': return wire === 1 ? r.fixed(8).readDoubleLE(0) : 0;
    case 'float': return wire === 5 ? r.fixed(4).readFloatLE(0) : 0;
    default: throw badRequest(`protobuf: unknown scalar type ${type}`);
  }
}

function special(name: string, raw: Record<string, Json>): Json | undefined {
  switch (name) {
    case 'apis.meta.v1.Time':
    case 'apis.meta.v1.MicroTime': {
      const seconds = typeof raw['seconds'] === 'number' ? raw['seconds'] : 0;
      const nanos = typeof raw['nanos'] === 'number' ? raw['nanos'] : 0;
      if (seconds === GO_ZERO_TIME || (seconds === 0 && nanos === 0 && !('seconds' in raw))) return undefined;
      const iso = new Date(seconds * 1000).toISOString();
      return name.endsWith('MicroTime') ? iso.replace(/\.\d+Z$/, `.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`) : iso.replace(/\.\d+Z$/, 'Z');
    }
    case 'util.intstr.IntOrString':
      return raw['type'] === 1 ? (raw['strVal'] ?? '') : (raw['intVal'] ?? 0);
    case 'api.resource.Quantity':
      return raw['string'] ?? '0';
    case 'apis.meta.v1.Duration': {
      const ns = typeof raw['duration'] === 'number' ? raw['duration'] : 0;
      return `${ns / 1e9}s`;
    }
    case 'runtime.RawExtension':
    case 'apis.meta.v1.FieldsV1': {
      const b64 = raw['raw'] ?? raw['Raw'];
      if (typeof b64 !== 'string' || b64 === '') return undefined;
      try {
        return JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as Json;
      } catch (e) {
        throw badRequest(`protobuf: embedded JSON in ${name} is malformed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    default:
      return null;
  }
}

function isZero(name: string, v: Json | undefined): boolean {
  if (v === undefined || v === '') return true;
  if (v === 0) return !KEEP_ZERO.has(name);
  if (v === false) return !KEEP_FALSE.has(name);
  return false;
}

function decodeMessage(name: string, buf: Buffer, depth = 0): Json | undefined {
  const fields = MESSAGES[name];
  if (!fields) throw badRequest(`protobuf: no schema for ${name}`);
  if (depth > 64) throw badRequest('protobuf: message nested too deeply');
  const byNumber = new Map(fields.map((f) => [f[0], f]));
  const out: Record<string, Json> = {};
  const r = new Reader(buf);
  while (!r.done()) {
    const tag = r.varint();
    const num = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    const field = byNumber.get(num);
    if (!field) {
      r.skip(wire);
      continue;
    }
    const [, fname, type, repeated] = field;
    let value: Json | undefined;
    if (type.startsWith('map:')) {
      if (wire !== 2) throw badRequest(`protobuf: ${name}.${fname} must be length-delimited`);
      const entry = new Reader(r.bytes());
      let key = '';
      let val: Json | undefined;
      const valueType = type.slice(4);
      while (!entry.done()) {
        const t = entry.varint();
        const w = Number(t & 7n);
        if (t >> 3n === 1n) key = entry.bytes().toString('utf8');
        else if (t >> 3n === 2n) val = valueType.startsWith('m:') ? decodeMessage(valueType.slice(2), entry.bytes(), depth + 1) : scalar(valueType, w, entry);
        else entry.skip(w);
      }
      const map = (out[fname] ??= {}) as Record<string, Json>;
      map[key] = val ?? (valueType === 'string' || valueType === 'bytes' ? '' : null);
      continue;
    }
    if (type.startsWith('m:')) {
      if (wire !== 2) throw badRequest(`protobuf: ${name}.${fname} must be length-delimited`);
      value = decodeMessage(type.slice(2), r.bytes(), depth + 1);
      if (value === undefined) continue;
      if (INLINE.has(fname) || INLINE.has(`${name}.${fname}`)) {
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) Object.assign(out, value);
        continue;
      }
    } else if (repeated && wire === 2 && type !== 'string' && type !== 'bytes') {
      // Packed repeated numbers.
      const packed = new Reader(r.bytes());
      const list = (out[fname] ??= []) as Json[];
      const w = type === 'double' ? 1 : type === 'float' ? 5 : 0;
      while (!packed.done()) list.push(scalar(type, w, packed));
      continue;
    } else {
      value = scalar(type, wire, r);
    }
    if (repeated) {
      ((out[fname] ??= []) as Json[]).push(value);
    } else if (!isZero(fname, value)) {
      out[fname] = value;
    }
  }
  const converted = special(name, out);
  return converted === null ? out : converted;
}

/** Group/version/kind of the envelope → the message that encodes it. */
function messageFor(apiVersion: string, kind: string): string {
  if (kind === 'DeleteOptions') return 'apis.meta.v1.DeleteOptions';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const pkg = group === '' ? 'core' : group!.split('.')[0];
  return `${pkg}.${version}.${kind}`;
}

export function isProtobuf(contentType: string): boolean {
  return contentType === 'application/vnd.kubernetes.protobuf';
}

/** Decode a protobuf request body into the JSON object it stands for. */
export function decodeKubeProtobuf(buf: Buffer): Record<string, unknown> {
  if (buf.length < 4 || !buf.subarray(0, 4).equals(MAGIC)) throw badRequest('protobuf: the body does not start with the k8s\\0 prefix');
  const envelope = new Reader(buf.subarray(4));
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  while (!envelope.done()) {
    const tag = envelope.varint();
    const wire = Number(tag & 7n);
    const num = tag >> 3n;
    if (num === 1n && wire === 2) {
      const tm = new Reader(envelope.bytes());
      while (!tm.done()) {
        const t = tm.varint();
        if (t >> 3n === 1n) apiVersion = tm.bytes().toString('utf8');
        else if (t >> 3n === 2n) kind = tm.bytes().toString('utf8');
        else tm.skip(Number(t & 7n));
      }
    } else if (num === 2n && wire === 2) {
      raw = envelope.bytes();
    } else {
      envelope.skip(wire);
    }
  }
  if (!kind || raw === undefined) throw badRequest('protobuf: the envelope has no kind or no object');
  const message = messageFor(apiVersion, kind);
  if (!MESSAGES[message]) throw badRequest(`protobuf: ${apiVersion} ${kind} is not served in protobuf; send JSON`);
  const body = decodeMessage(message, raw);
  const obj = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
  return { apiVersion, kind, ...obj };
}
