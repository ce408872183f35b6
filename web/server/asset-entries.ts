// What the portal's asset pipeline moves: its entry names and one bundled file. Shared
// by the run-time bundler (assets.ts) and the prebuilt bundles (prebuilt/), so neither
// imports the other.

/** Browser entry points (web/client/<name>.ts) and the stylesheet. */
export const ENTRIES = ['exercise', 'dashboard', 'common', 'terminal'] as const;
export type Entry = (typeof ENTRIES)[number] | 'style';

/** One bundled asset before hashing; `gzip` when already compressed (prebuilt). */
export interface Bundled {
  readonly entry: Entry;
  readonly ext: 'js' | 'css';
  readonly body: Buffer;
  readonly gzip?: Buffer;
}
