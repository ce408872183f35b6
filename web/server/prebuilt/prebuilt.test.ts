import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleAll, ENTRIES, type Entry } from '../assets.ts';
import { MANIFEST, readPrebuilt } from './read.ts';
import { writePrebuilt } from './write.ts';

const ALL: Entry[] = [...ENTRIES, 'style'];
let root: string;
let dir: string;
let webDir: string;

/** A web/ folder with one file in each source folder, dated `seconds` after the epoch. */
function fakeWeb(seconds: number): string {
  const web = mkdtempSync(path.join(root, 'web-'));
  for (const [sub, file] of [['client', 'a.ts'], ['styles', 'app.css']] as const) {
    mkdirSync(path.join(web, sub));
    writeFileSync(path.join(web, sub, file), '');
    utimesSync(path.join(web, sub, file), seconds, seconds);
  }
  return web;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'kubelab-prebuilt-'));
  dir = path.join(root, 'dist-web');
  await writePrebuilt(dir);
  // The bundles are dated 2000 s after the epoch; sources at 1000 s are older.
  utimesSync(path.join(dir, MANIFEST), 2000, 2000);
  webDir = fakeWeb(1000);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('prebuilt portal bundles', () => {
  it('read back what bundling now gives, with their gzip', async () => {
    const read = readPrebuilt(ALL, { dir, webDir, compiled: true });
    expect(read?.map((b) => b.entry).sort()).toEqual([...ALL].sort());
    const now = await bundleAll();
    for (const b of read!) {
      expect(b.body.equals(now.find((n) => n.entry === b.entry)!.body)).toBe(true);
      expect(gunzipSync(b.gzip!).equals(b.body)).toBe(true);
    }
  });

  it('are not used by the server run from its sources', () => {
    expect(readPrebuilt(ALL, { dir, webDir, compiled: false })).toBeUndefined();
    // This test runs from the sources: the default says so too.
    expect(readPrebuilt(ALL, { dir, webDir })).toBeUndefined();
  });

  it('are not used once a file under web/client or web/styles is newer', () => {
    expect(statSync(path.join(dir, MANIFEST)).mtimeMs).toBe(2_000_000);
    expect(readPrebuilt(ALL, { dir, webDir: fakeWeb(3000), compiled: true })).toBeUndefined();
  });

  it('are not used when missing, or made for other entries', () => {
    expect(readPrebuilt(ALL, { dir: path.join(root, 'nowhere'), webDir, compiled: true })).toBeUndefined();
    expect(readPrebuilt(['exercise', 'style'], { dir, webDir, compiled: true })).toBeUndefined();
  });
});
