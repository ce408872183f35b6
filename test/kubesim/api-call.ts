// Raw HTTPS calls to the embedded cluster as the admin, for tests that send what no
// well-behaved client would (hostile bodies, odd paths): the body goes as given.

import { request } from 'node:https';
import type { RunningCluster } from '../../kubesim/index.ts';

export interface RawReply {
  status: number;
  body: unknown;
  text: string;
}

export function apiCall(
  cluster: RunningCluster, method: string, path: string, body?: string | object, headers: Record<string, string> = {},
): Promise<RawReply> {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const base = new URL(cluster.url);
    // The path goes as given (a URL string would have its dot segments resolved by Node).
    const req = request({
      host: base.hostname,
      port: base.port,
      path,
      method,
      ca: cluster.caCert,
      headers: {
        authorization: `Bearer ${cluster.adminToken}`,
        'content-type': 'application/json',
        ...(text === undefined ? {} : { 'content-length': String(Buffer.byteLength(text)) }),
        ...headers,
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = raw;
        // HEAD and some refusals answer JSON content type with no body.
        if ((res.headers['content-type'] ?? '').startsWith('application/json') && raw !== '') parsed = JSON.parse(raw);
        resolve({ status: res.statusCode ?? 0, body: parsed, text: raw });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(text);
  });
}
