// zod's tree-shakable API (zod/mini) for the schemas `kubelab grade` loads: importing
// classic zod costs that one-shot command ~50 ms of its start-up. Import it from here
// (`import * as z from '.../zod-mini.ts'`), not from 'zod/mini', so the schemas behave
// as classic ones do: classic zod installs English messages and its cycle-safe memoizer
// on its first schema; zod/mini leaves both unset (every issue would read "Invalid input").
// Re-exported with `export *`, so the bundler still keeps only what is used.
import { config, locales, memoizer } from 'zod/mini';

// Only when unset, as classic zod does: whichever of the two loads first, the result is the same.
if (!config().localeError) config(locales.en());
if (!config().memoizer) config({ memoizer: memoizer() });

export * from 'zod/mini';
