// Pod Security namespace labels → the policy to evaluate (enforce, audit, warn), each
// a level and a version. An unparsable enforce level evaluates as "restricted"; an
// unparsable audit or warn level fails open to "privileged"; an unparsable version
// evaluates as "latest". The defaults (no label) are privileged:latest.
// Source: staging/src/k8s.io/pod-security-admission/api/helpers.go (ParseLevel,
//         ParseVersion, PolicyToEvaluate), api/constants.go

import type { FieldError } from '../../../core/errors.ts';

export type Level = 'privileged' | 'baseline' | 'restricted';
export const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];

/** A policy version: "latest", or v1.<minor>. */
export type Version = { latest: true } | { latest: false; minor: number };
export const LATEST: Version = { latest: true };

export interface LevelVersion {
  level: Level;
  version: Version;
}

export interface Policy {
  enforce: LevelVersion;
  audit: LevelVersion;
  warn: LevelVersion;
}

export type Mode = keyof Policy;
export const LABEL_PREFIX = 'pod-security.kubernetes.io/';

export function versionString(v: Version): string {
  return v.latest ? 'latest' : `v1.${v.minor}`;
}

/** "baseline:latest", as the plugin prints a level and version. */
export function levelVersionString(lv: LevelVersion): string {
  return `${lv.level}:${versionString(lv.version)}`;
}

export function sameLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return levelVersionString(a) === levelVersionString(b);
}

/** -1 when a is less strict than b, 0 equal, 1 stricter (api.CompareLevels). */
export function compareLevels(a: Level, b: Level): number {
  return Math.sign(LEVELS.indexOf(a) - LEVELS.indexOf(b));
}

function parseLevel(value: string): Level | undefined {
  return LEVELS.find((l) => l === value);
}

function parseVersion(value: string): Version | undefined {
  if (value === 'latest') return LATEST;
  const m = /^v1\.([0-9]|[1-9][0-9]*)$/.exec(value);
  if (!m) return undefined;
  const minor = Number(m[1]);
  return Number.isSafeInteger(minor) ? { latest: false, minor } : undefined;
}

function labelError(label: string, value: string, detail: string): FieldError {
  const field = `metadata.labels[${label}]`;
  return { field, type: 'FieldValueInvalid', message: `${field}: Invalid value: ${JSON.stringify(value)}: ${detail}` };
}

/** The namespace's policy, always usable, and the label errors (empty when all parse). */
export function policyFromLabels(labels: Record<string, string> | undefined): { policy: Policy; errors: FieldError[] } {
  const privileged = (): LevelVersion => ({ level: 'privileged', version: LATEST });
  const policy: Policy = { enforce: privileged(), audit: privileged(), warn: privileged() };
  const errors: FieldError[] = [];
  for (const mode of ['enforce', 'audit', 'warn'] as const) {
    const levelLabel = `${LABEL_PREFIX}${mode}`;
    const level = labels?.[levelLabel];
    if (level !== undefined) {
      const parsed = parseLevel(level);
      if (!parsed) errors.push(labelError(levelLabel, level, `must be one of ${LEVELS.join(', ')}`));
      // Enforce fails closed; audit and warn fail open.
      policy[mode].level = parsed ?? (mode === 'enforce' ? 'restricted' : 'privileged');
    }
    const versionLabel = `${levelLabel}-version`;
    const version = labels?.[versionLabel];
    if (version !== undefined) {
      const parsed = parseVersion(version);
      if (!parsed) errors.push(labelError(versionLabel, version, 'must be "latest" or "v1.x"'));
      policy[mode].version = parsed ?? LATEST;
    }
  }
  return { policy, errors };
}
