import { describe, expect, it } from 'vitest';
import { isDnsLabel, namespaceFor as salted, ownerHash } from '../../server/environments/naming.ts';

const SALT = 'a'.repeat(64);
const namespaceFor = (user: number | string, exercise: string) => salted(user, exercise, SALT);

describe('namespace names', () => {
  it('are DNS-1123 labels of at most 63 characters, for any learner id', () => {
    for (const id of [1, 42, 9_007_199_254_740_991, 'x'.repeat(500), 'ünïcødé/../\n"; rm -rf']) {
      const ns = namespaceFor(id, 'headless-statefulset');
      expect(isDnsLabel(ns)).toBe(true);
      expect(ns.length).toBeLessThanOrEqual(63);
      expect(ns.startsWith('kl-headless-statefuls')).toBe(true);
    }
  });

  it('differ for distinct learners and for distinct exercises sharing a prefix', () => {
    const names = new Set<string>();
    for (let user = 1; user <= 2000; user++) names.add(namespaceFor(user, 'clusterip-basics'));
    expect(names.size).toBe(2000);
    expect(namespaceFor(1, 'a-very-long-exercise-name-one')).not.toBe(namespaceFor(1, 'a-very-long-exercise-name-two'));
  });

  it('are stable: the same learner and exercise always map to the same namespace', () => {
    expect(namespaceFor(7, 'target-port')).toBe(namespaceFor(7, 'target-port'));
  });

  it('depend on the installation salt, so another installation (or a learner) cannot compute them', () => {
    expect(salted(7, 'target-port', 'b'.repeat(64))).not.toBe(namespaceFor(7, 'target-port'));
    expect(() => salted(7, 'target-port', '')).toThrow(/salt/);
  });

  it('refuse an exercise id that is not a DNS label', () => {
    expect(() => namespaceFor(1, 'Bad_Id')).toThrow(/DNS-1123/);
  });

  it('owner labels never contain the raw id', () => {
    expect(ownerHash(12345)).toMatch(/^[0-9a-f]{16}$/);
    expect(ownerHash(12345)).not.toContain('12345');
    expect(ownerHash(1)).not.toBe(ownerHash(2));
  });
});
