// `kubelab version` (the version in kubelab's own package.json) and `kubelab help`, as
// the full CLI (dispatch.ts) and the quick one (quick.ts) both answer them.
import { readFileSync } from 'node:fs';
import * as z from '../../graders/zod-mini.ts';
import { packagePath } from '../paths/package-root.ts';
import type { Io } from './io.ts';
import { USAGE } from './usage.ts';

const PackageJson = z.object({ version: z.string() });

export function version(): string {
  return PackageJson.parse(JSON.parse(readFileSync(packagePath('package.json'), 'utf8'))).version;
}

/** Prints the usage or the version; exit code 0. */
export function helpOrVersion(name: 'help' | 'version', io: Io): number {
  io.out(name === 'help' ? USAGE : `kubelab ${version()}\n`);
  return 0;
}
