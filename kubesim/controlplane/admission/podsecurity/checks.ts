// The Pod Security Standards checks, one function per upstream check, each returning
// the reason and detail the plugin prints ("privileged (container \"c\" must not set
// securityContext.privileged=true)"), or undefined when the pod passes.
// Order is upstream's: its checks register in file-name order; a level runs the
// baseline checks, then (baseline) the baseline checks that restricted replaces, or
// (restricted) the restricted checks. Behaviour as of policy version v1.32.
// Source: staging/src/k8s.io/pod-security-admission/policy/check_*.go, registry.go,
//         checks.go (AggregateCheckResult.ForbiddenDetail), helpers.go, visitor.go

import { at, bool, isRec, num, rec, recs, str, strs, type Rec } from '../../util/obj.ts';
import type { LevelVersion, Version } from './policy.ts';

export interface Violation {
  reason: string;
  detail: string;
}

type Check = (meta: Rec, spec: Rec, minor: number) => Violation | undefined;

function joinQuote(items: readonly string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** `container "a"` / `containers "a", "b"` */
function containersPhrase(names: readonly string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

/** A sorted, de-duplicated list, as sets.String.List() gives. */
function sortedSet(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Init containers, then containers, then ephemeral containers (visitContainers). */
function containers(spec: Rec): Rec[] {
  return [...recs(spec.initContainers), ...recs(spec.containers), ...recs(spec.ephemeralContainers)];
}

function name(c: Rec): string {
  return str(c.name) ?? '';
}

function podSC(spec: Rec): Rec | undefined {
  return rec(spec.securityContext);
}

function sc(c: Rec): Rec | undefined {
  return rec(c.securityContext);
}

function isWindows(spec: Rec): boolean {
  return str(at(spec, 'os', 'name')) === 'windows';
}

// ---- baseline ----

const ALLOWED_APPARMOR_TYPES = ['RuntimeDefault', 'Localhost'];
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const appArmorProfile: Check = (meta, spec) => {
  const setters: string[] = [];
  const values = new Set<string>();
  const type = (o: Rec | undefined) => str(at(o, 'appArmorProfile', 'type'));
  const podType = type(podSC(spec));
  if (rec(podSC(spec)?.appArmorProfile) && !ALLOWED_APPARMOR_TYPES.includes(podType ?? '')) {
    setters.push('pod');
    values.add(podType ?? '');
  }
  const bad = containers(spec).filter((c) => {
    if (!rec(sc(c)?.appArmorProfile)) return false;
    const t = type(sc(c)) ?? '';
    if (ALLOWED_APPARMOR_TYPES.includes(t)) return false;
    values.add(t);
    return true;
  }).map(name);
  if (bad.length > 0) setters.push(containersPhrase(bad));
  const list = sortedSet(values);
  const annotations = Object.entries(rec(meta.annotations) ?? {})
    .filter(([k, v]) => k.startsWith(APPARMOR_ANNOTATION_PREFIX) && typeof v === 'string' &&
      v !== '' && v !== 'runtime/default' && !v.startsWith('localhost/'))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .sort();
  if (annotations.length > 0) {
    list.push(...annotations);
    setters.push(pluralize('annotation', 'annotations', annotations.length));
  }
  if (setters.length === 0) return undefined;
  return {
    reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', list.length),
    detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(list)}`,
  };
};

const hostNamespaces: Check = (_meta, spec) => {
  const used = (['hostIPC', 'hostNetwork', 'hostPID'] as const).filter((f) => bool(spec[f]) === true);
  if (used.length === 0) return undefined;
  return { reason: 'host namespaces', detail: used.map((f) => `${f}=true`).join(', ') };
};

const hostPorts: Check = (_meta, spec) => {
  const bad: string[] = [];
  const ports = new Set<string>();
  for (const c of containers(spec)) {
    const hostPortsHere = recs(c.ports).map((p) => num(p.hostPort) ?? 0).filter((p) => p !== 0);
    if (hostPortsHere.length === 0) continue;
    bad.push(name(c));
    for (const p of hostPortsHere) ports.add(String(p));
  }
  if (bad.length === 0) return undefined;
  const list = sortedSet(ports);
  return {
    reason: 'hostPort',
    detail: `${containersPhrase(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`,
  };
};

const privileged: Check = (_meta, spec) => {
  const bad = containers(spec).filter((c) => bool(sc(c)?.privileged) === true).map(name);
  if (bad.length === 0) return undefined;
  return { reason: 'privileged', detail: `${containersPhrase(bad)} must not set securityContext.privileged=true` };
};

const procMount: Check = (_meta, spec) => {
  const bad: string[] = [];
  const types = new Set<string>();
  for (const c of containers(spec)) {
    const mount = str(sc(c)?.procMount);
    if (mount === undefined || mount === 'Default') continue;
    bad.push(name(c));
    types.add(mount);
  }
  if (bad.length === 0) return undefined;
  return { reason: 'procMount', detail: `${containersPhrase(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}` };
};

const seLinuxOptions: Check = (_meta, spec, minor) => {
  const allowed = ['', 'container_t', 'container_init_t', 'container_kvm_t', ...(minor >= 31 ? ['container_engine_t'] : [])];
  const badTypes = new Set<string>();
  let setUser = false;
  let setRole = false;
  const valid = (opts: Rec): boolean => {
    let ok = true;
    const type = str(opts.type) ?? '';
    if (!allowed.includes(type)) {
      ok = false;
      badTypes.add(type);
    }
    if ((str(opts.user) ?? '') !== '') {
      ok = false;
      setUser = true;
    }
    if ((str(opts.role) ?? '') !== '') {
      ok = false;
      setRole = true;
    }
    return ok;
  };
  const setters: string[] = [];
  const podOpts = rec(podSC(spec)?.seLinuxOptions);
  if (podOpts && !valid(podOpts)) setters.push('pod');
  const bad = containers(spec).filter((c) => {
    const opts = rec(sc(c)?.seLinuxOptions);
    return opts !== undefined && !valid(opts);
  }).map(name);
  if (bad.length > 0) setters.push(containersPhrase(bad));
  if (setters.length === 0) return undefined;
  const data: string[] = [];
  if (badTypes.size > 0) data.push(`${pluralize('type', 'types', badTypes.size)} ${joinQuote(sortedSet(badTypes))}`);
  if (setUser) data.push('user may not be set');
  if (setRole) data.push('role may not be set');
  return { reason: 'seLinuxOptions', detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}` };
};

const SAFE_SYSCTLS: ReadonlyArray<[number, readonly string[]]> = [
  [0, ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
];

const sysctls: Check = (_meta, spec, minor) => {
  const allowed = SAFE_SYSCTLS.filter(([since]) => minor >= since).flatMap(([, names]) => names);
  const bad = recs(podSC(spec)?.sysctls).map((s) => str(s.name) ?? '').filter((n) => !allowed.includes(n));
  if (bad.length === 0) return undefined;
  return { reason: 'forbidden sysctls', detail: bad.join(', ') };
};

const windowsHostProcess: Check = (_meta, spec) => {
  const setters: string[] = [];
  if (bool(at(podSC(spec), 'windowsOptions', 'hostProcess')) === true) setters.push('pod');
  const bad = containers(spec).filter((c) => bool(at(sc(c), 'windowsOptions', 'hostProcess')) === true).map(name);
  if (bad.length > 0) setters.push(containersPhrase(bad));
  if (setters.length === 0) return undefined;
  return { reason: 'hostProcess', detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true` };
};

const BASELINE_CAPABILITIES = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

const capabilitiesBaseline: Check = (_meta, spec) => {
  const bad: string[] = [];
  const extra = new Set<string>();
  for (const c of containers(spec)) {
    const added = strs(at(sc(c), 'capabilities', 'add')).filter((cap) => !BASELINE_CAPABILITIES.includes(cap));
    if (added.length === 0) continue;
    bad.push(name(c));
    for (const cap of added) extra.add(cap);
  }
  if (bad.length === 0) return undefined;
  return {
    reason: 'non-default capabilities',
    detail: `${containersPhrase(bad)} must not include ${joinQuote(sortedSet(extra))} in securityContext.capabilities.add`,
  };
};

const hostPathVolumes: Check = (_meta, spec) => {
  const bad = recs(spec.volumes).filter((v) => isRec(v.hostPath)).map(name);
  if (bad.length === 0) return undefined;
  return { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}` };
};

const seccompType = (o: Rec | undefined): string | undefined => str(at(o, 'seccompProfile', 'type'));
const hasSeccomp = (o: Rec | undefined): boolean => rec(o?.seccompProfile) !== undefined;

const seccompProfileBaseline: Check = (_meta, spec) => {
  const setters: string[] = [];
  const values = new Set<string>();
  if (hasSeccomp(podSC(spec)) && seccompType(podSC(spec)) === 'Unconfined') {
    setters.push('pod');
    values.add('Unconfined');
  }
  const bad = containers(spec).filter((c) => hasSeccomp(sc(c)) && seccompType(sc(c)) === 'Unconfined').map(name);
  if (bad.length > 0) {
    setters.push(containersPhrase(bad));
    values.add('Unconfined');
  }
  if (setters.length === 0) return undefined;
  return { reason: 'seccompProfile', detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(values))}` };
};

// ---- restricted ----

const allowPrivilegeEscalation: Check = (_meta, spec, minor) => {
  if (minor >= 25 && isWindows(spec)) return undefined;
  const bad = containers(spec).filter((c) => bool(sc(c)?.allowPrivilegeEscalation) !== false).map(name);
  if (bad.length === 0) return undefined;
  return { reason: 'allowPrivilegeEscalation != false', detail: `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false` };
};

const capabilitiesRestricted: Check = (meta, spec, minor) => {
  if (minor < 22) return capabilitiesBaseline(meta, spec, minor);
  if (minor >= 25 && isWindows(spec)) return undefined;
  const missingDropAll: string[] = [];
  const adding: string[] = [];
  const forbidden = new Set<string>();
  for (const c of containers(spec)) {
    const caps = rec(sc(c)?.capabilities);
    if (!caps) {
      missingDropAll.push(name(c));
      continue;
    }
    if (!strs(caps.drop).includes('ALL')) missingDropAll.push(name(c));
    const added = strs(caps.add).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (added.length > 0) {
      adding.push(name(c));
      for (const cap of added) forbidden.add(cap);
    }
  }
  const details: string[] = [];
  if (missingDropAll.length > 0) details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (adding.length > 0) details.push(`${containersPhrase(adding)} must not include ${joinQuote(sortedSet(forbidden))} in securityContext.capabilities.add`);
  if (details.length === 0) return undefined;
  return { reason: 'unrestricted capabilities', detail: details.join('; ') };
};

const ALLOWED_VOLUME_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const KNOWN_VOLUME_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume',
  'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk',
  'portworxVolume', 'scaleIO', 'storageos',
];

const restrictedVolumes: Check = (_meta, spec) => {
  const bad: string[] = [];
  const types = new Set<string>();
  for (const v of recs(spec.volumes)) {
    if (ALLOWED_VOLUME_SOURCES.some((s) => isRec(v[s]))) continue;
    bad.push(name(v));
    types.add(KNOWN_VOLUME_SOURCES.find((s) => isRec(v[s])) ?? 'unknown');
  }
  if (bad.length === 0) return undefined;
  const list = sortedSet(types);
  return {
    reason: 'restricted volume types',
    detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', list.length)} ${joinQuote(list)}`,
  };
};

const runAsNonRoot: Check = (_meta, spec) => {
  const setters: string[] = [];
  const podValue = bool(podSC(spec)?.runAsNonRoot);
  if (podValue === false) setters.push('pod');
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of containers(spec)) {
    const value = bool(sc(c)?.runAsNonRoot);
    if (value === false) explicit.push(name(c));
    else if (value === undefined && podValue !== true) implicit.push(name(c));
  }
  if (explicit.length > 0) setters.push(containersPhrase(explicit));
  if (setters.length > 0) return { reason: 'runAsNonRoot != true', detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false` };
  if (implicit.length > 0) return { reason: 'runAsNonRoot != true', detail: `pod or ${containersPhrase(implicit)} must set securityContext.runAsNonRoot=true` };
  return undefined;
};

const runAsUser: Check = (_meta, spec, minor) => {
  if (minor < 23) return undefined;
  const setters: string[] = [];
  if (num(podSC(spec)?.runAsUser) === 0) setters.push('pod');
  const bad = containers(spec).filter((c) => num(sc(c)?.runAsUser) === 0).map(name);
  if (bad.length > 0) setters.push(containersPhrase(bad));
  if (setters.length === 0) return undefined;
  return { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0` };
};

const seccompProfileRestricted: Check = (meta, spec, minor) => {
  if (minor < 19) return seccompProfileBaseline(meta, spec, minor);
  if (minor >= 25 && isWindows(spec)) return undefined;
  const valid = (t: string | undefined) => t === 'RuntimeDefault' || t === 'Localhost';
  const setters: string[] = [];
  const values = new Set<string>();
  let podSet = false;
  if (hasSeccomp(podSC(spec))) {
    const t = seccompType(podSC(spec));
    if (valid(t)) podSet = true;
    else {
      setters.push('pod');
      values.add(t ?? '');
    }
  }
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of containers(spec)) {
    if (hasSeccomp(sc(c))) {
      const t = seccompType(sc(c));
      if (!valid(t)) {
        explicit.push(name(c));
        values.add(t ?? '');
      }
    } else if (!podSet) implicit.push(name(c));
  }
  if (explicit.length > 0) setters.push(containersPhrase(explicit));
  if (setters.length > 0) {
    return { reason: 'seccompProfile', detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(values))}` };
  }
  if (implicit.length > 0) {
    return { reason: 'seccompProfile', detail: `pod or ${containersPhrase(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` };
  }
  return undefined;
};

/** Baseline checks that restricted keeps as they are. */
const BASELINE = [appArmorProfile, hostNamespaces, hostPorts, privileged, procMount, seLinuxOptions, sysctls, windowsHostProcess];
/** Baseline checks that a restricted check replaces (upstream's Overlap: true). */
const BASELINE_ONLY = [capabilitiesBaseline, hostPathVolumes, seccompProfileBaseline];
const RESTRICTED = [allowPrivilegeEscalation, capabilitiesRestricted, restrictedVolumes, runAsNonRoot, runAsUser, seccompProfileRestricted];

/** Newer versions than the checks know evaluate as the newest (registry.go maxVersion). */
function minorOf(v: Version): number {
  return v.latest ? Number.POSITIVE_INFINITY : v.minor;
}

/** Every violation of the level, in upstream's order. Pass the pod's (or template's) metadata and spec. */
export function evaluatePod(lv: LevelVersion, meta: Rec, spec: Rec): Violation[] {
  if (lv.level === 'privileged') return [];
  const checks = [...BASELINE, ...(lv.level === 'baseline' ? BASELINE_ONLY : RESTRICTED)];
  const minor = minorOf(lv.version);
  return checks.map((check) => check(meta, spec, minor)).filter((v): v is Violation => v !== undefined);
}

/** "host namespaces (hostNetwork=true), privileged (container ...)" (ForbiddenDetail). */
export function forbiddenDetail(violations: readonly Violation[]): string {
  return violations.map((v) => (v.detail ? `${v.reason} (${v.detail})` : v.reason)).join(', ');
}

/** "host namespaces, privileged" (ForbiddenReason), for namespace-wide warnings. */
export function forbiddenReason(violations: readonly Violation[]): string {
  return violations.map((v) => v.reason).join(', ');
}
