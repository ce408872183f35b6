// The fields of each kind the checks read, parsed once when a snapshot is taken.
// Objects stay loose: the cluster sends far more than we read, and the `resource`
// check compares against the raw object anyway.
import { z } from 'zod';

const labels = z.record(z.string(), z.string()).default({});
const meta = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  generation: z.number().optional(),
  labels,
  annotations: z.record(z.string(), z.string()).default({}),
  deletionTimestamp: z.string().optional(),
  ownerReferences: z.array(z.looseObject({ kind: z.string(), name: z.string(), uid: z.string().optional() })).default([]),
});

const probe = z.looseObject({}).optional();
const containerSpec = z.looseObject({
  name: z.string(),
  image: z.string().default(''),
  ports: z.array(z.looseObject({ name: z.string().optional(), containerPort: z.number(), protocol: z.string().optional() })).default([]),
  readinessProbe: probe,
});
const podSpec = z.looseObject({
  containers: z.array(containerSpec).default([]),
  nodeName: z.string().optional(),
});

const containerStatus = z.looseObject({
  name: z.string(),
  ready: z.boolean().default(false),
  restartCount: z.number().default(0),
  state: z
    .looseObject({
      waiting: z.looseObject({ reason: z.string().optional(), message: z.string().optional() }).optional(),
      running: z.looseObject({}).optional(),
      terminated: z.looseObject({ reason: z.string().optional(), exitCode: z.number().optional() }).optional(),
    })
    .default({}),
});

export const PodSchema = z.looseObject({
  metadata: meta,
  spec: podSpec.default({ containers: [] }),
  status: z
    .looseObject({
      phase: z.string().optional(),
      /** Set when the kubelet rejects or evicts the Pod (e.g. OutOfpods). */
      reason: z.string().optional(),
      message: z.string().optional(),
      podIP: z.string().optional(),
      conditions: z.array(z.looseObject({ type: z.string(), status: z.string(), reason: z.string().optional(), message: z.string().optional() })).default([]),
      containerStatuses: z.array(containerStatus).default([]),
    })
    .default({ conditions: [], containerStatuses: [] }),
});
export type Pod = z.output<typeof PodSchema>;

export const ServiceSchema = z.looseObject({
  metadata: meta,
  spec: z
    .looseObject({
      type: z.string().default('ClusterIP'),
      clusterIP: z.string().optional(),
      selector: z.record(z.string(), z.string()).optional(),
      ports: z
        .array(
          z.looseObject({
            name: z.string().optional(),
            port: z.number(),
            targetPort: z.union([z.number(), z.string()]).optional(),
            protocol: z.string().default('TCP'),
          }),
        )
        .default([]),
      sessionAffinity: z.string().default('None'),
      internalTrafficPolicy: z.string().default('Cluster'),
      publishNotReadyAddresses: z.boolean().optional(),
    })
    .default({ type: 'ClusterIP', ports: [], sessionAffinity: 'None', internalTrafficPolicy: 'Cluster' }),
});
export type Service = z.output<typeof ServiceSchema>;

export const EndpointSliceSchema = z.looseObject({
  metadata: meta,
  addressType: z.string().default('IPv4'),
  endpoints: z
    .array(
      z.looseObject({
        addresses: z.array(z.string()).default([]),
        conditions: z.looseObject({ ready: z.boolean().optional(), serving: z.boolean().optional() }).default({}),
        nodeName: z.string().optional(),
        targetRef: z.looseObject({ kind: z.string().optional(), name: z.string().optional() }).optional(),
      }),
    )
    .nullish()
    .transform((e) => e ?? []),
  ports: z
    .array(z.looseObject({ name: z.string().nullish(), port: z.number().nullish(), protocol: z.string().optional() }))
    .nullish()
    .transform((p) => p ?? []),
});
export type EndpointSlice = z.output<typeof EndpointSliceSchema>;

const selector = z.looseObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(z.looseObject({ key: z.string(), operator: z.string(), values: z.array(z.string()).optional() }))
    .optional(),
});
export type LabelSelector = z.output<typeof selector>;

const template = z.looseObject({ metadata: z.looseObject({ labels }).default({ labels: {} }), spec: podSpec.default({ containers: [] }) });

export const WorkloadSchema = z.looseObject({
  metadata: meta,
  spec: z
    .looseObject({
      replicas: z.number().default(1),
      selector: selector.default({}),
      template: template.default({ metadata: { labels: {} }, spec: { containers: [] } }),
      serviceName: z.string().optional(),
    })
    .default({ replicas: 1, selector: {}, template: { metadata: { labels: {} }, spec: { containers: [] } } }),
  status: z
    .looseObject({
      observedGeneration: z.number().optional(),
      replicas: z.number().default(0),
      readyReplicas: z.number().default(0),
      updatedReplicas: z.number().default(0),
      availableReplicas: z.number().default(0),
    })
    .default({ replicas: 0, readyReplicas: 0, updatedReplicas: 0, availableReplicas: 0 }),
});
export type Workload = z.output<typeof WorkloadSchema>;

export const EventSchema = z.looseObject({
  metadata: meta,
  type: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  /** How often the source saw it (client-go's correlator folds repeats into one Event). */
  count: z.number().int().optional(),
  involvedObject: z.looseObject({ kind: z.string().optional(), name: z.string().optional() }).default({}),
});
export type KubeEvent = z.output<typeof EventSchema>;
