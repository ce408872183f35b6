// The contract between the kubelet (control plane) and the container runtime model
// (kubesim/runtime). The kubelet decides *when* things happen; the runtime decides
// *what* an image does: whether it can be pulled, whether its process stays up, which
// ports it listens on, and how it answers probes.

import type { KubeObject } from './types.ts';

export type StartResult =
  | { state: 'running' }
  /** The process exited (e.g. postgres without POSTGRES_PASSWORD): exit code, reason, log lines. */
  | { state: 'exited'; exitCode: number; reason: string; logs: string[] }
  /** The kubelet could not build the container's config (a missing Secret, ConfigMap or key): nothing was created. */
  | { state: 'configError'; message: string };

export interface ProbeResult {
  success: boolean;
  /** Why it failed, as the kubelet's event message says it, e.g. "HTTP probe failed with statuscode: 404". */
  message?: string;
}

export interface ContainerRuntime {
  /** Whether the image exists (unknown images end in ErrImagePull / ImagePullBackOff). */
  canPull(image: string): boolean;
  /** Whether the registry knows the repository (false: "pull access denied" rather than a tag "not found"). */
  hasRepository?(image: string): boolean;
  /** Why pulling an image canPull refuses fails: gRPC code and the resolver's reason (given the normalized reference). */
  pullFailure?(image: string, normalized: string): { code: 'NotFound' | 'Unknown'; why: string };
  /** Start the named container of a Pod that already has its IP and node assigned. */
  start(pod: KubeObject, containerName: string): StartResult;
  /** Stop the container (Pod deleted or restarted). */
  stop(pod: KubeObject, containerName: string): void;
  /** Run a readiness/liveness/startup probe (the Probe object from the Pod spec). */
  probe(pod: KubeObject, containerName: string, probe: Record<string, unknown>): ProbeResult;
}
