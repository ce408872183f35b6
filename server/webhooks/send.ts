// One HTTP POST of a webhook, with node:http(s) rather than fetch: its `lookup` hook
// lets the connection go to exactly the address the SSRF guard just checked.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkedAddresses, type Resolve } from './address-guard.ts';

export interface SendRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What came of one send: an HTTP status, or an error before one arrived. */
export type SendResult = { status: number } | { error: string };

export type Send = (request: SendRequest, signal: AbortSignal) => Promise<SendResult>;

export interface HttpSendOptions {
  readonly resolve: Resolve;
  readonly allowPrivate: boolean;
  /** No answer within this long is a failed attempt (the spec suggests 15 s). */
  readonly timeoutMs: number;
  readonly userAgent: string;
}

export function httpSend(o: HttpSendOptions): Send {
  return async (request, signal) => {
    const url = new URL(request.url);
    let addresses;
    try {
      addresses = await checkedAddresses(url, o.resolve, o.allowPrivate);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
    const first = addresses[0]!;
    // Pin the connection to the checked address (never a second, unchecked resolution).
    const lookup: LookupFunction = (_host, options, callback) => {
      if (options.all) callback(null, [{ address: first.address, family: first.family }]);
      else callback(null, first.address, first.family);
    };
    const body = Buffer.from(request.body, 'utf8');
    return new Promise<SendResult>((resolve) => {
      const client = url.protocol === 'https:' ? https : http;
      const req = client.request(url, {
        method: 'POST',
        lookup,
        signal,
        headers: {
          ...request.headers,
          'content-type': 'application/json',
          'content-length': String(body.length),
          'user-agent': o.userAgent,
        },
      });
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${o.timeoutMs} ms`)), o.timeoutMs);
      const settle = (result: SendResult) => {
        clearTimeout(timer);
        resolve(result);
      };
      req.on('response', (res) => {
        // The answer's body is not ours to keep; read it away so the socket can close.
        res.resume();
        res.on('end', () => settle({ status: res.statusCode ?? 0 }));
        // The status line arrived, so the receiver answered: a broken body does not undo that.
        res.on('error', () => settle({ status: res.statusCode ?? 0 }));
      });
      req.on('error', (error) => settle({ error: error.message }));
      req.end(body);
    });
  };
}
