// Legacy (unaggregated) discovery documents generated from the registry. kubectl
// asks for aggregated discovery first; a plain application/json answer makes it fall
// back to these. Source: k8s.io/apiserver/pkg/endpoints/discovery (legacy handlers),
// k8s.io/client-go/discovery/discovery_client.go (fallback on content type).

import { RESOURCES, type ResourceDef } from '../core/registry.ts';

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.2',
  gitCommit: '67a30c0adcf52bd3f56ff0893ce19966be12991f',
  gitTreeState: 'clean',
  buildDate: '2025-02-12T21:19:47Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Groups in registry order, core group excluded. */
function groups(): string[] {
  const out: string[] = [];
  for (const r of RESOURCES) if (r.group && !out.includes(r.group)) out.push(r.group);
  return out;
}

function versionsOf(group: string): string[] {
  const out: string[] = [];
  for (const r of RESOURCES) if (r.group === group && !out.includes(r.version)) out.push(r.version);
  return out;
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: versionsOf(''),
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(name: string): Record<string, unknown> {
  const versions = versionsOf(name).map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions, preferredVersion: versions[0] };
}

export function apiGroupList(): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups().map(apiGroup) };
}

/** One group (GET /apis/{group}), or undefined when not served. */
export function apiGroupDoc(name: string): Record<string, unknown> | undefined {
  if (!groups().includes(name)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(name) };
}

function resourceEntries(r: ResourceDef): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
  };
  if (r.shortNames.length) main['shortNames'] = r.shortNames;
  if (r.categories.length) main['categories'] = r.categories;
  const subs = r.subresources.map((s) => {
    const entry: Record<string, unknown> = { name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced };
    if (s.group !== undefined) entry['group'] = s.group;
    if (s.version !== undefined) entry['version'] = s.version;
    entry['kind'] = s.kind;
    entry['verbs'] = s.verbs;
    return entry;
  });
  return [main, ...subs];
}

export function apiResourceList(group: string, version: string): Record<string, unknown> {
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version).flatMap(resourceEntries);
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

export function allGroupVersions(): { group: string; version: string }[] {
  return [
    ...versionsOf('').map((version) => ({ group: '', version })),
    ...groups().flatMap((group) => versionsOf(group).map((version) => ({ group, version }))),
  ];
}
