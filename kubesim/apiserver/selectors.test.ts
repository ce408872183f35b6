import { describe, expect, it } from 'vitest';
import { resourceByKey } from '../core/registry.ts';
import { StatusError } from '../core/errors.ts';
import { labelSelectorString, matchLabels, parseFieldSelector, parseLabelSelector, matchFields } from './selectors.ts';

const pods = resourceByKey('pods')!;

describe('label selectors', () => {
  it.each([
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'web' }, true],
    ['app!=web', { app: 'db' }, true],
    ['app!=web', {}, true],
    ['app in (web, db)', { app: 'db' }, true],
    ['app notin (web,db)', { app: 'db' }, false],
    ['app notin (web,db)', {}, true],
    ['app', { app: '' }, true],
    ['!app', { app: 'x' }, false],
    ['!app', {}, true],
    ['app=web,tier=front', { app: 'web', tier: 'back' }, false],
    ['', { anything: 'x' }, true],
  ])('%s on %j → %s', (text, labels, want) => {
    expect(matchLabels(parseLabelSelector(text), labels)).toBe(want);
  });

  it('refuses malformed selectors with 400', () => {
    for (const bad of ['app in web', 'a b', 'app=(x']) {
      expect(() => parseLabelSelector(bad)).toThrowError(StatusError);
    }
  });

  it('renders a LabelSelector as the Scale subresource does', () => {
    expect(labelSelectorString({ matchLabels: { tier: 'web', app: 'x' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['b', 'a'] }] }))
      .toBe('app=x,env in (a,b),tier=web');
  });
});

describe('field selectors', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } };
  it('matches metadata and per-kind fields', () => {
    expect(matchFields(parseFieldSelector('metadata.name=p,spec.nodeName=n1', pods), pod)).toBe(true);
    expect(matchFields(parseFieldSelector('status.phase!=Running', pods), pod)).toBe(false);
    expect(matchFields(parseFieldSelector('spec.nodeName==', pods), pod)).toBe(false);
  });
  it('says which field label is not supported', () => {
    expect(() => parseFieldSelector('spec.foo=bar', pods)).toThrowError('field label not supported: spec.foo');
  });
});
