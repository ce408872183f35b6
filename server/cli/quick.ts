// The commands answered by dist/quick.cjs, a CommonJS bundle of only what they need:
// usage, the version, and the exercise list while the catalog cache holds it. Node runs
// a CommonJS program without starting its ES module loader, and bin/kubelab.cjs keeps
// V8's compiled code of this one script between runs (Node 20 has no compile cache of
// its own), which together take ~30 ms off each of these commands.
//
// Whatever else it is asked, or anything out of the ordinary (a bad setting, a catalog
// that changed and must be validated), it answers undefined: the full CLI (main.ts) then
// runs the command and reports what is wrong, in one place.
import './jitless.ts';
import path from 'node:path';
import { BUILD_CATALOG_CACHE } from '../catalog/build-cache.ts';
import { rememberedSummaries, type CatalogCache, type ExerciseSummary } from '../catalog/cache.ts';
import { ConfigError, loadConfig } from '../config/config.ts';
import { parseArgs } from './args.ts';
import { exerciseTable } from './exercise-table.ts';
import { asksForHelp } from './help.ts';
import { processIo, type Io } from './io.ts';
import { helpOrVersion } from './version.ts';

/**
 * The exit code, or undefined when the full CLI must run the command. `cache`: where the
 * build remembers catalogs (tests pass a scratch one; the sources have none).
 */
export async function runQuick(argv: readonly string[], io: Io = processIo, cache = BUILD_CATALOG_CACHE): Promise<number | undefined> {
  if (asksForHelp(argv)) return helpOrVersion('help', io);
  const parsed = parseArgs(argv);
  if (!parsed.ok) return undefined;
  switch (parsed.command.name) {
    case 'help':
    case 'version':
      return helpOrVersion(parsed.command.name, io);
    case 'exercises list': {
      const exercises = cache && (await rememberedExercises(io, cache));
      if (exercises === undefined) return undefined;
      io.out(exerciseTable(exercises));
      return 0;
    }
    default:
      return undefined;
  }
}

async function rememberedExercises(io: Io, cache: CatalogCache): Promise<ExerciseSummary[] | undefined> {
  let exercisesDir: string;
  try {
    exercisesDir = loadConfig(io.env, { cwd: io.cwd }).exercisesDir;
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
  return rememberedSummaries(path.resolve(exercisesDir), cache);
}
