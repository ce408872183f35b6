// The official postgres image: docker-entrypoint.sh refuses to initialise without a
// superuser password, else initdb runs and postgres listens on 5432.
// Source: docker-library/postgres docker-entrypoint.sh (docker_verify_minimum_env).

import { resolveHost } from '../net/resolve.ts';
import type { Proc } from '../proc.ts';
import { parseImageRef, versionFromTag } from './ref.ts';
import { forever } from './serve.ts';
import type { Program, ProcCtx } from './types.ts';

const NO_PASSWORD = `Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.

       See PostgreSQL documentation about "trust":
       https://www.postgresql.org/docs/current/auth-trust.html
`;

function pgTime(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}

export const postgresEntrypoint: Program = function* (argv: string[], ctx: ProcCtx): Proc<number> {
  const { env, io, self, sys } = ctx;
  const target = argv[1] ?? '';
  if (target !== 'postgres') {
    const prog = self.image.programs[target.split('/').pop() ?? ''];
    if (!prog) {
      io.err(`/usr/local/bin/docker-entrypoint.sh: line 351: exec: ${target}: not found\n`);
      return 127;
    }
    return yield* prog(argv.slice(1), ctx);
  }
  if (!env.get('POSTGRES_PASSWORD') && env.get('POSTGRES_HOST_AUTH_METHOD') !== 'trust') {
    io.err(NO_PASSWORD);
    return 1;
  }
  const version = versionFromTag(parseImageRef(self.spec.image).tag, '17.5.0').replace(/\.0$/, '');
  io.out(`The files belonging to this database system will be owned by user "postgres".
This user must also own the server process.

The database cluster will be initialized with locale "en_US.utf8".
The default database encoding has accordingly been set to "UTF8".
The default text search configuration will be set to "english".

Data page checksums are disabled.

fixing permissions on existing directory /var/lib/postgresql/data ... ok
creating subdirectories ... ok
selecting dynamic shared memory implementation ... posix
selecting default "max_connections" ... 100
selecting default "shared_buffers" ... 128MB
selecting default time zone ... Etc/UTC
creating configuration files ... ok
running bootstrap script ... ok
performing post-bootstrap initialization ... ok
syncing data to disk ... ok


Success. You can now start the database server using:

    pg_ctl -D /var/lib/postgresql/data -l logfile start

waiting for server to start.... done
server started

/usr/local/bin/docker-entrypoint.sh: ignoring /docker-entrypoint-initdb.d/*

waiting for server to shut down.... done
server stopped

PostgreSQL init process complete; ready for start up.

`);
  const t = pgTime(sys.clock.now());
  for (const line of [
    `starting PostgreSQL ${version} on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14+deb12u1) 12.2.0, 64-bit`,
    'listening on IPv4 address "0.0.0.0", port 5432', 'listening on IPv6 address "::", port 5432',
    'listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"', 'database system is ready to accept connections',
  ]) io.err(`${t} [1] LOG:  ${line}\n`);
  // The startup packet of anything else is not a valid protocol message: postgres logs it and closes.
  self.listen({ port: 5432, protocol: 'TCP', tcp: (data) => {
    if (data) io.err(`${pgTime(sys.clock.now())} [64] LOG:  invalid length of startup packet\n`);
    return '';
  } });
  return yield* forever();
};

/** pg_isready [-h host] [-p port]: 0 accepting, 2 no response. */
export const pgIsReady: Program = function* (argv: string[], ctx: ProcCtx): Proc<number> {
  let host = ctx.env.get('PGHOST') ?? '';
  let port = Number(ctx.env.get('PGPORT') ?? '5432');
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '-h' || a === '--host') host = argv[++i] ?? '';
    else if (a.startsWith('--host=')) host = a.slice(7);
    else if (a === '-p' || a === '--port') port = Number(argv[++i]);
    else if (a.startsWith('--port=')) port = Number(a.slice(7));
  }
  const label = `${host || '/var/run/postgresql'}:${port}`;
  const r = host ? resolveHost(ctx, host) : { ips: [ctx.self.podIP], name: host };
  const ip = 'ips' in r ? r.ips[0] : undefined;
  const conn = ip ? ctx.sys.connect(ctx.self, ip, port, 'TCP') : undefined;
  const up = conn?.kind === 'ok' && conn.server.image.repos.includes('postgres');
  ctx.io.out(`${label} - ${up ? 'accepting connections' : 'no response'}\n`);
  return up ? 0 : 2;
};

