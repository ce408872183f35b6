// curl: -s -S -o -w -m/--max-time --connect-timeout -I -i -v -f -H -X -A -L; error
// lines "curl: (N) …" with curl's exit codes (6 resolve, 7 connect, 22 -f, 28 timeout,
// 52 empty reply); http:// and telnet:// (a raw TCP session, see telnetSession).
// Source: curl docs/libcurl/libcurl-errors.md, lib/connect.c, lib/multi.c, lib/telnet.c.

import type { Program } from '../images/types.ts';
import { exchange, makeRequest, parseUrl, rawExchange } from '../net/client.ts';
import { reasonPhrase, serializeRequest } from '../net/http.ts';
import { resolveHost } from '../net/resolve.ts';
import { timeout, type Proc } from '../proc.ts';
import { forever } from '../images/serve.ts';
import type { ConnectResult, ProcCtx } from '../images/types.ts';

/**
 * Seconds an idle client connection stays open before the server closes it: nginx
 * client_header_timeout 60s, postgres authentication_timeout 60s, mysql connect_timeout
 * 10s. Others (Go net/http without ReadTimeout, redis timeout 0) never close it.
 */
const IDLE_CLOSE_SECONDS: Record<string, number> = { nginx: 60, postgres: 60, mysql: 10 };

/**
 * lib/telnet.c telnet_do: stdin goes to the server and what it sends to stdout; EOF on
 * stdin does not end the session. It ends when the server closes (exit 0) or, with -m,
 * when the transfer time is up ("Time-out", 28) — so `curl -m 2 telnet://h:p </dev/null`
 * exits 28 on an open port that stays silent, 7 when refused; a dropped SYN is also 28
 * but with curl's "Connection timed out after …" message (-S shows which).
 */
function* telnetSession(ctx: ProcCtx, conn: Extract<ConnectResult, { kind: 'ok' }>, maxTime: number | undefined): Proc<'closed' | 'timeout'> {
  const input = yield* ctx.io.stdin.readAll();
  ctx.io.out(rawExchange(conn, input));
  const idle = IDLE_CLOSE_SECONDS[conn.server.image.repos[0] ?? ''];
  if (maxTime !== undefined && (idle === undefined || maxTime <= idle)) {
    yield* timeout(maxTime * 1000);
    return 'timeout';
  }
  if (idle === undefined) yield* forever();
  yield* timeout((idle ?? 0) * 1000);
  return 'closed';
}

export function curlProgram(version: string): Program {
  return function* (argv, ctx): Proc<number> {
    let silent = false, showError = false, head = false, include = false, verbose = false, fail = false;
    let output: string | undefined;
    let writeOut: string | undefined;
    let maxTime: number | undefined;
    let connectTimeout: number | undefined;
    let method: string | undefined;
    const headers: [string, string][] = [['User-Agent', `curl/${version}`], ['Accept', '*/*']];
    const urls: string[] = [];
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i] ?? '';
      const val = (): string => argv[++i] ?? '';
      if (a === '-o' || a === '--output') output = val();
      else if (a === '-w' || a === '--write-out') writeOut = val();
      else if (a === '-m' || a === '--max-time') maxTime = Number(val());
      else if (a.startsWith('--max-time=')) maxTime = Number(a.slice(11));
      else if (a === '--connect-timeout') connectTimeout = Number(val());
      else if (a === '-H' || a === '--header') { const h = val(); const c = h.indexOf(':'); if (c > 0) headers.push([h.slice(0, c), h.slice(c + 1).trim()]); }
      else if (a === '-X' || a === '--request') method = val();
      else if (a === '-A' || a === '--user-agent') headers[0] = ['User-Agent', val()];
      else if (a === '--silent') silent = true;
      else if (a === '--show-error') showError = true;
      else if (a === '--head') head = true;
      else if (a === '--include') include = true;
      else if (a === '--verbose') verbose = true;
      else if (a === '--fail') fail = true;
      else if (a.startsWith('--')) continue;
      else if (/^-[a-zA-Z]+$/.test(a)) {
        for (const f of a.slice(1)) {
          if (f === 's') silent = true; else if (f === 'S') showError = true; else if (f === 'I') head = true;
          else if (f === 'i') include = true; else if (f === 'v') verbose = true; else if (f === 'f') fail = true;
          else if (f === 'o') output = val(); else if (f === 'w') writeOut = val(); else if (f === 'm') maxTime = Number(val());
        }
      } else urls.push(a);
    }
    const error = (code: number, msg: string): number => {
      if (!silent || showError) ctx.io.err(`curl: (${code}) ${msg}\n`);
      return code;
    };
    if (urls.length === 0) {
      ctx.io.err("curl: try 'curl --help' or 'curl --manual' for more information\n");
      return 2;
    }
    let status = 0;
    for (const raw of urls) {
      const url = parseUrl(raw);
      if (!url) { status = error(3, 'URL rejected: Malformed input to a URL function'); continue; }
      if (url.scheme !== 'http' && url.scheme !== 'https' && url.scheme !== 'telnet') { status = error(1, `Protocol "${url.scheme}" not supported`); continue; }
      let httpCode = 0;
      const finish = (code: number): void => {
        if (writeOut !== undefined) ctx.io.out(writeOut.replace(/\\n/g, '\n').replace(/%\{http_code\}|%\{response_code\}/g, String(httpCode).padStart(3, '0')).replace(/%\{remote_ip\}/g, ''));
        status = code;
      };
      const res = resolveHost(ctx, url.host);
      if ('error' in res) {
        if (res.error === 'timeout') {
          const limit = Math.min(maxTime ?? connectTimeout ?? 10, 10);
          yield* timeout(limit * 1000);
          if (maxTime !== undefined && maxTime <= 10) { finish(error(28, `Resolving timed out after ${maxTime * 1000} milliseconds`)); continue; }
        }
        finish(error(6, `Could not resolve host: ${url.host}`));
        continue;
      }
      const ip = res.ips[0] ?? '';
      if (verbose) ctx.io.err(`*   Trying ${ip}:${url.port}...\n`);
      const conn = ctx.sys.connect(ctx.self, ip, url.port, 'TCP');
      if (conn.kind === 'refused') { finish(error(7, `Failed to connect to ${url.host} port ${url.port} after 0 ms: Couldn't connect to server`)); continue; }
      if (conn.kind === 'drop') {
        const limit = connectTimeout ?? maxTime;
        if (limit === undefined) {
          yield* timeout(134_000);
          finish(error(28, `Failed to connect to ${url.host} port ${url.port} after 134000 ms: Couldn't connect to server`));
        } else {
          yield* timeout(limit * 1000);
          finish(error(28, connectTimeout !== undefined
            ? `Failed to connect to ${url.host} port ${url.port} after ${limit * 1000} ms: Timeout was reached`
            : `Connection timed out after ${limit * 1000} milliseconds`));
        }
        continue;
      }
      if (verbose) ctx.io.err(`* Connected to ${url.host} (${ip}) port ${url.port}\n`);
      if (url.scheme === 'telnet') {
        finish((yield* telnetSession(ctx, conn, maxTime)) === 'timeout' ? error(28, 'Time-out') : 0);
        continue;
      }
      if (url.scheme === 'https') { finish(error(35, `OpenSSL/3.0.15: error:0A00010B:SSL routines::wrong version number`)); continue; }
      const req = makeRequest(method ?? (head ? 'HEAD' : 'GET'), url, headers);
      if (verbose) ctx.io.err(serializeRequest(req).split('\r\n').filter((l, i, arr) => i < arr.length - 1).map((l) => `> ${l}\n`).join(''));
      const ex = exchange(conn, req);
      if (ex.kind === 'empty') { finish(error(52, 'Empty reply from server')); continue; }
      const r = ex.response;
      httpCode = r.status;
      const headText = `HTTP/1.1 ${r.status} ${reasonPhrase(r.status)}\r\n${r.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
      if (verbose) ctx.io.err(headText.split('\r\n').slice(0, -1).map((l) => `< ${l}\n`).join(''));
      if (fail && r.status >= 400) { finish(error(22, `The requested URL returned error: ${r.status}`)); continue; }
      let body = '';
      if (head || include) body += headText;
      if (!head && req.method !== 'HEAD') body += r.body;
      if (output !== undefined && output !== '-') ctx.self.writeFile(output, body, false);
      else ctx.io.out(body);
      if (verbose) ctx.io.err(`* Connection #0 to host ${url.host} left intact\n`);
      finish(0);
    }
    return status;
  };
}
