// `kubelab sim --port P --kubeconfig-out FILE [--seed N] [--state-file DB]`: run the
// embedded cluster standalone until SIGTERM/SIGINT, with its admin kubeconfig written
// to FILE; with --state-file its objects, CA and tokens survive a restart.

import { chmod, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ClusterStartError, startCluster } from './index.ts';

const argsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(6443),
  'kubeconfig-out': z.string().min(1),
  seed: z.coerce.number().int().optional(),
  'state-file': z.string().min(1).optional(),
});

const USAGE = 'usage: kubelab sim --port P --kubeconfig-out FILE [--seed N] [--state-file DB]\n';

const WRITE_FAILURES: Record<string, string> = {
  ENOENT: 'its directory does not exist',
  ENOTDIR: 'a part of its path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  EROFS: 'the file system is read-only',
};

function errnoOf(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

export async function runSim(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, 'kubeconfig-out': { type: 'string' }, seed: { type: 'string' }, 'state-file': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    process.stderr.write(`kubelab sim: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ');
    process.stderr.write(`kubelab sim: ${why}\n${USAGE}`);
    return 2;
  }
  const args = parsed.data;
  let cluster;
  try {
    cluster = await startCluster({ port: args.port, seed: args.seed, ...(args['state-file'] ? { stateFile: args['state-file'] } : {}) });
  } catch (err) {
    if (err instanceof ClusterStartError) {
      process.stderr.write(`kubelab sim: ${err.message}\n`);
      return 1;
    }
    const code = errnoOf(err);
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      const why = code === 'EADDRINUSE' ? 'the port is in use (choose another with --port, or --port 0 for any free one)' : 'permission denied (ports below 1024 need privileges)';
      process.stderr.write(`kubelab sim: cannot listen on 127.0.0.1:${args.port}: ${why}\n`);
      return 1;
    }
    throw err;
  }
  const file = args['kubeconfig-out'];
  try {
    await writeFile(file, cluster.kubeconfig, { mode: 0o600 });
    // mode only applies to a new file; an existing one is tightened explicitly.
    await chmod(file, 0o600);
  } catch (err) {
    await cluster.close();
    const code = errnoOf(err);
    if (code === undefined) throw err;
    process.stderr.write(`kubelab sim: cannot write --kubeconfig-out ${file}: ${WRITE_FAILURES[code] ?? code}\n`);
    return 1;
  }
  process.stdout.write(`kubesim ready at ${cluster.url} (kubeconfig: ${file})\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await cluster.close();
  return 0;
}
