import { describe, expect, it } from 'vitest';
import { byCodeUnit, formatLabels } from './objects.ts';

describe('formatLabels', () => {
  it('sorts keys by code unit, as Kubernetes does, whatever the locale (upper case first, punctuation by its code)', () => {
    const labels = { tier: 'web', app: 'shop', 'app.kubernetes.io/name': 'shop', App: 'Shop', 'app-version': '2' };
    expect(formatLabels(labels)).toBe('App=Shop,app=shop,app-version=2,app.kubernetes.io/name=shop,tier=web');
    expect(formatLabels({})).toBe('(no labels)');
  });
});

describe('byCodeUnit', () => {
  it('orders names the way Pod names sort in kubectl', () => {
    expect(['web-10', 'web-2', 'Web-1', 'web-1'].sort(byCodeUnit)).toEqual(['Web-1', 'web-1', 'web-10', 'web-2']);
    expect(byCodeUnit('a', 'a')).toBe(0);
  });
});
