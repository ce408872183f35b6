// Runs the real `kubelab` bin the way a user does: node bin/kubelab.cjs with an argv array.
import { fileURLToPath } from 'node:url';
import { execa, type Options } from 'execa';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/kubelab.cjs', import.meta.url));

/** Only what the CLI needs from the parent environment: its own variables must come from the test. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = { LOG_LEVEL: 'silent' };
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT']) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  return { ...base, ...extra };
}

export function kubelab(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  const execaOptions = {
    cwd: options.cwd ?? REPO,
    env: cleanEnv(options.env),
    extendEnv: false,
    reject: false,
  } satisfies Options;
  return execa('node', [BIN, ...args], execaOptions);
}
