// Smaller images: redis, mysql, coredns, pause and the curl image's entrypoint.
// Sources: docker-library/redis and mysql docker-entrypoint.sh; curl/curl-container entrypoint.sh.

import type { Proc } from '../proc.ts';
import { forever } from './serve.ts';
import type { Program, ProcCtx } from './types.ts';

/** docker-entrypoint.sh that starts `server` (by name) or execs anything else. */
function execOr(target: string, ctx: ProcCtx, argv: string[], script: string): Proc<number> | undefined {
  if (argv[1] === target) return undefined;
  const name = (argv[1] ?? '').split('/').pop() ?? '';
  const prog = ctx.self.image.programs[name];
  if (!prog) {
    return (function* (): Proc<number> {
      ctx.io.err(`${script}: exec: ${argv[1] ?? ''}: not found\n`);
      return 127;
    })();
  }
  return prog(argv.slice(1), ctx);
}

export const redisEntrypoint: Program = function* (argv: string[], ctx: ProcCtx): Proc<number> {
  const other = execOr('redis-server', ctx, argv, '/usr/local/bin/docker-entrypoint.sh');
  if (other) return yield* other;
  const ts = (): string => {
    const d = new Date(ctx.sys.clock.now());
    const mon = d.toUTCString().slice(8, 11);
    return `${String(d.getUTCDate()).padStart(2, '0')} ${mon} ${d.getUTCFullYear()} ${d.toISOString().slice(11, 23)}`;
  };
  ctx.io.out(`1:C ${ts()} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n`);
  ctx.io.out(`1:M ${ts()} * Running mode=standalone, port=6379.\n`);
  ctx.io.out(`1:M ${ts()} * Server initialized\n1:M ${ts()} * Ready to accept connections tcp\n`);
  ctx.self.listen({
    port: 6379,
    protocol: 'TCP',
    tcp: (data) => {
      let out = '';
      for (const line of data.split(/\r?\n/)) {
        const cmd = line.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
        if (!cmd) continue;
        if (cmd === 'PING') out += '+PONG\r\n';
        else if (cmd === 'QUIT') { out += '+OK\r\n'; break; }
        else out += `-ERR unknown command '${line.trim().split(/\s+/)[0]}', with args beginning with: \r\n`;
      }
      return out;
    },
  });
  return yield* forever();
};

export const mysqlEntrypoint: Program = function* (argv: string[], ctx: ProcCtx): Proc<number> {
  const other = execOr('mysqld', ctx, argv, '/usr/local/bin/docker-entrypoint.sh');
  if (other) return yield* other;
  const ts = (): string => new Date(ctx.sys.clock.now()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '+00:00');
  ctx.io.out(`${ts()} [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.5-1.el9 started.\n`);
  const env = ctx.env;
  if (!env.get('MYSQL_ROOT_PASSWORD') && !env.get('MYSQL_ALLOW_EMPTY_PASSWORD') && !env.get('MYSQL_RANDOM_ROOT_PASSWORD')) {
    ctx.io.err(`${ts()} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified
    You need to specify one of the following as an environment variable:
    - MYSQL_ROOT_PASSWORD
    - MYSQL_ALLOW_EMPTY_PASSWORD
    - MYSQL_RANDOM_ROOT_PASSWORD
`);
    return 1;
  }
  ctx.io.out(`${ts()} [Note] [Entrypoint]: MySQL init process done. Ready for start up.\n`);
  ctx.io.err(`${ts()} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.5'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.\n`);
  // A MySQL server speaks first: the handshake packet (protocol 10) with its version.
  ctx.self.listen({ port: 3306, protocol: 'TCP', tcp: () => '\x4a\x00\x00\x00\x0a8.4.5\x00' });
  return yield* forever();
};

export const corednsProgram: Program = function* (_argv: string[], ctx: ProcCtx): Proc<number> {
  ctx.io.out('.:53\n[INFO] plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b\nCoreDNS-1.11.3\nlinux/amd64, go1.21.11, a6338e9\n');
  // Queries are answered by the runtime's cluster DNS (net/dns.ts); listening makes port 53 reachable.
  ctx.self.listen({ port: 53, protocol: 'UDP' });
  ctx.self.listen({ port: 53, protocol: 'TCP' });
  ctx.self.listen({ port: 8080, protocol: 'TCP', http: () => ({ status: 200, headers: [['Content-Length', '2']], body: 'OK' }) });
  ctx.self.listen({ port: 8181, protocol: 'TCP', http: () => ({ status: 200, headers: [['Content-Length', '2']], body: 'OK' }) });
  return yield* forever();
};

export const pauseProgram: Program = function* (): Proc<number> {
  return yield* forever();
};

/** curlimages/curl /entrypoint.sh: `curl` unless the first arg is a program. */
export const curlEntrypoint: Program = function* (argv: string[], ctx: ProcCtx): Proc<number> {
  const rest = argv.slice(1);
  const first = rest[0] ?? '';
  const prog = !first.startsWith('-') && first ? ctx.self.image.programs[first.split('/').pop() ?? ''] : undefined;
  if (prog) return yield* prog(rest, ctx);
  const curl = ctx.self.image.programs['curl'];
  if (!curl) return 127;
  return yield* curl(first === 'curl' ? rest : ['curl', ...rest], ctx);
};
