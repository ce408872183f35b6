// A container's CPU and memory limits from its spec (resources.limits), as the kubelet
// writes them to the cgroup. The LimitRanger admission plugin has already filled in
// the namespace's defaults, so a Pod created without resources carries them here.

import { z } from 'zod';
import { parseQuantity } from '../../controlplane/admission/quantity.ts';

const Limits = z.object({ cpu: z.union([z.string(), z.number()]).optional(), memory: z.union([z.string(), z.number()]).optional() });
export const ResourcesSchema = z.object({ limits: Limits.optional() }).passthrough();

export interface ContainerLimits {
  /** Cores (0.5 for 500m); undefined: no limit. */
  cpuCores: number | undefined;
  /** Bytes; undefined: no limit. */
  memoryBytes: number | undefined;
}

export function containerLimits(resources: unknown): ContainerLimits {
  const parsed = ResourcesSchema.safeParse(resources ?? {});
  const limits = parsed.success ? parsed.data.limits : undefined;
  const positive = (q: unknown): number | undefined => {
    const n = parseQuantity(q);
    return n !== undefined && n > 0 ? n : undefined;
  };
  return { cpuCores: positive(limits?.cpu), memoryBytes: positive(limits?.memory) };
}
