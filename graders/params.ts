// The check types an exercise may use, and the params each one takes.
// These schemas are the contract between exercise authors (exercises/*/exercise.yaml)
// and the grader that implements each check. Every object is strict so that a typo
// in an exercise file is a load error instead of a silently ignored option.
import { z } from 'zod';

/** Written inside `dns.name`, `http.url` and `tcp.host`; the grader replaces it with the learner's namespace. */
export const NAMESPACE_PLACEHOLDER = '{namespace}';

// RFC 1123 subdomain: what Kubernetes accepts for most object names.
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// RFC 1123 label: container names and port names.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const objectName = z
  .string()
  .max(253)
  .regex(DNS1123_SUBDOMAIN, 'must be a lowercase RFC 1123 name (letters, digits, "-", ".")');
const labelName = z
  .string()
  .max(63)
  .regex(DNS1123_LABEL, 'must be a lowercase RFC 1123 label (letters, digits, "-")');
const portNumber = z.int().min(1).max(65535);
const protocol = z.enum(['TCP', 'UDP', 'SCTP']);

// Only {namespace} may appear in braces; anything else is a typo in the exercise.
const templated = (inner: z.ZodString) =>
  inner.refine((s) => s.replaceAll(NAMESPACE_PLACEHOLDER, '').search(/[{}]/) === -1, {
    message: `the only placeholder allowed is ${NAMESPACE_PLACEHOLDER}`,
  });

export const workloadRef = z.strictObject({
  kind: z.enum(['Deployment', 'StatefulSet']),
  name: objectName,
});
export type WorkloadRef = z.output<typeof workloadRef>;

/** Where a network check runs: the grader's own busybox probe Pod, or one of the learner's Pods. */
export const execSource = z.union(
  [
    z.strictObject({ probe: z.literal(true) }),
    z.strictObject({ workload: workloadRef, container: labelName.optional() }),
  ],
  { error: 'expected {probe: true} or {workload: {kind, name}, container?}' },
);
export type ExecSource = z.output<typeof execSource>;

const dnsExpect = z.union(
  [
    // The name resolves to exactly this Service's cluster IP.
    z.strictObject({ serviceIP: objectName }),
    // The name resolves to exactly the IPs of this workload's Pods (headless Services).
    z.strictObject({ podIPs: workloadRef }),
    // The name resolves to exactly this Pod's IP.
    z.strictObject({ podIP: objectName }),
    z.strictObject({ nxdomain: z.literal(true) }),
  ],
  {
    error:
      'expected one of {serviceIP: <service>}, {podIPs: {kind, name}}, {podIP: <pod>}, {nxdomain: true}',
  },
);

const PARAM_SCHEMAS = {
  // The object exists and contains `match` as a subset (maps compare key by key,
  // lists element by element, scalars by equality), as KUTTL/Chainsaw asserts do.
  resource: z.strictObject({
    kind: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a Kubernetes kind such as Deployment'),
    name: objectName,
    match: z.record(z.string(), z.unknown()).optional(),
  }),
  // Fields left out are not checked. Each listed port must exist on the Service
  // (found by `port`), with the given targetPort/name/protocol when those are set.
  service: z.strictObject({
    name: objectName,
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).optional(),
    headless: z.boolean().optional(),
    hasClusterIP: z.boolean().optional(),
    ports: z
      .array(
        z.strictObject({
          port: portNumber,
          targetPort: z.union([portNumber, labelName]).optional(),
          name: labelName.optional(),
          protocol: protocol.optional(),
        }),
      )
      .min(1)
      .optional(),
    sessionAffinity: z.enum(['None', 'ClientIP']).optional(),
    internalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
  }),
  // The Service's selector matches exactly the Pods of the workload: all of them, nothing else.
  selector: z.strictObject({ service: objectName, workload: workloadRef }),
  // `replicas` omitted: every desired replica (at least one) must be ready.
  'workload-ready': z.strictObject({
    kind: z.enum(['Deployment', 'StatefulSet']),
    name: objectName,
    replicas: z.int().min(0).optional(),
  }),
  // Counts come from the Service's EndpointSlices. With `workload`, the ready
  // addresses must be exactly that workload's Pod IPs; `ready` may then be left out.
  endpoints: z
    .strictObject({
      service: objectName,
      ready: z.int().min(0).optional(),
      notReady: z.int().min(0).optional(),
      workload: workloadRef.optional(),
      ports: z
        .array(z.strictObject({ name: labelName.optional(), port: portNumber }))
        .min(1)
        .optional(),
    })
    .refine((p) => p.ready !== undefined || p.workload !== undefined, {
      message: 'give `ready`, `workload`, or both',
    }),
  dns: z.strictObject({
    from: execSource,
    name: templated(z.string().min(1)),
    expect: dnsExpect,
  }),
  http: z.strictObject({
    from: execSource,
    url: templated(z.string().regex(/^http:\/\/[^\s/]+(\/\S*)?$/, 'must be an http:// URL')),
    expectBody: z.string().min(1).optional(),
    expectStatus: z.int().min(100).max(599).optional(),
  }),
  tcp: z.strictObject({
    from: execSource,
    host: templated(z.string().min(1)),
    port: portNumber,
  }),
  // Each of `clients` probe Pods sends `requests` requests; each client must
  // always be answered by the same Pod (answers must name the Pod that served them).
  affinity: z.strictObject({
    service: objectName,
    port: portNumber.optional(),
    requests: z.int().min(2).max(100).default(10),
    clients: z.int().min(1).max(10).default(2),
  }),
  // The grader puts a probe Pod on every node: where the workload has a Pod, all
  // answers come from Pods on that node; elsewhere the connection must fail.
  'local-traffic': z.strictObject({
    service: objectName,
    port: portNumber.optional(),
    workload: workloadRef,
  }),
  // A readiness probe is configured on `container`; with `service`, on the container
  // that serves the Service's port (sidecars need none); with neither, on every container.
  'readiness-probe': z.strictObject({
    kind: z.enum(['Deployment', 'StatefulSet']),
    name: objectName,
    container: labelName.optional(),
    service: objectName.optional(),
  }),
  // Run with KUBECONFIG and NAMESPACE set; exit 0 = pass; last stdout line = message.
  script: z.strictObject({
    command: z.array(z.string().min(1)).min(1),
    timeoutSeconds: z.int().min(1).max(300).optional(),
  }),
} as const;

// Typed as a mapped type so that CHECK_PARAMS[T] for a generic T is still known
// to produce CheckParams<T> (an indexed object literal would be an opaque union).
type ParamSchemas = typeof PARAM_SCHEMAS;
export const CHECK_PARAMS: {
  readonly [K in keyof ParamSchemas]: z.ZodType<z.output<ParamSchemas[K]>, z.input<ParamSchemas[K]>>;
} = PARAM_SCHEMAS;

export type CheckType = keyof typeof CHECK_PARAMS;
/** The params of a check type after parsing (defaults filled in). */
export type CheckParams<T extends CheckType> = z.output<ParamSchemas[T]>;

export function isCheckType(type: string): type is CheckType {
  return Object.hasOwn(CHECK_PARAMS, type);
}

/** Parses params for a check type; the result carries every issue, with paths inside `params`. */
export function parseCheckParams<T extends CheckType>(
  type: T,
  params: unknown,
): z.ZodSafeParseResult<CheckParams<T>> {
  return CHECK_PARAMS[type].safeParse(params);
}
