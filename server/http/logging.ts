// Request logging that cannot leak credentials: the request serializer builds its
// own small object (no headers at all) and strips secret query parameters from the
// URL; redaction covers anything else that logs headers by hand.
import type { FastifyServerOptions } from 'fastify';
import type { LogLevel } from '../config/config.ts';

/** Query parameters that may carry a credential (websocket and download links). */
export const SECRET_QUERY_PARAMS: readonly string[] = ['token', 'access_token', 'id_token', 'client_assertion'];

export const REDACTED = '[redacted]';

/** `url` with the values of secret query parameters replaced. Never throws. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      return SECRET_QUERY_PARAMS.includes(safeDecode(rawName).toLowerCase()) ? `${rawName}=${REDACTED}` : pair;
    });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

// URLSearchParams decodes leniently (a malformed %-escape stays as written) and never throws.
function safeDecode(name: string): string {
  return [...new URLSearchParams(`${name}=`).keys()][0] ?? name;
}

export interface LogDestination {
  write(line: string): void;
}

export function loggerOptions(level: LogLevel, stream?: LogDestination): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream === undefined ? {} : { stream }),
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'headers.authorization',
        'headers.cookie',
        'res.headers["set-cookie"]',
        'token',
        'plaintext',
      ],
      censor: REDACTED,
    },
    serializers: {
      req: (req) => ({
        method: req.method,
        url: redactUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
      }),
      res: (reply) => ({ statusCode: reply.statusCode }),
    },
  };
}
