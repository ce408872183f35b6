// Port-forward's connection: containerd enters the Pod sandbox's network namespace and
// dials localhost:<port>, so no kube-proxy and no NetworkPolicy apply (policies filter
// traffic between Pods, not loopback). The refusal text is containerd's, naming the
// sandbox and its namespace as a learner sees it in kubectl's error.
// Source: containerd internal/cri/server/sandbox_portforward_linux.go (portForward).

import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { PodDial } from '../../core/podio.ts';
import type { PodView } from '../podspec.ts';
import { listenerStream } from './stream.ts';
import type { Network } from './system.ts';

function hex(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** The Pod sandbox's containerd id: 64 hex digits, stable for the Pod's uid. */
export function sandboxId(pod: PodView): string {
  return hex(`sandbox:${pod.metadata.uid ?? pod.metadata.name}`);
}

function netnsPath(pod: PodView): string {
  const h = hex(`netns:${pod.metadata.uid ?? pod.metadata.name}`);
  return `/var/run/netns/cni-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function dialInPod(network: Network, pod: PodView, port: number, ephemeralPort: number): PodDial {
  const ip = pod.status?.podIP ?? '';
  const conn = network.connectFromNode(pod, ip, port);
  const id = sandboxId(pod);
  if (conn.kind !== 'ok') {
    return {
      kind: 'refused',
      sandbox: id,
      message: `failed to execute portforward in network namespace "${netnsPath(pod)}": failed to connect to localhost:${port} inside namespace "${id}", `
        + `IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `,
    };
  }
  const stream: Duplex = listenerStream(conn.listener, { ip: '127.0.0.1', port: ephemeralPort });
  return { kind: 'ok', sandbox: id, conn: stream };
}
