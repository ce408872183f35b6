// Small HTTP helpers shared by every handler: JSON responses, Status errors and
// request bodies (JSON or YAML), all as the real apiserver shapes them.
// Source: k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/writers.go

import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, badRequest } from '../core/errors.ts';
import { guardDecoded, parseYamlInput } from './decode.ts';
import { decodeKubeProtobuf, isProtobuf } from './protobuf/decode.ts';

/** Bodies bigger than this are refused (the real limit is 3 MiB per object). */
const MAX_BODY_BYTES = 3 * 1024 * 1024;
/** How much of an oversized body is drained before the connection is simply closed. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', ...headers });
  res.end(text);
}

export function sendStatusError(res: ServerResponse, err: StatusError): void {
  sendJson(res, err.code, err.toStatus());
}

/** A metav1.Status of success, as DELETE answers when nothing is left to return. */
export function successStatus(details: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

export function notFoundPath(): StatusError {
  // handlers/responsewriters: the generic 404 for paths nothing serves.
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function methodNotAllowed(): StatusError {
  return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got ${contentType || 'none'})`);
}

/**
 * The body, or 413 RequestEntityTooLarge past MAX_BODY_BYTES (the apiserver's
 * MaxRequestBodyBytes, 3 MiB; handlers' limitedReadBody). An oversized body is read to
 * its end and thrown away, so the client gets the Status instead of a reset connection
 * while it is still writing; past DRAIN_LIMIT_BYTES it is not worth waiting for.
 */
export function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = () => new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) {
        reject(tooLarge());
        req.destroy();
        return;
      }
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => (size > MAX_BODY_BYTES ? reject(tooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** The media type without parameters, lower-cased ("" when absent). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Decode a JSON or YAML body. Empty bodies decode to undefined. */
export function decodeBody(raw: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (raw.length === 0) return undefined;
  if (isProtobuf(type)) return decodeKubeProtobuf(raw);
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  const yaml = type === 'application/yaml' || type === 'application/apply-patch+yaml' || type === 'text/yaml';
  const json = type === '' || type === 'application/json' || type.endsWith('+json');
  if (!yaml && !json) throw unsupportedMediaType(type);
  // The real decoder says "couldn't get version/kind; json parse error: ..."
  const prefix = "couldn't get version/kind; json parse error: ";
  if (yaml) return parseYamlInput(text, prefix);
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch (e) {
    throw badRequest(`${prefix}${e instanceof Error ? e.message : String(e)}`);
  }
  guardDecoded(decoded, prefix);
  return decoded;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
