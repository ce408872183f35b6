// The parts of Pod, Service, EndpointSlice and NetworkPolicy objects the runtime
// reads, parsed once with zod at the boundary (objects arrive as plain JSON).

import { z } from 'zod';

const Labels = z.record(z.string(), z.string());

const KeyRef = z.object({ name: z.string().optional(), key: z.string(), optional: z.boolean().optional() });

export const EnvVarSchema = z.object({
  name: z.string(),
  value: z.string().optional(),
  valueFrom: z
    .object({
      fieldRef: z.object({ fieldPath: z.string() }).optional(),
      configMapKeyRef: KeyRef.optional(),
      secretKeyRef: KeyRef.optional(),
    })
    .optional(),
});
export type EnvVar = z.infer<typeof EnvVarSchema>;

export const ContainerPortSchema = z.object({
  name: z.string().optional(),
  containerPort: z.number(),
  protocol: z.string().optional(),
});

export const ContainerSchema = z.object({
  name: z.string(),
  image: z.string(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(EnvVarSchema).optional(),
  envFrom: z
    .array(
      z.object({
        prefix: z.string().optional(),
        configMapRef: z.object({ name: z.string(), optional: z.boolean().optional() }).optional(),
        secretRef: z.object({ name: z.string(), optional: z.boolean().optional() }).optional(),
      }),
    )
    .optional(),
  ports: z.array(ContainerPortSchema).optional(),
  /** Read by the CPU and memory meters (runtime/cpu/limits.ts parses it). */
  resources: z.unknown().optional(),
  // kubectl run -it: the main process's stdin is attachable, through a terminal with tty.
  stdin: z.boolean().optional(),
  stdinOnce: z.boolean().optional(),
  tty: z.boolean().optional(),
});
export type ContainerSpec = z.infer<typeof ContainerSchema>;

export const PodSchema = z.object({
  metadata: z.object({
    name: z.string(),
    namespace: z.string().optional(),
    uid: z.string().optional(),
    labels: Labels.optional(),
    annotations: Labels.optional(),
    deletionTimestamp: z.string().optional(),
  }),
  spec: z.object({
    nodeName: z.string().optional(),
    hostname: z.string().optional(),
    subdomain: z.string().optional(),
    serviceAccountName: z.string().optional(),
    automountServiceAccountToken: z.boolean().optional(),
    enableServiceLinks: z.boolean().optional(),
    dnsPolicy: z.string().optional(),
    hostNetwork: z.boolean().optional(),
    dnsConfig: z
      .object({ nameservers: z.array(z.string()).optional(), searches: z.array(z.string()).optional(), options: z.array(z.object({ name: z.string(), value: z.string().optional() })).optional() })
      .optional(),
    containers: z.array(ContainerSchema),
    initContainers: z.array(ContainerSchema).optional(),
  }),
  status: z
    .object({
      phase: z.string().optional(),
      podIP: z.string().optional(),
      hostIP: z.string().optional(),
      conditions: z.array(z.object({ type: z.string(), status: z.string() })).optional(),
      containerStatuses: z
        .array(
          z.object({
            name: z.string(),
            ready: z.boolean().optional(),
            state: z.object({ running: z.unknown().optional(), waiting: z.object({ reason: z.string().optional() }).optional(), terminated: z.unknown().optional() }).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});
export type PodView = z.infer<typeof PodSchema>;

export function parsePod(obj: unknown): PodView {
  return PodSchema.parse(obj);
}

export function podNamespace(pod: PodView): string {
  return pod.metadata.namespace ?? 'default';
}

export function findContainer(pod: PodView, name: string): ContainerSpec | undefined {
  return pod.spec.containers.find((c) => c.name === name) ?? pod.spec.initContainers?.find((c) => c.name === name);
}

export const ServicePortSchema = z.object({
  name: z.string().optional(),
  port: z.number(),
  protocol: z.string().optional(),
  targetPort: z.union([z.number(), z.string()]).optional(),
});

export const ServiceSchema = z.object({
  metadata: z.object({ name: z.string(), namespace: z.string().optional() }),
  spec: z
    .object({
      type: z.string().optional(),
      clusterIP: z.string().optional(),
      clusterIPs: z.array(z.string()).optional(),
      externalName: z.string().optional(),
      selector: Labels.optional(),
      ports: z.array(ServicePortSchema).optional(),
      sessionAffinity: z.string().optional(),
      sessionAffinityConfig: z
        .object({ clientIP: z.object({ timeoutSeconds: z.number().optional() }).optional() })
        .optional(),
      internalTrafficPolicy: z.string().optional(),
      publishNotReadyAddresses: z.boolean().optional(),
    })
    .default({}),
});
export type ServiceView = z.infer<typeof ServiceSchema>;

export const EndpointSliceSchema = z.object({
  metadata: z.object({ name: z.string(), namespace: z.string().optional(), labels: Labels.optional() }),
  addressType: z.string().optional(),
  endpoints: z
    .array(
      z.object({
        addresses: z.array(z.string()),
        conditions: z
          .object({ ready: z.boolean().nullish(), serving: z.boolean().nullish(), terminating: z.boolean().nullish() })
          .optional(),
        hostname: z.string().optional(),
        nodeName: z.string().optional(),
        targetRef: z.object({ kind: z.string().optional(), name: z.string().optional(), namespace: z.string().optional() }).optional(),
      }),
    )
    .nullish(),
  ports: z
    .array(z.object({ name: z.string().nullish(), port: z.number().nullish(), protocol: z.string().nullish() }))
    .nullish(),
});
export type EndpointSliceView = z.infer<typeof EndpointSliceSchema>;

const LabelSelectorSchema = z.object({
  matchLabels: Labels.optional(),
  matchExpressions: z
    .array(z.object({ key: z.string(), operator: z.string(), values: z.array(z.string()).optional() }))
    .optional(),
});
export type LabelSelector = z.infer<typeof LabelSelectorSchema>;

const PeerSchema = z.object({
  podSelector: LabelSelectorSchema.optional(),
  namespaceSelector: LabelSelectorSchema.optional(),
  ipBlock: z.object({ cidr: z.string(), except: z.array(z.string()).optional() }).optional(),
});
const PolicyPortSchema = z.object({
  protocol: z.string().optional(),
  port: z.union([z.number(), z.string()]).optional(),
  endPort: z.number().optional(),
});
export const NetworkPolicySchema = z.object({
  metadata: z.object({ name: z.string(), namespace: z.string().optional() }),
  spec: z.object({
    podSelector: LabelSelectorSchema.default({}),
    policyTypes: z.array(z.string()).optional(),
    ingress: z.array(z.object({ from: z.array(PeerSchema).optional(), ports: z.array(PolicyPortSchema).optional() })).optional(),
    egress: z.array(z.object({ to: z.array(PeerSchema).optional(), ports: z.array(PolicyPortSchema).optional() })).optional(),
  }),
});
export type NetworkPolicyView = z.infer<typeof NetworkPolicySchema>;
export type PolicyPeer = z.infer<typeof PeerSchema>;
export type PolicyPort = z.infer<typeof PolicyPortSchema>;

/** Label selector semantics (metav1.LabelSelectorAsSelector): empty selects everything. */
export function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const val = labels[e.key];
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(val ?? '')) return false; break;
      case 'NotIn': if (has && values.includes(val ?? '')) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}
