import { describe, expect, it } from 'vitest';
import type { Rec } from '../../util/obj.ts';
import { evaluatePod, forbiddenDetail } from './checks.ts';
import { LATEST, policyFromLabels, type Level } from './policy.ts';

const detail = (level: Level, spec: Rec, meta: Rec = {}, version = LATEST) => forbiddenDetail(evaluatePod({ level, version }, meta, spec));
const c = (extra: Rec = {}, name = 'c'): Rec => ({ name, image: 'nginx', ...extra });
const pod = (extra: Rec = {}, containers: Rec[] = [c()]): Rec => ({ containers, ...extra });
const sc = (securityContext: Rec, name = 'c') => c({ securityContext }, name);

/** What the restricted level asks of every container, so a restricted case shows only its own violation. */
const hardened = (extra: Rec = {}, name = 'c'): Rec => sc({
  allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, ...extra,
}, name);

describe('Pod Security baseline checks', () => {
  it.each<[string, Rec, string, Rec?]>([
    ['hostNetwork', pod({ hostNetwork: true }), 'host namespaces (hostNetwork=true)'],
    ['all host namespaces, sorted', pod({ hostPID: true, hostNetwork: true, hostIPC: true }), 'host namespaces (hostIPC=true, hostNetwork=true, hostPID=true)'],
    ['privileged container', pod({}, [sc({ privileged: true })]), 'privileged (container "c" must not set securityContext.privileged=true)'],
    ['privileged init and ephemeral containers', { initContainers: [sc({ privileged: true }, 'init')], containers: [c()], ephemeralContainers: [sc({ privileged: true }, 'debug')] },
      'privileged (containers "init", "debug" must not set securityContext.privileged=true)'],
    ['SYS_ADMIN', pod({}, [sc({ capabilities: { add: ['SYS_ADMIN', 'CHOWN', 'NET_ADMIN'] } })]),
      'non-default capabilities (container "c" must not include "NET_ADMIN", "SYS_ADMIN" in securityContext.capabilities.add)'],
    ['hostPath volume', pod({ volumes: [{ name: 'host', hostPath: { path: '/' } }, { name: 'tmp', emptyDir: {} }] }), 'hostPath volumes (volume "host")'],
    ['hostPort', pod({}, [c({ ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 443, hostPort: 8443 }] })]),
      'hostPort (container "c" uses hostPorts 8080, 8443)'],
    ['AppArmor Unconfined field', pod({ securityContext: { appArmorProfile: { type: 'Unconfined' } } }), 'forbidden AppArmor profile (pod must not set AppArmor profile type to "Unconfined")'],
    ['AppArmor unconfined annotation', pod(), 'forbidden AppArmor profile (annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/c="unconfined"")',
      { annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' } }],
    ['SELinux type, user and role', pod({ securityContext: { seLinuxOptions: { type: 'spc_t', user: 'root', role: 'sysadm_r' } } }),
      'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set; role may not be set)'],
    ['SELinux user only, on a container', pod({}, [sc({ seLinuxOptions: { user: 'root' } })]),
      'seLinuxOptions (container "c" set forbidden securityContext.seLinuxOptions: user may not be set)'],
    ['/proc mount', pod({}, [sc({ procMount: 'Unmasked' })]), 'procMount (container "c" must not set securityContext.procMount to "Unmasked")'],
    ['seccomp Unconfined', pod({ securityContext: { seccompProfile: { type: 'Unconfined' } } }, [sc({ seccompProfile: { type: 'Unconfined' } })]),
      'seccompProfile (pod and container "c" must not set securityContext.seccompProfile.type to "Unconfined")'],
    ['unsafe sysctl', pod({ securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }, { name: 'net.ipv4.tcp_syncookies', value: '1' }] } }), 'forbidden sysctls (kernel.msgmax)'],
    ['Windows hostProcess', pod({ securityContext: { windowsOptions: { hostProcess: true } } }), 'hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)'],
  ])('%s', (_name, spec, expected, meta) => {
    expect(detail('baseline', spec, meta)).toBe(expected);
  });

  it('joins several violations in upstream order', () => {
    expect(detail('baseline', pod({ hostNetwork: true, volumes: [{ name: 'h', hostPath: { path: '/' } }] }, [sc({ privileged: true, capabilities: { add: ['SYS_ADMIN'] } })])))
      .toBe('host namespaces (hostNetwork=true), privileged (container "c" must not set securityContext.privileged=true), '
        + 'non-default capabilities (container "c" must not include "SYS_ADMIN" in securityContext.capabilities.add), hostPath volumes (volume "h")');
  });

  it.each<[string, Rec]>([
    ['a plain nginx Pod', pod()],
    ['allowed capabilities', pod({}, [sc({ capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'] } })])],
    ['RuntimeDefault seccomp and AppArmor', pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' }, appArmorProfile: { type: 'RuntimeDefault' } } })],
    ['safe sysctls', pod({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }] } })],
    ['container_t', pod({ securityContext: { seLinuxOptions: { type: 'container_t', level: 's0:c1,c2' } } })],
    ['privileged=false', pod({}, [sc({ privileged: false, procMount: 'Default' })])],
    ['configMap, secret, emptyDir and PVC volumes', pod({ volumes: [{ name: 'a', configMap: { name: 'x' } }, { name: 'b', persistentVolumeClaim: { claimName: 'x' } }] })],
  ])('allows %s', (_name, spec) => {
    expect(evaluatePod({ level: 'baseline', version: LATEST }, {}, spec)).toEqual([]);
  });

  it('follows the policy version: tcp_rmem is safe from v1.32 only', () => {
    const spec = pod({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '1' }] } });
    expect(detail('baseline', spec, {}, { latest: false, minor: 31 })).toBe('forbidden sysctls (net.ipv4.tcp_rmem)');
    expect(detail('baseline', spec, {}, { latest: false, minor: 32 })).toBe('');
  });

  it('allows everything at privileged', () => {
    expect(evaluatePod({ level: 'privileged', version: LATEST }, {}, pod({ hostNetwork: true }, [sc({ privileged: true })]))).toEqual([]);
  });
});

describe('Pod Security restricted checks', () => {
  it('reports what a plain nginx Pod lacks, as a real cluster prints it', () => {
    expect(detail('restricted', pod({}, [c({}, 'nginx')]))).toBe(
      'allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), '
      + 'unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), '
      + 'runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), '
      + 'seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
  });

  it.each<[string, Rec, string]>([
    ['allowPrivilegeEscalation=true', pod({}, [hardened({ allowPrivilegeEscalation: true })]),
      'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false)'],
    ['capabilities beyond NET_BIND_SERVICE', pod({}, [hardened({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'CHOWN'] } })]),
      'unrestricted capabilities (container "c" must not include "CHOWN" in securityContext.capabilities.add)'],
    ['no drop ALL and SYS_ADMIN', pod({}, [hardened({ capabilities: { add: ['SYS_ADMIN'] } })]),
      'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]; container "c" must not include "SYS_ADMIN" in securityContext.capabilities.add)'],
    ['hostPath volume', pod({ volumes: [{ name: 'h', hostPath: { path: '/' } }, { name: 'n', nfs: { server: 's', path: '/' } }] }, [hardened()]),
      'restricted volume types (volumes "h", "n" use restricted volume types "hostPath", "nfs")'],
    ['runAsNonRoot=false on the pod', pod({ securityContext: { runAsNonRoot: false } }, [hardened({ runAsNonRoot: undefined })]),
      'runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)'],
    ['runAsUser=0', pod({ securityContext: { runAsUser: 0 } }, [hardened({ runAsUser: 0 })]),
      'runAsUser=0 (pod and container "c" must not set runAsUser=0)'],
    ['seccomp Unconfined', pod({}, [hardened({ seccompProfile: { type: 'Unconfined' } })]),
      'seccompProfile (container "c" must not set securityContext.seccompProfile.type to "Unconfined")'],
  ])('%s', (_name, spec, expected) => {
    expect(detail('restricted', spec)).toBe(expected);
  });

  it('allows a hardened Pod, with pod-level runAsNonRoot and seccomp covering its containers', () => {
    const spec = pod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } },
      [sc({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })]);
    expect(evaluatePod({ level: 'restricted', version: LATEST }, {}, spec)).toEqual([]);
  });
});

describe('Pod Security namespace labels', () => {
  it('reads level and version per mode; unset modes are privileged:latest', () => {
    const { policy, errors } = policyFromLabels({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.29',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(errors).toEqual([]);
    expect(policy).toEqual({
      enforce: { level: 'baseline', version: { latest: false, minor: 29 } },
      audit: { level: 'privileged', version: LATEST },
      warn: { level: 'restricted', version: LATEST },
    });
  });

  it('evaluates a bad enforce level as restricted, bad warn and audit as privileged, a bad version as latest', () => {
    const { policy, errors } = policyFromLabels({
      'pod-security.kubernetes.io/enforce': 'strict',
      'pod-security.kubernetes.io/enforce-version': '1.30',
      'pod-security.kubernetes.io/warn': 'Baseline',
      'pod-security.kubernetes.io/audit': 'nope',
    });
    expect(policy.enforce).toEqual({ level: 'restricted', version: LATEST });
    expect(policy.warn.level).toBe('privileged');
    expect(policy.audit.level).toBe('privileged');
    expect(errors.map((e) => e.message)).toEqual([
      'metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
      'metadata.labels[pod-security.kubernetes.io/enforce-version]: Invalid value: "1.30": must be "latest" or "v1.x"',
      'metadata.labels[pod-security.kubernetes.io/audit]: Invalid value: "nope": must be one of privileged, baseline, restricted',
      'metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "Baseline": must be one of privileged, baseline, restricted',
    ]);
  });
});
