// Where a build remembers validated catalogs (dist/cache, keyed on the build id). The
// sources, run by tsx, have no build id and always validate.
import { BUILD_ID } from '../paths/build-id.ts';
import { packagePath } from '../paths/package-root.ts';
import type { CatalogCache } from './cache.ts';

export const BUILD_CATALOG_CACHE: CatalogCache | undefined =
  BUILD_ID === undefined ? undefined : { dir: packagePath('dist', 'cache'), codeVersion: BUILD_ID };
