import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXERCISES_DIR } from '../catalog/loader.ts';
import { ConfigError, loadConfig } from './config.ts';
import { parseDuration } from './duration.ts';

const cwd = '/srv/kubelab';

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env, { cwd });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.variable}: ${p.message}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has sane defaults for an empty environment', () => {
    expect(loadConfig({}, { cwd })).toEqual({
      warmEnvironments: {},
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/srv/kubelab/data',
      cluster: { mode: 'embedded' },
      publicUrl: 'http://127.0.0.1:8080',
      gradingConcurrency: 4,
      namespaceTtlMs: 2 * 3_600_000,
      maxEnvironments: 200,
      maxEnvironmentsPerLearner: 3,
      embeddedSpeed: 5,
      exercisesDir: DEFAULT_EXERCISES_DIR,
      adminToken: undefined,
      learnerApiServer: undefined,
      workspaceImage: 'kubelab/workspace:0.1.0',
      terminalIdleMs: 15 * 60_000,
      logLevel: 'info',
      rateLimitPerMinute: 600,
      webhooksAllowPrivate: false,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '9000',
        HOST: '0.0.0.0',
        KUBELAB_DATA_DIR: 'var/db',
        KUBELAB_CLUSTER: 'kubeconfig',
        KUBECONFIG: '/etc/kube/config',
        KUBELAB_PUBLIC_URL: 'https://labs.example.edu/kubelab/',
        KUBELAB_GRADING_CONCURRENCY: '8',
        KUBELAB_NAMESPACE_TTL: '1h30m',
        KUBELAB_MAX_ENVIRONMENTS: '50',
        KUBELAB_MAX_ENVIRONMENTS_PER_LEARNER: '2',
        KUBELAB_EMBEDDED_SPEED: '100',
        KUBELAB_EXERCISES_DIR: 'my-exercises',
        KUBELAB_ADMIN_TOKEN: 'a'.repeat(40),
        KUBELAB_LEARNER_API_SERVER: 'https://127.0.0.1:6443/',
        KUBELAB_WORKSPACE_IMAGE: 'registry.example.edu/labs/workspace:2',
        KUBELAB_TERMINAL_IDLE: '5m',
        LOG_LEVEL: 'debug',
        KUBELAB_RATE_LIMIT: '0',
        KUBELAB_WEBHOOKS_ALLOW_PRIVATE: '1',
      },
      { cwd },
    );
    expect(config).toEqual({
      warmEnvironments: {},
      port: 9000,
      host: '0.0.0.0',
      dataDir: path.resolve(cwd, 'var/db'),
      cluster: { mode: 'kubeconfig', kubeconfig: '/etc/kube/config' },
      publicUrl: 'https://labs.example.edu/kubelab',
      gradingConcurrency: 8,
      namespaceTtlMs: 90 * 60_000,
      maxEnvironments: 50,
      maxEnvironmentsPerLearner: 2,
      embeddedSpeed: 100,
      exercisesDir: path.resolve(cwd, 'my-exercises'),
      adminToken: 'a'.repeat(40),
      learnerApiServer: 'https://127.0.0.1:6443',
      workspaceImage: 'registry.example.edu/labs/workspace:2',
      terminalIdleMs: 5 * 60_000,
      logLevel: 'debug',
      rateLimitPerMinute: 0,
      webhooksAllowPrivate: true,
    });
  });

  it('derives the public URL from HOST and PORT, bracketing IPv6', () => {
    expect(loadConfig({ HOST: '::1', PORT: '81' }, { cwd }).publicUrl).toBe('http://[::1]:81');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '  ' }, { cwd })).toMatchObject({ port: 8080, logLevel: 'info' });
  });

  it('ignores variables it does not own', () => {
    expect(() => loadConfig({ HOME: '/root', PATH: '!!' }, { cwd })).not.toThrow();
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: expected an integer 0–65535, got "abc"'],
    [{ PORT: '65536' }, 'PORT: expected an integer 0–65535, got "65536"'],
    [{ PORT: '-1' }, 'PORT: expected an integer 0–65535, got "-1"'],
    [{ PORT: '80.5' }, 'PORT: expected an integer 0–65535, got "80.5"'],
    [{ HOST: 'http://x' }, 'HOST: expected a host name or IP address, got "http://x"'],
    [{ KUBELAB_CLUSTER: 'kind' }, 'KUBELAB_CLUSTER: expected one of embedded|kubeconfig, got "kind"'],
    [{ KUBELAB_PUBLIC_URL: 'ftp://x' }, 'KUBELAB_PUBLIC_URL: expected an http(s) URL without a query, got "ftp://x"'],
    [{ KUBELAB_PUBLIC_URL: 'not a url' }, 'KUBELAB_PUBLIC_URL: expected an http(s) URL without a query, got "not a url"'],
    [{ KUBELAB_LEARNER_API_SERVER: 'kind:6443' }, 'KUBELAB_LEARNER_API_SERVER: expected an http(s) URL without a query, got "kind:6443"'],
    [{ KUBELAB_GRADING_CONCURRENCY: '0' }, 'KUBELAB_GRADING_CONCURRENCY: expected an integer 1–64, got "0"'],
    [
      { KUBELAB_NAMESPACE_TTL: '2 hours' },
      'KUBELAB_NAMESPACE_TTL: expected a duration between 1m and 30d such as 2h, 90m or 1h30m, got "2 hours"',
    ],
    [
      { KUBELAB_NAMESPACE_TTL: '30s' },
      'KUBELAB_NAMESPACE_TTL: expected a duration between 1m and 30d such as 2h, 90m or 1h30m, got "30s"',
    ],
    [{ KUBELAB_MAX_ENVIRONMENTS: 'many' }, 'KUBELAB_MAX_ENVIRONMENTS: expected an integer 1–100000, got "many"'],
    [{ KUBELAB_EMBEDDED_SPEED: '1000' }, 'KUBELAB_EMBEDDED_SPEED: expected an integer 1–100, got "1000"'],
    [{ KUBELAB_WEBHOOKS_ALLOW_PRIVATE: 'yes' }, 'KUBELAB_WEBHOOKS_ALLOW_PRIVATE: expected 1 or 0, got "yes"'],
    [
      { KUBELAB_MAX_ENVIRONMENTS: '5', KUBELAB_MAX_ENVIRONMENTS_PER_LEARNER: '6' },
      'KUBELAB_MAX_ENVIRONMENTS_PER_LEARNER: must not exceed KUBELAB_MAX_ENVIRONMENTS (5), got 6',
    ],
    [{ KUBELAB_ADMIN_TOKEN: 'short' }, 'KUBELAB_ADMIN_TOKEN: expected at least 32 characters, got 5'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: expected one of fatal|error|warn|info|debug|trace|silent, got "loud"'],
    [{ KUBELAB_RATE_LIMIT: '-1' }, 'KUBELAB_RATE_LIMIT: expected an integer 0–1000000, got "-1"'],
  ])('rejects %j', (env, message) => {
    expect(problemsOf(env)).toEqual([message]);
  });

  it('names every bad variable at once, one per line', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'x', LOG_LEVEL: 'y' }, { cwd });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error instanceof Error ? error.message : '')).toBe(
      [
        'invalid configuration:',
        '  PORT: expected an integer 0–65535, got "x"',
        '  LOG_LEVEL: expected one of fatal|error|warn|info|debug|trace|silent, got "y"',
      ].join('\n'),
    );
  });

  it('never echoes the admin token in its error', () => {
    const secret = 'tooShortSecret';
    expect(problemsOf({ KUBELAB_ADMIN_TOKEN: secret }).join('\n')).not.toContain(secret);
  });

  it('requires KUBECONFIG in kubeconfig mode and ignores it otherwise', () => {
    expect(problemsOf({ KUBELAB_CLUSTER: 'kubeconfig' })).toEqual(['KUBECONFIG: required when KUBELAB_CLUSTER=kubeconfig']);
    expect(loadConfig({ KUBECONFIG: '/home/me/.kube/config' }, { cwd }).cluster).toEqual({ mode: 'embedded' });
    expect(loadConfig({ KUBELAB_CLUSTER: 'kubeconfig', KUBECONFIG: 'kc.yaml' }, { cwd }).cluster).toEqual({
      mode: 'kubeconfig',
      kubeconfig: '/srv/kubelab/kc.yaml',
    });
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig({}, { cwd }))).toBe(true);
  });
});

describe('parseDuration', () => {
  it.each([
    ['2h', 7_200_000],
    ['90m', 5_400_000],
    ['1h30m', 5_400_000],
    ['1d', 86_400_000],
    ['500ms', 500],
    ['45s', 45_000],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'h', '2', '2x', '1.5h', '-1h', ' 2h', '2h ', '99999999999999999999d'])('rejects %j', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );
});
