// The default topology is kind's: one control-plane node (tainted NoSchedule) and
// two workers, on the docker "kind" network 172.18.0.0/16, Pod CIDRs from
// 10.244.0.0/16 (kindnet). kind sets no zone label; we label every node
// `topology.kubernetes.io/zone: kind` so EndpointSlice `zone` fields are populated
// the same way on every node (document: a real kind cluster leaves `zone` empty).

import type { KubeObject } from '../core/types.ts';

export interface NodeSpec {
  name: string;
  role: 'control-plane' | 'worker';
  internalIP: string;
  /** e.g. "10.244.1.0/24" */
  podCIDR: string;
  zone?: string;
  labels?: Record<string, string>;
  /** The kubelet's --max-pods, published as allocatable pods (default 110). */
  maxPods?: number;
}

export const KIND_NODES: readonly NodeSpec[] = [
  { name: 'kind-control-plane', role: 'control-plane', internalIP: '172.18.0.2', podCIDR: '10.244.0.0/24' },
  { name: 'kind-worker', role: 'worker', internalIP: '172.18.0.3', podCIDR: '10.244.1.0/24' },
  { name: 'kind-worker2', role: 'worker', internalIP: '172.18.0.4', podCIDR: '10.244.2.0/24' },
];

/**
 * A kind-style topology with more workers (kind-worker, kind-worker2, … kind-workerN),
 * for classes and benchmarks bigger than three nodes can hold. A kubelet runs at most
 * 110 Pods, as on a real node, unless `maxPods` raises it (kubelet --max-pods, which
 * kind sets through a kubeadm patch); then each node's podCIDR is widened to hold them,
 * carved from kind's 10.244.0.0/16 Pod subnet.
 */
export function kindNodes(workers: number, maxPods?: number): NodeSpec[] {
  const bits = maxPods === undefined ? 24 : Math.min(24, 32 - Math.ceil(Math.log2(maxPods + 3)));
  const block = 2 ** (32 - bits);
  if ((workers + 1) * block > 2 ** 16) {
    throw new Error(`kubesim: ${workers + 1} nodes × ${maxPods} Pods do not fit in the Pod subnet 10.244.0.0/16`);
  }
  const cidr = (i: number) => {
    const start = i * block;
    return `10.244.${Math.floor(start / 256)}.${start % 256}/${bits}`;
  };
  const out: NodeSpec[] = [{ ...KIND_NODES[0]!, podCIDR: cidr(0) }];
  for (let i = 1; i <= workers; i++) {
    out.push({ name: i === 1 ? 'kind-worker' : `kind-worker${i}`, role: 'worker', internalIP: `172.18.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}`, podCIDR: cidr(i) });
  }
  return maxPods === undefined ? out : out.map((n) => ({ ...n, maxPods }));
}

export const DEFAULT_ZONE = 'kind';
export const KUBELET_VERSION = 'v1.32.2';
export const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

export function nodeObject(spec: NodeSpec, now: string): KubeObject {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': spec.name,
    'kubernetes.io/os': 'linux',
    'topology.kubernetes.io/zone': spec.zone ?? DEFAULT_ZONE,
    ...(spec.role === 'control-plane' ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
    ...spec.labels,
  };
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: spec.podCIDR,
      podCIDRs: [spec.podCIDR],
      providerID: `kind://docker/kind/${spec.name}`,
      ...(spec.role === 'control-plane' ? { taints: [CONTROL_PLANE_TAINT] } : {}),
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: spec.internalIP },
        { type: 'Hostname', address: spec.name },
      ],
      allocatable: { cpu: '8', 'ephemeral-storage': '102626232Ki', 'hugepages-2Mi': '0', memory: '16283412Ki', pods: String(spec.maxPods ?? 110) },
      capacity: { cpu: '8', 'ephemeral-storage': '102626232Ki', 'hugepages-2Mi': '0', memory: '16283412Ki', pods: String(spec.maxPods ?? 110) },
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: `00000000-0000-4000-8000-${spec.internalIP.split('.').map((p) => p.padStart(3, '0')).join('')}`,
        containerRuntimeVersion: 'containerd://2.0.2',
        kernelVersion: '6.8.0-52-generic',
        kubeProxyVersion: KUBELET_VERSION,
        kubeletVersion: KUBELET_VERSION,
        machineID: spec.name.replace(/[^a-z0-9]/g, '').padEnd(32, '0').slice(0, 32),
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: `00000000-0000-4000-8000-${spec.internalIP.split('.').map((p) => p.padStart(3, '0')).join('')}`,
      },
    },
  };
}
