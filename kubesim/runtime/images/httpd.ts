// The official httpd image: `httpd-foreground` serves htdocs/index.html ("It works!")
// on port 80 and writes the common log format to stdout.
// Source: docker-library/httpd (2.4/Dockerfile, httpd-foreground), Apache's default htdocs and 404 page.

import { httpDate, requestPath, type HttpRequest, type HttpResponse } from '../net/http.ts';
import type { Proc } from '../proc.ts';
import { nginxTimeLocal, parseImageRef, versionFromTag } from './ref.ts';
import { forever } from './serve.ts';
import type { ContainerHandle, Peer, Program, ProcCtx } from './types.ts';

export const HTTPD_INDEX = '<html><body><h1>It works!</h1></body></html>\n';

const NOT_FOUND = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>404 Not Found</title>
</head><body>
<h1>Not Found</h1>
<p>The requested URL was not found on this server.</p>
</body></html>
`;

const LAST_MODIFIED = Date.parse('2007-06-11T18:53:14Z');

function httpdVersion(self: ContainerHandle): string {
  return versionFromTag(parseImageRef(self.spec.image).tag, '2.4.65');
}

function handler(self: ContainerHandle, now: () => number) {
  const server = `Apache/${httpdVersion(self)} (Unix)`;
  return (req: HttpRequest, peer: Peer): HttpResponse => {
    const path = requestPath(req);
    const common: [string, string][] = [['Date', httpDate(now())], ['Server', server]];
    const found = path === '/' || path === '/index.html';
    const res: HttpResponse = found
      ? {
          status: 200,
          headers: [...common, ['Last-Modified', httpDate(LAST_MODIFIED)], ['ETag', '"2d-432a5e4a73a80"'], ['Accept-Ranges', 'bytes'],
            ['Content-Length', String(Buffer.byteLength(HTTPD_INDEX))], ['Content-Type', 'text/html']],
          body: HTTPD_INDEX,
        }
      : { status: 404, headers: [...common, ['Content-Length', String(Buffer.byteLength(NOT_FOUND))], ['Content-Type', 'text/html; charset=iso-8859-1']], body: NOT_FOUND };
    if (req.method === 'HEAD') res.headOnly = true;
    self.log('stdout', `${peer.ip} - - [${nginxTimeLocal(now())}] "${req.method} ${req.target} ${req.version}" ${res.status} ${res.headOnly ? '-' : Buffer.byteLength(res.body)}\n`);
    return res;
  };
}

/** `httpd-foreground` (`httpd -DFOREGROUND`): the ServerName notices, then serve port 80 until killed. */
export const httpdProgram: Program = function* (_argv: string[], ctx: ProcCtx): Proc<number> {
  const { self, sys } = ctx;
  const notice = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${self.podIP}. Set the 'ServerName' directive globally to suppress this message\n`;
  ctx.io.err(notice);
  ctx.io.err(notice);
  const t = new Date(sys.clock.now()).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) (\S+) GMT$/, '$1 $3 $2 $5.000000 $4');
  ctx.io.err(`[${t}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/${httpdVersion(self)} (Unix) configured -- resuming normal operations\n`);
  ctx.io.err(`[${t}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'\n`);
  self.listen({ port: 80, protocol: 'TCP', http: handler(self, () => sys.clock.now()) });
  return yield* forever();
};
