import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createServingCertificate, integer } from './tls.ts';

describe('serving certificate', () => {
  it('is signed by its CA and valid for 127.0.0.1 and localhost', () => {
    const c = createServingCertificate();
    const ca = new X509Certificate(c.caCert);
    const cert = new X509Certificate(c.cert);
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkPrivateKey(createPrivateKey(c.key))).toBe(true);
  });
});

describe('DER INTEGER', () => {
  it.each([
    ['a leading zero before a small byte is dropped', [0x00, 0x1f, 0x01], [0x02, 0x02, 0x1f, 0x01]],
    ['several leading zeros are dropped', [0x00, 0x00, 0x00, 0x05], [0x02, 0x01, 0x05]],
    ['a zero stays when the next byte has its top bit set', [0x00, 0x80], [0x02, 0x02, 0x00, 0x80]],
    ['a top bit gets a zero in front', [0x80, 0x01], [0x02, 0x03, 0x00, 0x80, 0x01]],
    ['zero is one byte', [0x00, 0x00], [0x02, 0x01, 0x00]],
  ])('%s', (_name, input, expected) => {
    expect([...integer(Buffer.from(input))]).toEqual(expected);
  });
});
