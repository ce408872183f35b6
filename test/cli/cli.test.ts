import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../server/catalog/loader.ts';
import { loadConfig } from '../../server/config/config.ts';
import { kubelab, REPO } from './run.ts';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-cli-'));
  temps.push(dir);
  return dir;
}

describe('kubelab exercises', () => {
  it('list prints a table with every exercise id', async () => {
    const catalog = await loadCatalog(loadConfig({}).exercisesDir);
    const result = await kubelab(['exercises', 'list']);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+TITLE\s+MINUTES\s+CHECKS$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual(catalog.exercises.map((e) => e.id));
  });

  it('validate exercises/* exits 0 (README.md and other files are skipped)', async () => {
    const entries = readdirSync(path.join(REPO, 'exercises')).map((name) => `exercises/${name}`);
    const result = await kubelab(['exercises', 'validate', ...entries]);
    expect(result.stdout).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/no problems/);
  });

  it('validate exits 1 on a broken copy, naming the file and the field', async () => {
    const root = tempDir();
    const folder = path.join(root, 'clusterip-basics');
    cpSync(path.join(REPO, 'exercises', 'clusterip-basics'), folder, { recursive: true });
    const yamlFile = path.join(folder, 'exercise.yaml');
    const yaml = readFileSync(yamlFile, 'utf8');
    expect(yaml).toMatch(/^minutes: \d+$/m);
    writeFileSync(yamlFile, yaml.replace(/^minutes: \d+$/m, 'minutes: soon'));

    const one = await kubelab(['exercises', 'validate', folder]);
    expect(one.exitCode).toBe(1);
    expect(one.stdout).toContain(`${path.join(folder, 'exercise.yaml')}: minutes: `);

    const whole = await kubelab(['exercises', 'validate', root]);
    expect(whole.exitCode).toBe(1);
    expect(whole.stdout).toContain(`${path.join(root, 'clusterip-basics', 'exercise.yaml')}: minutes: `);
  });

  it('validate exits 1 for a directory that does not exist, saying so', async () => {
    const result = await kubelab(['exercises', 'validate', 'exercises/nope']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('exercises/nope: (file): no such directory: expected an exercise folder holding exercise.yaml, or a catalog folder of them');
    expect(result.stderr).toBe('1 problem(s) in 1 location(s): exercises/nope does not exist');
  });

  it('validate exits 1 with one problem for a folder that is neither an exercise nor a catalog', async () => {
    const result = await kubelab(['exercises', 'validate', 'exercises/clusterip-basics/mistakes']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe(
      'exercises/clusterip-basics/mistakes: (file): not an exercise folder (no exercise.yaml) nor a catalog (no sub-folder holds one): expected an exercise folder holding exercise.yaml, or a catalog folder of them',
    );
    expect(result.stderr).toBe('1 problem(s) in 1 location(s): exercises/clusterip-basics/mistakes is not an exercise');
  });
});

describe('kubelab usage and configuration', () => {
  it('exits 2 naming each bad variable, without a stack trace', async () => {
    const result = await kubelab(['exercises', 'list'], { env: { PORT: 'abc', KUBELAB_CLUSTER: 'kubeconfig' } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('PORT: expected an integer 0–65535, got "abc"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('serve with a bad pool file exits 2 naming KUBELAB_CLUSTERS, before it binds or locks anything', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'pool.yaml'), 'clusters: [{ name: a, embedded: true, capacity: -1 }]');
    const result = await kubelab(['serve'], { env: { KUBELAB_CLUSTERS: path.join(dir, 'pool.yaml'), KUBELAB_DATA_DIR: path.join(dir, 'data'), PORT: '0' } });
    expect(result).toMatchObject({ exitCode: 2, stdout: '' });
    expect(result.stderr).toContain('KUBELAB_CLUSTERS: clusters[0].capacity: expected at least 1');
    // Nothing was made: not even the data directory the lock would live in.
    expect(readdirSync(dir)).toEqual(['pool.yaml']);
  });

  it('exits 2 with the usage on stderr for an unknown command', async () => {
    const result = await kubelab(['frobnicate']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
    expect(result.stderr).toContain('Usage: kubelab <command>');
    expect(result.stdout).toBe('');
  });

  it('prints the usage on stdout for --help', async () => {
    const result = await kubelab(['--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('exercises validate [DIR...]');
  });
});

describe('kubelab users add', () => {
  it('prints a token once that authenticates the user; a second call keeps the user and adds a token', async () => {
    const data = tempDir();
    const first = await kubelab(['users', 'add', 'ada', '--role', 'instructor'], { env: { KUBELAB_DATA_DIR: data } });
    expect(first.exitCode).toBe(0);
    expect(first.stderr).toMatch(/^user ada \(instructor, id \d+\): API token below, shown once/);
    const token = first.stdout.trim();
    expect(token).toMatch(/^klb_/);
    const again = await kubelab(['users', 'add', 'ada'], { env: { KUBELAB_DATA_DIR: data } });
    expect(again.stderr).toContain('(instructor,'); // no --role: the existing role stays
    expect(again.stdout.trim()).not.toBe(token);

    const { databaseFile, openDatabase } = await import('../../server/db/database.ts');
    const db = openDatabase(databaseFile(data));
    try {
      expect(db.tokens.authenticate(token)?.user).toMatchObject({ displayName: 'ada', role: 'instructor' });
      expect(db.tokens.authenticate(again.stdout.trim())?.user.id).toBe(db.tokens.authenticate(token)?.user.id);
      // Only the hash is stored.
      expect(readFileSync(databaseFile(data)).includes(Buffer.from(token))).toBe(false);
    } finally {
      db.close();
    }
  });

  it('refuses a bad name with usage and exit 2', async () => {
    const result = await kubelab(['users', 'add', '../etc'], { env: { KUBELAB_DATA_DIR: tempDir() } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('is not a valid user name');
  });
});

describe('kubelab grade, reading its kubeconfig', () => {
  // Through the real bin, so the built bundle's chunks: the fast path (kubeconfig-yaml.ts)
  // and, for anything outside its subset, yaml loaded by a dynamic import.
  it.each([
    ['block YAML (the fast path)', 'apiVersion: v1\nkind: Config\nusers: []\n', /: clusters: Invalid input/],
    ['flow YAML (yaml, imported on demand)', '{"apiVersion": "v1", "kind": "Config", "users": []}\n', /: clusters: Invalid input/],
    ['broken YAML', 'clusters: [\n', /: not valid YAML: /],
  ])('names the problem in %s, exit 2', async (_name, text, message) => {
    const file = path.join(tempDir(), 'kubeconfig');
    writeFileSync(file, text);
    const result = await kubelab(['grade', 'target-port', '-n', 'default', '--kubeconfig', file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
