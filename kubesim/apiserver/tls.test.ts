import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createServingCertificate } from './tls.ts';

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
