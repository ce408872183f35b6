// HTTP/1.x messages as simulated servers and clients exchange them. Servers answer a
// parsed request; clients (wget, curl, kubelet probes, nc with a typed request) go
// through the same functions so every path writes the same access log.

export interface HttpRequest {
  method: string;
  /** Request target as sent, e.g. "/index.html?x=1". */
  target: string;
  version: string;
  /** Header names lower-cased; values as sent. */
  headers: Map<string, string>;
  body: string;
}

export interface HttpResponse {
  status: number;
  headers: [string, string][];
  body: string;
  /** Set for HEAD: the body is not sent, but Content-Length still describes it. */
  headOnly?: boolean;
}

/** Reason phrases (Go's net/http StatusText and nginx use the same for these). */
const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Unknown';
}

export function requestPath(req: HttpRequest): string {
  const q = req.target.indexOf('?');
  return q < 0 ? req.target : req.target.slice(0, q);
}

export function serializeRequest(req: HttpRequest): string {
  let s = `${req.method} ${req.target} ${req.version}\r\n`;
  for (const [k, v] of req.headers) s += `${headerCase(k)}: ${v}\r\n`;
  return `${s}\r\n${req.body}`;
}

export function serializeResponse(res: HttpResponse, version = 'HTTP/1.1'): string {
  let s = `${version} ${res.status} ${reasonPhrase(res.status)}\r\n`;
  for (const [k, v] of res.headers) s += `${k}: ${v}\r\n`;
  return `${s}\r\n${res.headOnly ? '' : res.body}`;
}

function headerCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** Parse a raw request (what nc sends); undefined when it is not a complete HTTP request head. */
export function parseRequest(raw: string): HttpRequest | undefined {
  const end = raw.search(/\r?\n\r?\n/);
  if (end < 0) return undefined;
  const lines = raw.slice(0, end).split(/\r?\n/);
  const first = (lines.shift() ?? '').split(' ');
  if (first.length !== 3 || !/^HTTP\/1\.[01]$/.test(first[2] ?? '')) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const bodyStart = raw.slice(end).match(/^\r?\n\r?\n/)?.[0].length ?? 0;
  return { method: first[0] ?? 'GET', target: first[1] ?? '/', version: first[2] ?? 'HTTP/1.1', headers, body: raw.slice(end + bodyStart) };
}

/** RFC 7231 IMF-fixdate, as the Date header carries it. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
