// The fields of each kind the checks read, parsed once when a snapshot is taken.
// Objects stay loose: the cluster sends far more than we read, and the `resource`
// check compares against the raw object anyway.
// zod/mini (see ../zod-mini.ts): the one-shot `kubelab grade` starts faster without classic zod.
import * as z from '../zod-mini.ts';

const optionalString = () => z.optional(z.string());
const labels = z._default(z.record(z.string(), z.string()), {});
const meta = z.looseObject({
  name: z.string(),
  namespace: optionalString(),
  uid: optionalString(),
  generation: z.optional(z.number()),
  labels,
  annotations: z._default(z.record(z.string(), z.string()), {}),
  deletionTimestamp: optionalString(),
  ownerReferences: z._default(z.array(z.looseObject({ kind: z.string(), name: z.string(), uid: optionalString() })), []),
});

const probe = z.optional(z.looseObject({}));
const containerSpec = z.looseObject({
  name: z.string(),
  image: z._default(z.string(), ''),
  ports: z._default(z.array(z.looseObject({ name: optionalString(), containerPort: z.number(), protocol: optionalString() })), []),
  readinessProbe: probe,
});
const podSpec = z.looseObject({
  containers: z._default(z.array(containerSpec), []),
  nodeName: optionalString(),
});

const containerStatus = z.looseObject({
  name: z.string(),
  ready: z._default(z.boolean(), false),
  restartCount: z._default(z.number(), 0),
  state: z._default(
    z.looseObject({
      waiting: z.optional(z.looseObject({ reason: optionalString(), message: optionalString() })),
      running: z.optional(z.looseObject({})),
      terminated: z.optional(z.looseObject({ reason: optionalString(), exitCode: z.optional(z.number()) })),
    }),
    {},
  ),
});

export const PodSchema = z.looseObject({
  metadata: meta,
  spec: z._default(podSpec, { containers: [] }),
  status: z._default(
    z.looseObject({
      phase: optionalString(),
      /** Set when the kubelet rejects or evicts the Pod (e.g. OutOfpods). */
      reason: optionalString(),
      message: optionalString(),
      podIP: optionalString(),
      conditions: z._default(z.array(z.looseObject({ type: z.string(), status: z.string(), reason: optionalString(), message: optionalString() })), []),
      containerStatuses: z._default(z.array(containerStatus), []),
    }),
    { conditions: [], containerStatuses: [] },
  ),
});
export type Pod = z.output<typeof PodSchema>;

export const ServiceSchema = z.looseObject({
  metadata: meta,
  spec: z._default(
    z.looseObject({
      type: z._default(z.string(), 'ClusterIP'),
      clusterIP: optionalString(),
      selector: z.optional(z.record(z.string(), z.string())),
      ports: z._default(
        z.array(
          z.looseObject({
            name: optionalString(),
            port: z.number(),
            targetPort: z.optional(z.union([z.number(), z.string()])),
            protocol: z._default(z.string(), 'TCP'),
          }),
        ),
        [],
      ),
      sessionAffinity: z._default(z.string(), 'None'),
      internalTrafficPolicy: z._default(z.string(), 'Cluster'),
      publishNotReadyAddresses: z.optional(z.boolean()),
    }),
    { type: 'ClusterIP', ports: [], sessionAffinity: 'None', internalTrafficPolicy: 'Cluster' },
  ),
});
export type Service = z.output<typeof ServiceSchema>;

export const EndpointSliceSchema = z.looseObject({
  metadata: meta,
  addressType: z._default(z.string(), 'IPv4'),
  endpoints: z.pipe(
    z.nullish(
      z.array(
        z.looseObject({
          addresses: z._default(z.array(z.string()), []),
          conditions: z._default(z.looseObject({ ready: z.optional(z.boolean()), serving: z.optional(z.boolean()) }), {}),
          nodeName: optionalString(),
          targetRef: z.optional(z.looseObject({ kind: optionalString(), name: optionalString() })),
        }),
      ),
    ),
    z.transform((e) => e ?? []),
  ),
  ports: z.pipe(
    z.nullish(z.array(z.looseObject({ name: z.nullish(z.string()), port: z.nullish(z.number()), protocol: optionalString() }))),
    z.transform((p) => p ?? []),
  ),
});
export type EndpointSlice = z.output<typeof EndpointSliceSchema>;

const selector = z.looseObject({
  matchLabels: z.optional(z.record(z.string(), z.string())),
  matchExpressions: z.optional(z.array(z.looseObject({ key: z.string(), operator: z.string(), values: z.optional(z.array(z.string())) }))),
});
export type LabelSelector = z.output<typeof selector>;

const template = z.looseObject({ metadata: z._default(z.looseObject({ labels }), { labels: {} }), spec: z._default(podSpec, { containers: [] }) });

export const WorkloadSchema = z.looseObject({
  metadata: meta,
  spec: z._default(
    z.looseObject({
      replicas: z._default(z.number(), 1),
      selector: z._default(selector, {}),
      template: z._default(template, { metadata: { labels: {} }, spec: { containers: [] } }),
      serviceName: optionalString(),
    }),
    { replicas: 1, selector: {}, template: { metadata: { labels: {} }, spec: { containers: [] } } },
  ),
  status: z._default(
    z.looseObject({
      observedGeneration: z.optional(z.number()),
      replicas: z._default(z.number(), 0),
      readyReplicas: z._default(z.number(), 0),
      updatedReplicas: z._default(z.number(), 0),
      availableReplicas: z._default(z.number(), 0),
    }),
    { replicas: 0, readyReplicas: 0, updatedReplicas: 0, availableReplicas: 0 },
  ),
});
export type Workload = z.output<typeof WorkloadSchema>;

export const EventSchema = z.looseObject({
  metadata: meta,
  type: optionalString(),
  reason: optionalString(),
  message: optionalString(),
  /** How often the source saw it (client-go's correlator folds repeats into one Event). */
  count: z.optional(z.number().check(z.int())),
  involvedObject: z._default(z.looseObject({ kind: optionalString(), name: optionalString() }), {}),
});
export type KubeEvent = z.output<typeof EventSchema>;
