// `kubelab version`: the version in kubelab's own package.json.
import { readFileSync } from 'node:fs';
import * as z from '../../graders/zod-mini.ts';
import { packagePath } from '../paths/package-root.ts';

const PackageJson = z.object({ version: z.string() });

export function version(): string {
  return PackageJson.parse(JSON.parse(readFileSync(packagePath('package.json'), 'utf8'))).version;
}
