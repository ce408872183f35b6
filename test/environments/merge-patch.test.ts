import { describe, expect, it } from 'vitest';
import { canonicalJson, mergePatch } from '../../server/environments/merge-patch.ts';

describe('three-way apply patch', () => {
  const applied = { spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } };
  const live = {
    spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28', imagePullPolicy: 'IfNotPresent' }] } } },
    status: { readyReplicas: 3 },
  };

  it.each([
    ['nothing changed (server defaults in lists ignored)', applied, applied, live, {}],
    ['a scalar changed in the manifest', applied, { spec: { ...applied.spec, replicas: 5 } }, live, { spec: { replicas: 5 } }],
    ['live drift on a scalar is undone', applied, applied, { ...live, spec: { ...live.spec, replicas: 1 } }, { spec: { replicas: 3 } }],
    ['a field dropped from the manifest is deleted', { spec: { replicas: 3, paused: false } }, { spec: { replicas: 3 } }, { spec: { replicas: 3, paused: false } }, { spec: { paused: null } }],
    [
      'a list changed is replaced whole',
      applied,
      { spec: { ...applied.spec, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.29' }] } } } },
      live,
      { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.29' }] } } } },
    ],
    ['never applied: the manifest is patched in', undefined, { metadata: { labels: { a: 'b' } } }, { metadata: { labels: { c: 'd' } } }, { metadata: { labels: { a: 'b' } } }],
  ])('%s', (_name, previous, desired, current, expected) => {
    expect(mergePatch(previous, desired, current)).toEqual(expected);
  });

  it('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3] } })).toBe(canonicalJson({ a: { c: [3], d: 2 }, b: 1 }));
  });
});
