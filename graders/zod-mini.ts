// zod's tree-shakable API (zod/mini) for the schemas `kubelab grade` loads: importing
// classic zod costs that one-shot command ~50 ms of its start-up. Import `z` from here,
// not from 'zod/mini', so the schemas behave as classic ones do: classic zod installs
// English messages and its cycle-safe memoizer on its first schema; zod/mini leaves
// both unset (every issue would read "Invalid input").
import * as z from 'zod/mini';

// Only when unset: the same defaults classic zod installs, so whichever loads first wins nothing.
if (!z.config().localeError) z.config(z.locales.en());
if (!z.config().memoizer) z.config({ memoizer: z.memoizer() });

export { z };
