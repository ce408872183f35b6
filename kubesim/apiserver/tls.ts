// A throwaway certificate authority and serving certificate for the embedded API
// server. kubectl sends bearer tokens only to https servers (client-go clientcmd
// reads user credentials only when the transport is TLS), so the cluster must speak
// TLS; Node can sign but not build certificates, hence this small DER writer.
// Structures from RFC 5280 (Certificate, TBSCertificate, extensions).

import { createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

const seq = (...c: Buffer[]): Buffer => tlv(0x30, ...c);
const set = (...c: Buffer[]): Buffer => tlv(0x31, ...c);
const explicit = (n: number, ...c: Buffer[]): Buffer => tlv(0xa0 | n, ...c);
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));

export function integer(bytes: Buffer): Buffer {
  // DER wants the minimal encoding of a positive INTEGER: no redundant leading zero
  // bytes (a random serial starting 0x00 0x1f… was "illegal padding" to OpenSSL, about
  // one cluster in 200), and one 0x00 when the top bit is set so it stays positive.
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && !(bytes[start + 1]! & 0x80)) start++;
  const minimal = bytes.subarray(start);
  return tlv(0x02, minimal[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), minimal]) : minimal);
}

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function bitString(bytes: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.from([unusedBits]), bytes);
}

function utcTime(ms: number): Buffer {
  const d = new Date(ms).toISOString(); // 2026-01-01T00:00:00.000Z
  const text = d.slice(2, 4) + d.slice(5, 7) + d.slice(8, 10) + d.slice(11, 13) + d.slice(14, 16) + d.slice(17, 19) + 'Z';
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

const name = (cn: string, org?: string): Buffer =>
  seq(...(org ? [set(seq(oid('2.5.4.10'), utf8(org)))] : []), set(seq(oid('2.5.4.3'), utf8(cn))));

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

interface CertInput {
  subject: Buffer;
  issuer: Buffer;
  publicKey: KeyObject;
  signer: KeyObject;
  extensions: Buffer[];
  now: number;
}

function certificate(c: CertInput): Buffer {
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const spki = c.publicKey.export({ type: 'spki', format: 'der' });
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ECDSA_SHA256,
    c.issuer,
    seq(utcTime(c.now - 3600_000), utcTime(c.now + 10 * 365 * 24 * 3600_000)),
    c.subject,
    spki,
    explicit(3, seq(...c.extensions)),
  );
  return seq(tbs, ECDSA_SHA256, bitString(sign('sha256', tbs, c.signer)));
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export interface ServingCertificate {
  /** PEM of the CA that signed the serving certificate (certificate-authority-data). */
  caCert: string;
  cert: string;
  key: string;
}

/**
 * A fresh CA and a serving certificate for 127.0.0.1 and localhost. Validity uses
 * the real wall clock, not the simulated one: the peer checks it against real time.
 */
export function createServingCertificate(hosts: { ips: string[]; dns: string[] } = { ips: ['127.0.0.1'], dns: ['localhost', 'kubernetes', 'kubernetes.default.svc'] }): ServingCertificate {
  const now = Date.now();
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const server = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caName = name('kubesim-ca');
  const caDer = certificate({
    subject: caName,
    issuer: caName,
    publicKey: ca.publicKey,
    signer: ca.privateKey,
    now,
    extensions: [
      extension('2.5.29.15', true, bitString(Buffer.from([0x86]), 1)), // digitalSignature, keyCertSign, cRLSign
      extension('2.5.29.19', true, seq(bool(true))), // CA:TRUE
    ],
  });
  const san = seq(
    ...hosts.dns.map((d) => tlv(0x82, Buffer.from(d, 'ascii'))),
    ...hosts.ips.map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number)))),
  );
  const serverDer = certificate({
    subject: name('kube-apiserver'),
    issuer: caName,
    publicKey: createPublicKey(server.privateKey),
    signer: ca.privateKey,
    now,
    extensions: [
      extension('2.5.29.15', true, bitString(Buffer.from([0x80]), 7)), // digitalSignature
      extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))), // serverAuth
      extension('2.5.29.19', true, seq()), // CA:FALSE
      extension('2.5.29.17', false, san),
    ],
  });
  return {
    caCert: pem('CERTIFICATE', caDer),
    cert: pem('CERTIFICATE', serverDer),
    key: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
