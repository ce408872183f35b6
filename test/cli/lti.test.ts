// `kubelab lti register|list|remove` against a real data directory, in-process through
// main(): what each prints, what it stores (the registration, the tool key), and its
// refusals named by flag.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../server/cli/main.ts';
import { databaseFile, openDatabase } from '../../server/db/database.ts';
import { PlatformsRepo } from '../../server/lti/platforms.ts';
import { cleanEnv, REPO } from './run.ts';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(data: string, args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, env: cleanEnv({ KUBELAB_DATA_DIR: data, KUBELAB_PUBLIC_URL: 'https://labs.school.example' }), cwd: REPO });
  return { code, out, err };
}

const register = ['lti', 'register', '--name', 'Canvas', '--issuer', 'https://canvas.instructure.com', '--client-id', '10000000000001',
  '--auth-url', 'https://sso.canvaslms.com/api/lti/authorize_redirect', '--token-url', 'https://sso.canvaslms.com/login/oauth2/token',
  '--jwks-url', 'https://sso.canvaslms.com/api/lti/security/jwks', '--deployment', '1:abc', '--deployment', '2:def'];

describe('kubelab lti', () => {
  it('registers a platform, prints the URLs to paste, lists and removes it', async () => {
    const data = mkdtempSync(path.join(tmpdir(), 'kubelab-cli-lti-'));
    temps.push(data);
    const made = await run(data, register);
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    expect(made.out).toContain('registered LTI platform 1 (Canvas)');
    for (const url of ['https://labs.school.example/lti/login', 'https://labs.school.example/lti/launch', 'https://labs.school.example/lti/jwks.json']) expect(made.out).toContain(url);
    const db = openDatabase(databaseFile(data));
    try {
      expect(new PlatformsRepo(db.sqlite, Date.now).list().map((p) => p.deploymentIds)).toEqual([['1:abc', '2:def']]);
      expect(db.sqlite.prepare('SELECT count(*) AS n FROM lti_keys').get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    expect(made.out).not.toContain('PRIVATE');
    const again = await run(data, register);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already registered');
    const listed = await run(data, ['lti', 'list']);
    expect(listed.out).toMatch(/^ID\s+NAME\s+ISSUER\s+CLIENT_ID\s+DEPLOYMENTS\n1\s+Canvas\s+https:\/\/canvas\.instructure\.com\s+10000000000001\s+1:abc,2:def\n$/);
    expect((await run(data, ['lti', 'remove', '1'])).code).toBe(0);
    expect((await run(data, ['lti', 'list'])).out).toBe('ID  NAME  ISSUER  CLIENT_ID  DEPLOYMENTS\n');
    expect((await run(data, ['lti', 'remove', '1'])).code).toBe(1);
  });

  it.each([
    ['a missing flag', register.filter((a, i) => a !== '--jwks-url' && register[i - 1] !== '--jwks-url'), '--jwks-url'],
    ['an http URL that is not localhost', register.map((a) => (a === 'https://sso.canvaslms.com/login/oauth2/token' ? 'http://sso.canvaslms.com/token' : a)), '--token-url'],
    ['no deployment', register.filter((a, i) => a !== '--deployment' && register[i - 1] !== '--deployment'), '--deployment'],
    ['an unknown flag', [...register, '--secret', 'x'], 'secret'],
    ['a bad id to remove', ['lti', 'remove', 'one'], 'PLATFORM_ID'],
    ['no subcommand', ['lti'], 'missing subcommand'],
  ])('refuses %s (exit 2), naming it', async (_name, args, named) => {
    const data = mkdtempSync(path.join(tmpdir(), 'kubelab-cli-lti-'));
    temps.push(data);
    const res = await run(data, args);
    expect(res.code).toBe(2);
    expect(res.err).toContain(named);
  });
});
