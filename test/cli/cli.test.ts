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

  it('validate exits 1 for a directory that does not exist', async () => {
    const result = await kubelab(['exercises', 'validate', 'no/such/dir']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('no/such/dir: (file): no such directory');
  });
});

describe('kubelab usage and configuration', () => {
  it('exits 2 naming each bad variable, without a stack trace', async () => {
    const result = await kubelab(['exercises', 'list'], { env: { PORT: 'abc', KUBELAB_CLUSTER: 'kubeconfig' } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('PORT: expected an integer 0–65535, got "abc"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
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
