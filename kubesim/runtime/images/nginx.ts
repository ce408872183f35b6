// The official nginx image: docker-entrypoint.sh prints its configuration steps,
// nginx serves /usr/share/nginx/html on port 80 and logs in the `main` format.
// Source: nginxinc/docker-nginx (mainline/debian: Dockerfile, docker-entrypoint.sh, nginx.conf).

import { httpDate, requestPath, type HttpRequest, type HttpResponse } from '../net/http.ts';
import type { Proc } from '../proc.ts';
import { forever } from './serve.ts';
import { nginxTimeLocal, parseImageRef, slashTime, versionFromTag } from './ref.ts';
import type { ContainerHandle, Peer, Program, ProcCtx } from './types.ts';

export const NGINX_INDEX = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const LAST_MODIFIED = Date.parse('2025-04-23T11:48:54Z');

export function nginxVersion(self: ContainerHandle): string {
  return versionFromTag(parseImageRef(self.spec.image).tag, '1.29.0');
}

/** nginx's built-in error page (ngx_http_special_response.c): CRLF lines. */
function errorPage(status: number, reason: string, version: string): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`;
}

export function nginxHandler(self: ContainerHandle, now: () => number, workerPid: number) {
  const version = nginxVersion(self);
  let connection = 0;
  return (req: HttpRequest, peer: Peer): HttpResponse => {
    connection++;
    const path = requestPath(req);
    const common: [string, string][] = [['Server', `nginx/${version}`], ['Date', httpDate(now())]];
    const keep = req.version === 'HTTP/1.1' && req.headers.get('connection')?.toLowerCase() !== 'close';
    const conn: [string, string] = ['Connection', keep ? 'keep-alive' : 'close'];
    let res: HttpResponse;
    const file = path === '/' || path === '/index.html' ? NGINX_INDEX : undefined;
    if (file !== undefined && (req.method === 'GET' || req.method === 'HEAD')) {
      res = {
        status: 200,
        headers: [...common, ['Content-Type', 'text/html'], ['Content-Length', String(Buffer.byteLength(file))],
          ['Last-Modified', httpDate(LAST_MODIFIED)], conn,
          ['ETag', `"${(LAST_MODIFIED / 1000).toString(16)}-${Buffer.byteLength(file).toString(16)}"`], ['Accept-Ranges', 'bytes']],
        body: file,
      };
    } else {
      const [status, reason] = file !== undefined ? [405, 'Not Allowed'] : [404, 'Not Found'];
      const body = errorPage(status, reason, version);
      res = { status, headers: [...common, ['Content-Type', 'text/html'], ['Content-Length', String(Buffer.byteLength(body))], conn], body };
      if (status === 404) {
        self.log('stderr', `${slashTime(now())} [error] ${workerPid}#${workerPid}: *${connection} open() "/usr/share/nginx/html${path}" failed (2: No such file or directory), client: ${peer.ip}, server: localhost, request: "${req.method} ${req.target} ${req.version}", host: "${req.headers.get('host') ?? ''}"\n`);
      }
    }
    if (req.method === 'HEAD') res.headOnly = true;
    const sent = res.headOnly ? 0 : Buffer.byteLength(res.body);
    const h = (n: string): string => req.headers.get(n) || '-';
    self.log('stdout', `${peer.ip} - - [${nginxTimeLocal(now())}] "${req.method} ${req.target} ${req.version}" ${res.status} ${sent} "${h('referer')}" "${h('user-agent')}" "${h('x-forwarded-for')}"\n`);
    return res;
  };
}

/** `nginx -g 'daemon off;'`: startup notices on stderr, then serve port 80 until killed. */
export const nginxProgram: Program = function* (argv: string[], ctx: ProcCtx): Proc<number> {
  const { self, sys } = ctx;
  if (argv.includes('-v') || argv.includes('-V')) {
    ctx.io.err(`nginx version: nginx/${nginxVersion(self)}\n`);
    return 0;
  }
  const t = slashTime(sys.clock.now());
  const worker = 29;
  for (const line of [
    'using the "epoll" event method', `nginx/${nginxVersion(self)}`, 'built by gcc 12.2.0 (Debian 12.2.0-14+deb12u1) ',
    'OS: Linux 6.8.0-1021-azure', 'getrlimit(RLIMIT_NOFILE): 1048576:1048576', 'start worker processes', `start worker process ${worker}`,
  ]) ctx.io.err(`${t} [notice] 1#1: ${line}\n`);
  const handler = nginxHandler(self, () => sys.clock.now(), worker);
  self.listen({ port: 80, protocol: 'TCP', http: handler });
  return yield* forever();
};

/** /docker-entrypoint.sh: runs the /docker-entrypoint.d scripts when starting nginx, then execs. */
export function entrypointFor(next: Record<string, Program>): Program {
  return function* (argv: string[], ctx: ProcCtx): Proc<number> {
    const rest = argv.slice(1);
    const target = rest[0] ?? '';
    if (target === 'nginx' || target === 'nginx-debug') {
      const me = '/docker-entrypoint.sh';
      for (const line of [
        `${me}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration`,
        `${me}: Looking for shell scripts in /docker-entrypoint.d/`,
        `${me}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh`,
        '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
        '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
        `${me}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh`,
        `${me}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh`,
        `${me}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh`,
        `${me}: Configuration complete; ready for start up`,
      ]) ctx.io.out(`${line}\n`);
    }
    const prog = next[target.split('/').pop() ?? ''];
    if (!prog) {
      ctx.io.err(`/docker-entrypoint.sh: exec: line 47: ${target}: not found\n`);
      return 127;
    }
    return yield* prog(rest, ctx);
  };
}
