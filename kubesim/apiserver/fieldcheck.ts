// fieldValidation=Strict|Warn|Ignore for writes (server-side field validation, GA in
// v1.27; the default when unset is Warn). Strict refuses unknown fields with 400,
// Warn answers them in Warning headers. Source: k8s.io/apiserver/pkg/endpoints/handlers/create.go
// (strict decoding error text from sigs.k8s.io/json).

import type { ServerResponse } from 'node:http';
import { badRequest } from '../core/errors.ts';
import { strictDecodingMessage, unknownFields } from './fields.ts';

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/**
 * `decodePrefix` is set for create/update ("Deployment in version \"v1\" cannot be
 * handled as a Deployment: ..."); patches report the bare strict decoding error.
 */
export function checkFields(
  res: ServerResponse,
  kind: string,
  body: unknown,
  mode: FieldValidation | undefined,
  decodePrefix?: { version: string },
): void {
  const effective = mode ?? 'Warn';
  if (effective === 'Ignore') return;
  const unknown = unknownFields(kind, body);
  if (unknown.length === 0) return;
  if (effective === 'Strict') {
    const message = strictDecodingMessage(unknown);
    throw badRequest(decodePrefix ? `${kind} in version "${decodePrefix.version}" cannot be handled as a ${kind}: ${message}` : message);
  }
  addWarnings(res, unknown.map((f) => `unknown field "${f}"`));
}

/** RFC 7234 warning headers as the apiserver sends them: `299 - "text"`. */
export function addWarnings(res: ServerResponse, texts: string[]): void {
  if (res.headersSent || texts.length === 0) return;
  const existing = res.getHeader('Warning');
  const list = Array.isArray(existing) ? existing : typeof existing === 'string' ? [existing] : [];
  // Go writes the quoted UTF-8 text as raw bytes; Node sends header strings as latin1, so
  // hand it the UTF-8 bytes one per char (a field named "metadatï" used to throw, a 500).
  const header = (t: string) => Buffer.from(`299 - ${JSON.stringify(t)}`, 'utf8').toString('latin1');
  res.setHeader('Warning', [...list, ...texts.map(header)]);
}
