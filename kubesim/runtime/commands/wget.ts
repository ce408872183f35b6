// busybox 1.36 wget: -q, -O FILE|-, -T SEC, -S, --spider, -U, --header; errors on
// stderr and exit 1. Messages from busybox networking/wget.c and KUBESIM.md §5.

import type { ConnectResult, Program } from '../images/types.ts';
import { exchange, makeRequest, parseUrl } from '../net/client.ts';
import { reasonPhrase } from '../net/http.ts';
import { resolveHost } from '../net/resolve.ts';
import { timeout, type Proc } from '../proc.ts';

export const wget: Program = function* (argv, ctx): Proc<number> {
  let quiet = false, spider = false, showHeaders = false;
  let output: string | undefined;
  let timeoutSec = 900;
  const headers: [string, string][] = [['User-Agent', 'Wget']];
  let rawUrl: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '-O') output = argv[++i];
    else if (a.startsWith('-O') && a.length > 2 && !a.startsWith('-O-') ) output = a.slice(2);
    else if (a === '-T' || a === '--timeout') timeoutSec = Number(argv[++i]);
    else if (a.startsWith('--timeout=')) timeoutSec = Number(a.slice(10));
    else if (a === '-U' || a === '--user-agent') headers[0] = ['User-Agent', argv[++i] ?? ''];
    else if (a === '--header') { const h = argv[++i] ?? ''; const c = h.indexOf(':'); headers.push([h.slice(0, c), h.slice(c + 1).trim()]); }
    else if (a === '--spider') spider = true;
    else if (/^-[qSO-]+$/.test(a) && !a.startsWith('--')) {
      if (a.includes('q')) quiet = true;
      if (a.includes('S')) showHeaders = true;
      if (a.includes('O')) output = a.endsWith('O') ? argv[++i] : a.slice(a.indexOf('O') + 1);
    } else if (a.startsWith('-')) continue;
    else rawUrl = a;
  }
  if (!rawUrl) {
    ctx.io.err('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...\n');
    return 1;
  }
  const url = parseUrl(rawUrl);
  if (!url || (url.scheme !== 'http' && url.scheme !== 'https')) {
    ctx.io.err(`wget: not an http or ftp url: ${rawUrl}\n`);
    return 1;
  }
  const res = resolveHost(ctx, url.host);
  if ('error' in res) {
    if (res.error === 'timeout') yield* timeout(Math.min(timeoutSec, 10) * 1000);
    ctx.io.err(`wget: bad address '${url.host}'\n`);
    return 1;
  }
  const ip = res.ips[0] ?? '';
  const fileName = output ?? (url.target.split('?')[0]?.split('/').pop() || 'index.html');
  if (!quiet) ctx.io.err(`Connecting to ${url.host}${url.port === 80 ? '' : `:${url.port}`} (${ip}:${url.port})\n`);
  const conn: ConnectResult = ctx.sys.connect(ctx.self, ip, url.port, 'TCP');
  if (conn.kind === 'refused') {
    ctx.io.err(`wget: can't connect to remote host (${ip}): Connection refused\n`);
    return 1;
  }
  if (conn.kind === 'drop') {
    yield* timeout(timeoutSec * 1000);
    ctx.io.err('wget: download timed out\n');
    return 1;
  }
  if (url.scheme === 'https') {
    ctx.io.err('wget: error getting response: Connection reset by peer\n');
    return 1;
  }
  const req = makeRequest(spider ? 'HEAD' : 'GET', url, headers);
  req.headers.set('connection', 'close');
  const ex = exchange(conn, req);
  if (ex.kind === 'empty') {
    ctx.io.err('wget: error getting response: Connection reset by peer\n');
    return 1;
  }
  const r = ex.response;
  if (showHeaders) {
    let h = `  HTTP/1.1 ${r.status} ${reasonPhrase(r.status)}\n`;
    for (const [k, v] of r.headers) h += `  ${k}: ${v}\n`;
    ctx.io.err(h);
  }
  if (r.status >= 400 || r.status < 200) {
    ctx.io.err(`wget: server returned error: HTTP/1.1 ${r.status} ${reasonPhrase(r.status)}\n`);
    return 1;
  }
  if (spider) {
    if (!quiet) ctx.io.err('remote file exists\n');
    return 0;
  }
  const size = Buffer.byteLength(r.body);
  const toStdout = fileName === '-';
  if (!quiet) ctx.io.err(toStdout ? 'writing to stdout\n' : `saving to '${fileName}'\n`);
  if (toStdout) ctx.io.out(r.body);
  else ctx.self.writeFile(fileName, r.body, false);
  if (!quiet) {
    ctx.io.err(`${(toStdout ? '-' : fileName).slice(0, 20).padEnd(20)} 100% |********************************| ${String(size).padStart(5)}  0:00:00 ETA\n`);
    ctx.io.err(toStdout ? 'written to stdout\n' : `'${fileName}' saved\n`);
  }
  return 0;
};
