// OpenAPI v3 component schemas for the kinds the lessons and exercises use, so
// `kubectl explain` can describe them (kubectl/pkg/explain/v2 finds a kind by its
// x-kubernetes-group-version-kind and follows $refs). Descriptions are our own
// short summaries; list/patch extensions follow the struct tags of k8s.io/api
// v0.32 (core/v1, apps/v1, discovery/v1 types.go) and apimachinery meta/v1.
// Only the fields a learner meets are described; the server accepts the rest.

export type Schema = Record<string, unknown>;

const CORE = 'io.k8s.api.core.v1.';
const APPS = 'io.k8s.api.apps.v1.';
const DISC = 'io.k8s.api.discovery.v1.';
const NET = 'io.k8s.api.networking.v1.';
const RBAC = 'io.k8s.api.rbac.v1.';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const INTSTR = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

const str = (description: string): Schema => ({ type: 'string', description });
const i32 = (description: string): Schema => ({ type: 'integer', format: 'int32', description });
const i64 = (description: string): Schema => ({ type: 'integer', format: 'int64', description });
const bool = (description: string): Schema => ({ type: 'boolean', description });
const strMap = (description: string): Schema => ({ type: 'object', additionalProperties: { type: 'string', default: '' }, description });
const bytesMap = (description: string): Schema => ({ type: 'object', additionalProperties: { type: 'string', format: 'byte' }, description });
const strList = (description: string, ext: Schema = ATOMIC): Schema => ({ type: 'array', items: { type: 'string', default: '' }, description, ...ext });
/** A field holding another schema; OpenAPI 3.0 ignores siblings of $ref, hence allOf (as the real spec does). */
const ref = (name: string, description: string): Schema => ({ allOf: [{ $ref: `#/components/schemas/${name}` }], description });
const refList = (name: string, description: string, ext: Schema = ATOMIC): Schema =>
  ({ type: 'array', items: { allOf: [{ $ref: `#/components/schemas/${name}` }], default: {} }, description, ...ext });
const quantities = (description: string): Schema => ({ type: 'object', additionalProperties: { $ref: `#/components/schemas/${QUANTITY}` }, description });

const ATOMIC: Schema = { 'x-kubernetes-list-type': 'atomic' };
/** patchStrategy:"merge" patchMergeKey:key, +listType=map +listMapKey=mapKeys. */
const mergeBy = (key: string, mapKeys: string[] = [key], strategy = 'merge'): Schema => ({
  'x-kubernetes-list-map-keys': mapKeys, 'x-kubernetes-list-type': 'map',
  'x-kubernetes-patch-merge-key': key, 'x-kubernetes-patch-strategy': strategy,
});

const obj = (description: string, properties: Record<string, Schema>, required?: string[]): Schema =>
  ({ description, type: 'object', properties, ...(required ? { required } : {}) });

const TYPE_META = {
  apiVersion: str('The versioned schema of this object, such as v1 or apps/v1.'),
  kind: str('The type of this object, in CamelCase, such as Pod or Service.'),
};

/** A top-level kind: apiVersion, kind, metadata, then its own fields. */
function kind(group: string, version: string, name: string, description: string, fields: Record<string, Schema>): Schema {
  return {
    description, type: 'object',
    properties: { ...TYPE_META, metadata: ref(`${META}ObjectMeta`, "Standard object metadata: name, namespace, labels, annotations and the fields the system sets."), ...fields },
    'x-kubernetes-group-version-kind': [{ group, kind: name, version }],
  };
}

const meta: Record<string, Schema> = {
  ObjectMeta: obj('Metadata every persisted object carries.', {
    name: str('Unique name of the object within its namespace (or the cluster for cluster-scoped kinds).'),
    generateName: str('Prefix the server uses to generate a unique name when name is not set.'),
    namespace: str('Namespace the object lives in; empty for cluster-scoped objects.'),
    uid: str('Unique identifier the server assigns at creation; never reused.'),
    resourceVersion: str('Opaque version of the object, changed on every write; used for optimistic concurrency and watches.'),
    generation: i64('Sequence number of the desired state, bumped when the spec changes.'),
    creationTimestamp: ref(`${META}Time`, 'When the server created the object.'),
    deletionTimestamp: ref(`${META}Time`, 'When the object was asked to be deleted; set by the server, not by clients.'),
    labels: strMap('Key/value pairs used to organise and select objects.'),
    annotations: strMap('Key/value pairs for tools and people; not used for selection.'),
    ownerReferences: refList(`${META}OwnerReference`, 'Objects this one depends on; it is garbage-collected when they are gone.', mergeBy('uid')),
    finalizers: { ...strList('Names of cleanup steps that must finish before the object is removed.'), 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' },
  }),
  OwnerReference: obj('Points at an object that owns this one.', {
    apiVersion: str('API version of the owner.'),
    kind: str('Kind of the owner.'),
    name: str('Name of the owner.'),
    uid: str('UID of the owner.'),
    controller: bool('True when the owner is the managing controller.'),
    blockOwnerDeletion: bool('When true, the owner cannot be deleted in the foreground before this object is.'),
  }, ['apiVersion', 'kind', 'name', 'uid']),
  LabelSelector: {
    ...obj('A label query; an object matches when every condition holds. An empty selector matches everything.', {
      matchLabels: strMap('Exact key=value pairs an object must have.'),
      matchExpressions: refList(`${META}LabelSelectorRequirement`, 'Set-based requirements (In, NotIn, Exists, DoesNotExist).'),
    }),
    'x-kubernetes-map-type': 'atomic',
  },
  LabelSelectorRequirement: obj('One set-based condition on a label key.', {
    key: str('The label key the condition applies to.'),
    operator: str('How the key relates to the values: In, NotIn, Exists or DoesNotExist.'),
    values: strList('Values for In and NotIn; must be empty for Exists and DoesNotExist.'),
  }, ['key', 'operator']),
  Time: { description: 'A timestamp in RFC 3339 form, to the second.', type: 'string', format: 'date-time' },
};

const probeHandler = {
  exec: ref(`${CORE}ExecAction`, 'Run a command inside the container; exit status 0 means success.'),
  httpGet: ref(`${CORE}HTTPGetAction`, 'Send an HTTP GET; a status from 200 to 399 means success.'),
  tcpSocket: ref(`${CORE}TCPSocketAction`, 'Open a TCP connection; success when it connects.'),
};

const core: Record<string, Schema> = {
  Pod: kind('', 'v1', 'Pod', 'A group of containers scheduled together on one node, sharing network and storage.', {
    spec: ref(`${CORE}PodSpec`, 'Desired behaviour of the pod.'),
    status: ref(`${CORE}PodStatus`, 'Most recently observed state of the pod; set by the system.'),
  }),
  PodSpec: obj('What a pod runs and how.', {
    containers: refList(`${CORE}Container`, 'The containers of the pod; at least one.', mergeBy('name')),
    initContainers: refList(`${CORE}Container`, 'Containers that run to completion, in order, before the regular containers start.', mergeBy('name')),
    volumes: refList(`${CORE}Volume`, 'Volumes the containers can mount.', mergeBy('name', ['name'], 'merge,retainKeys')),
    restartPolicy: str('When containers are restarted: Always (default), OnFailure or Never.'),
    terminationGracePeriodSeconds: i64('Seconds between the stop signal and the kill at deletion; default 30.'),
    activeDeadlineSeconds: i64('Seconds the pod may run before the system marks it failed.'),
    dnsPolicy: str('How DNS is set up for the pod: ClusterFirst (default), Default, ClusterFirstWithHostNet or None.'),
    nodeSelector: strMap('Node labels the pod requires; it is only scheduled onto matching nodes.'),
    serviceAccountName: str('Service account the pod runs as.'),
    automountServiceAccountToken: bool('Whether the service account token is mounted into the pod.'),
    nodeName: str('Node the pod runs on; normally set by the scheduler.'),
    hostNetwork: bool("Use the node's network namespace instead of the pod's own."),
    securityContext: ref(`${CORE}PodSecurityContext`, 'Security settings for every container of the pod.'),
    hostname: str("The pod's host name; defaults to the pod name."),
    subdomain: str('With hostname, gives the pod the DNS name <hostname>.<subdomain>.<namespace>.svc.<cluster-domain>.'),
    schedulerName: str('Scheduler that places the pod.'),
    enableServiceLinks: bool('Whether environment variables describing Services are injected; default true.'),
  }, ['containers']),
  Container: obj('One container of a pod.', {
    name: str('Name of the container, unique within the pod (a DNS label).'),
    image: str('Container image to run, such as nginx:1.27.'),
    command: strList("Entrypoint to run instead of the image's ENTRYPOINT; not run in a shell."),
    args: strList("Arguments to the entrypoint, replacing the image's CMD."),
    workingDir: str('Working directory of the process.'),
    ports: refList(`${CORE}ContainerPort`, 'Ports the container listens on; informational, but names here can be used by Services.', mergeBy('containerPort', ['containerPort', 'protocol'])),
    env: refList(`${CORE}EnvVar`, 'Environment variables set in the container.', mergeBy('name')),
    resources: ref(`${CORE}ResourceRequirements`, 'Compute resources the container requests and may not exceed.'),
    volumeMounts: refList(`${CORE}VolumeMount`, 'Volumes mounted into the filesystem of the container.', mergeBy('mountPath')),
    livenessProbe: ref(`${CORE}Probe`, 'Checks the container is alive; the container is restarted when it fails.'),
    readinessProbe: ref(`${CORE}Probe`, 'Checks the container can serve; the pod leaves Service endpoints while it fails.'),
    startupProbe: ref(`${CORE}Probe`, 'Checks the container has started; the other probes wait until it succeeds.'),
    imagePullPolicy: str('When the image is pulled: Always, IfNotPresent or Never.'),
    securityContext: ref(`${CORE}SecurityContext`, 'Security settings for this container.'),
    stdin: bool('Keep a stdin buffer open for the container.'),
    tty: bool('Allocate a terminal for the container.'),
  }, ['name']),
  ContainerPort: obj('A network port of a container.', {
    name: str('Name of the port (an IANA service name), which Services can use as targetPort.'),
    containerPort: i32('Port number the container listens on, 1-65535.'),
    hostPort: i32('Port to expose on the node; rarely needed.'),
    protocol: str('Protocol of the port: TCP (default), UDP or SCTP.'),
  }, ['containerPort']),
  EnvVar: obj('An environment variable in a container.', {
    name: str('Name of the variable.'),
    value: str('Literal value; $(VAR) references to earlier variables are expanded.'),
    valueFrom: ref(`${CORE}EnvVarSource`, 'Where to read the value from, instead of value.'),
  }, ['name']),
  EnvVarSource: obj('A source for the value of an environment variable.', {
    configMapKeyRef: ref(`${CORE}ConfigMapKeySelector`, 'A key of a ConfigMap.'),
    secretKeyRef: ref(`${CORE}SecretKeySelector`, 'A key of a Secret.'),
    fieldRef: ref(`${CORE}ObjectFieldSelector`, 'A field of the pod, such as metadata.name or status.podIP.'),
  }),
  ConfigMapKeySelector: { ...obj('Selects one key of a ConfigMap.', { name: str('Name of the ConfigMap.'), key: str('The key to read.'), optional: bool('Whether the ConfigMap or key may be missing.') }, ['key']), 'x-kubernetes-map-type': 'atomic' },
  SecretKeySelector: { ...obj('Selects one key of a Secret.', { name: str('Name of the Secret.'), key: str('The key to read.'), optional: bool('Whether the Secret or key may be missing.') }, ['key']), 'x-kubernetes-map-type': 'atomic' },
  ObjectFieldSelector: { ...obj('Selects a field of the pod.', { apiVersion: str('Version of the schema the path is written in; default v1.'), fieldPath: str('Path of the field, such as metadata.name.') }, ['fieldPath']), 'x-kubernetes-map-type': 'atomic' },
  ResourceRequirements: obj('Compute resources of a container.', {
    requests: quantities('Minimum resources the container needs; the scheduler places the pod by these.'),
    limits: quantities('Maximum resources the container may use.'),
  }),
  Probe: obj('A health check the kubelet runs against a container.', {
    ...probeHandler,
    initialDelaySeconds: i32('Seconds after the container starts before the first check.'),
    periodSeconds: i32('Seconds between checks; default 10.'),
    timeoutSeconds: i32('Seconds before a check times out; default 1.'),
    successThreshold: i32('Consecutive successes needed after a failure; default 1.'),
    failureThreshold: i32('Consecutive failures before the probe counts as failed; default 3.'),
  }),
  ExecAction: obj('A command run in the container.', { command: strList('Command and arguments; not run in a shell.') }),
  HTTPGetAction: obj('An HTTP GET request.', {
    path: str('Path to request.'),
    port: ref(INTSTR, 'Port number or name on the container.'),
    host: str('Host to connect to; defaults to the pod IP.'),
    scheme: str('HTTP (default) or HTTPS.'),
  }, ['port']),
  TCPSocketAction: obj('A TCP connection attempt.', {
    port: ref(INTSTR, 'Port number or name on the container.'),
    host: str('Host to connect to; defaults to the pod IP.'),
  }, ['port']),
  SecurityContext: obj('Security settings of a container.', {
    runAsUser: i64('User ID the process runs as.'),
    runAsGroup: i64('Group ID the process runs as.'),
    runAsNonRoot: bool('Refuse to start the container if it would run as root.'),
    privileged: bool('Run the container with all the privileges of the host.'),
    allowPrivilegeEscalation: bool('Whether a process may gain more privileges than its parent.'),
    readOnlyRootFilesystem: bool('Mount the root filesystem read-only.'),
    capabilities: ref(`${CORE}Capabilities`, 'Linux capabilities to add or drop.'),
  }),
  Capabilities: obj('Linux capabilities to add to or drop from a container.', {
    add: strList('Capabilities to add.'),
    drop: strList('Capabilities to drop.'),
  }),
  PodSecurityContext: obj('Security settings shared by all containers of a pod.', {
    runAsUser: i64('User ID the processes run as.'),
    runAsGroup: i64('Group ID the processes run as.'),
    runAsNonRoot: bool('Refuse to start containers that would run as root.'),
    fsGroup: i64('Group that owns mounted volumes and is added to every process.'),
  }),
  Volume: obj('A named volume the containers of a pod can mount.', {
    name: str('Name of the volume, referred to by volumeMounts.'),
    emptyDir: ref(`${CORE}EmptyDirVolumeSource`, 'A scratch directory that lives as long as the pod.'),
    configMap: ref(`${CORE}ConfigMapVolumeSource`, 'The keys of a ConfigMap, as files.'),
    secret: ref(`${CORE}SecretVolumeSource`, 'The keys of a Secret, as files.'),
  }, ['name']),
  VolumeMount: obj('Where a volume appears in a container.', {
    name: str('Name of the volume to mount.'),
    mountPath: str('Path in the container where the volume appears.'),
    subPath: str('Path inside the volume to mount instead of its root.'),
    readOnly: bool('Mount read-only.'),
  }, ['name', 'mountPath']),
  EmptyDirVolumeSource: obj('An empty directory created with the pod.', {
    medium: str('Storage medium: empty for the node default, or Memory.'),
    sizeLimit: ref(QUANTITY, 'Most space the directory may use.'),
  }),
  ConfigMapVolumeSource: obj('Projects a ConfigMap into a volume.', {
    name: str('Name of the ConfigMap.'),
    items: refList(`${CORE}KeyToPath`, 'Keys to project; all keys when empty.'),
    defaultMode: i32('Permission bits of the files; default 0644.'),
    optional: bool('Whether the ConfigMap may be missing.'),
  }),
  SecretVolumeSource: obj('Projects a Secret into a volume.', {
    secretName: str('Name of the Secret.'),
    items: refList(`${CORE}KeyToPath`, 'Keys to project; all keys when empty.'),
    defaultMode: i32('Permission bits of the files; default 0644.'),
    optional: bool('Whether the Secret may be missing.'),
  }),
  KeyToPath: obj('Maps one key to a file path in a volume.', {
    key: str('The key to project.'),
    path: str('Relative path of the file.'),
    mode: i32('Permission bits of this file.'),
  }, ['key', 'path']),
  PodStatus: obj('Observed state of a pod.', {
    phase: str('Coarse lifecycle stage: Pending, Running, Succeeded, Failed or Unknown.'),
    conditions: refList(`${CORE}PodCondition`, 'Current conditions, such as Ready.', mergeBy('type')),
    hostIP: str('IP of the node the pod runs on.'),
    podIP: str('IP assigned to the pod; empty until it has one.'),
    startTime: ref(`${META}Time`, 'When the kubelet accepted the pod.'),
    containerStatuses: refList(`${CORE}ContainerStatus`, 'One entry per container.'),
    qosClass: str('Quality-of-service class derived from the resources: Guaranteed, Burstable or BestEffort.'),
  }),
  PodCondition: obj('One condition of a pod.', {
    type: str('Condition type, such as Ready or PodScheduled.'),
    status: str('True, False or Unknown.'),
    reason: str('One-word reason for the last transition.'),
    message: str('Human-readable detail.'),
    lastTransitionTime: ref(`${META}Time`, 'When the status last changed.'),
  }, ['type', 'status']),
  ContainerStatus: obj('Observed state of one container.', {
    name: str('Name of the container.'),
    ready: bool('Whether the container passes its readiness probe.'),
    started: bool('Whether the container has started and passed its startup probe.'),
    restartCount: i32('How many times the container has been restarted.'),
    image: str('Image the container runs.'),
    imageID: str('ID of the image.'),
    containerID: str('ID of the container in the runtime.'),
  }, ['name', 'ready', 'restartCount', 'image', 'imageID']),
  PodTemplateSpec: obj('The pods a workload creates: their metadata and spec.', {
    metadata: ref(`${META}ObjectMeta`, 'Metadata of the pods; its labels must match the selector.'),
    spec: ref(`${CORE}PodSpec`, 'Spec of the pods.'),
  }),

  Service: kind('', 'v1', 'Service', 'A stable name and virtual IP in front of a set of pods chosen by a selector.', {
    spec: ref(`${CORE}ServiceSpec`, 'How the Service is exposed and which pods it sends traffic to.'),
    status: ref(`${CORE}ServiceStatus`, 'Most recently observed state of the Service.'),
  }),
  ServiceSpec: obj('How a Service is exposed.', {
    ports: refList(`${CORE}ServicePort`, 'The ports the Service exposes.', mergeBy('port', ['port', 'protocol'])),
    selector: { ...strMap('Labels of the pods that receive traffic; without a selector the endpoints are managed by hand.'), 'x-kubernetes-map-type': 'atomic' },
    clusterIP: str('Virtual IP of the Service, usually assigned at random; None makes the Service headless. Cannot change once set.'),
    clusterIPs: strList('The virtual IPs of the Service; the first equals clusterIP.'),
    type: str('How the Service is exposed: ClusterIP (default), NodePort, LoadBalancer or ExternalName.'),
    externalIPs: strList('Extra IPs on which the nodes accept traffic for the Service.'),
    externalName: str('DNS name returned as a CNAME for type ExternalName.'),
    sessionAffinity: str('ClientIP sends each client to the same pod; None (default) picks one per connection.'),
    sessionAffinityConfig: ref(`${CORE}SessionAffinityConfig`, 'Settings for session affinity.'),
    publishNotReadyAddresses: bool('Include pods that are not ready in the endpoints and DNS.'),
    internalTrafficPolicy: str('Cluster (default) sends traffic from inside the cluster to any ready endpoint; Local only to endpoints on the same node as the client, dropping it if there are none.'),
    externalTrafficPolicy: str('For external traffic: Cluster (default) to any endpoint, or Local to endpoints on the receiving node only.'),
    ipFamilies: strList('IP families of the Service, such as IPv4.'),
    ipFamilyPolicy: str('SingleStack (default), PreferDualStack or RequireDualStack.'),
  }),
  ServicePort: obj('One port a Service exposes.', {
    name: str('Name of the port; required and unique when the Service has several ports.'),
    protocol: str('TCP (default), UDP or SCTP.'),
    appProtocol: str('Application protocol of the port, as a hint to implementations.'),
    port: i32('Port the Service listens on.'),
    targetPort: ref(INTSTR, 'Port number or container port name on the pods; defaults to port.'),
    nodePort: i32('Port opened on every node for NodePort and LoadBalancer Services; assigned when not set.'),
  }, ['port']),
  SessionAffinityConfig: obj('Settings for session affinity.', {
    clientIP: ref(`${CORE}ClientIPConfig`, 'Settings for ClientIP affinity.'),
  }),
  ClientIPConfig: obj('Settings for ClientIP session affinity.', {
    timeoutSeconds: i32('How long a client sticks to its pod, in seconds: 1 to 86400, default 10800 (3 hours).'),
  }),
  ServiceStatus: obj('Observed state of a Service.', {
    loadBalancer: { type: 'object', description: 'Ingress points of a LoadBalancer Service.' },
  }),

  Endpoints: kind('', 'v1', 'Endpoints', 'The addresses and ports behind a Service (the legacy API; EndpointSlice replaces it).', {
    subsets: refList(`${CORE}EndpointSubset`, 'Groups of addresses sharing the same ports.'),
  }),
  EndpointSubset: obj('Addresses that share a set of ports.', {
    addresses: refList(`${CORE}EndpointAddress`, 'Addresses of ready endpoints.'),
    notReadyAddresses: refList(`${CORE}EndpointAddress`, 'Addresses of endpoints that are not ready yet.'),
    ports: refList(`${CORE}EndpointPort`, 'Ports open on every address.'),
  }),
  EndpointAddress: { ...obj('One endpoint address.', {
    ip: str('IP of the endpoint.'),
    hostname: str('Host name of the endpoint.'),
    nodeName: str('Node the endpoint is on.'),
    targetRef: ref(`${CORE}ObjectReference`, 'The object behind the endpoint, usually a Pod.'),
  }, ['ip']), 'x-kubernetes-map-type': 'atomic' },
  EndpointPort: { ...obj('One port of an endpoint.', {
    name: str('Name of the port, matching the Service port name.'),
    port: i32('Port number.'),
    protocol: str('TCP, UDP or SCTP.'),
    appProtocol: str('Application protocol of the port.'),
  }, ['port']), 'x-kubernetes-map-type': 'atomic' },
  ObjectReference: { ...obj('A reference to another object.', {
    kind: str('Kind of the object.'),
    namespace: str('Namespace of the object.'),
    name: str('Name of the object.'),
    uid: str('UID of the object.'),
  }), 'x-kubernetes-map-type': 'atomic' },

  ConfigMap: kind('', 'v1', 'ConfigMap', 'Non-secret configuration as key/value pairs, for pods to read as environment variables or files.', {
    data: strMap('UTF-8 values by key.'),
    binaryData: bytesMap('Binary values by key, base64-encoded.'),
    immutable: bool('When true, the data can no longer be changed.'),
  }),
  Secret: kind('', 'v1', 'Secret', 'Sensitive data such as passwords or tokens, as key/value pairs.', {
    data: bytesMap('Values by key, base64-encoded.'),
    stringData: strMap('Write-only plain-text values, merged into data on write.'),
    type: str('Kind of secret, such as Opaque (default) or kubernetes.io/tls.'),
    immutable: bool('When true, the data can no longer be changed.'),
  }),
  Namespace: kind('', 'v1', 'Namespace', 'A scope for names; most objects live in one.', {
    spec: ref(`${CORE}NamespaceSpec`, 'Desired state of the namespace.'),
    status: ref(`${CORE}NamespaceStatus`, 'Observed state of the namespace.'),
  }),
  NamespaceSpec: obj('Desired state of a namespace.', {
    finalizers: strList('Cleanup steps that must finish before the namespace is removed.'),
  }),
  NamespaceStatus: obj('Observed state of a namespace.', {
    phase: str('Active, or Terminating while its objects are deleted.'),
  }),

  ServiceAccount: kind('', 'v1', 'ServiceAccount', 'An identity for processes that run in a pod; pods use their namespace\'s default one unless spec.serviceAccountName names another.', {
    automountServiceAccountToken: bool('Whether pods using this account get an API token mounted; a pod\'s own setting wins.'),
    imagePullSecrets: refList(`${CORE}LocalObjectReference`, 'Secrets in the same namespace used to pull the images of pods that use this account.'),
    secrets: refList(`${CORE}ObjectReference`, 'Secrets pods running as this account may use (legacy; not used for tokens since v1.24).'),
  }),
  LocalObjectReference: { ...obj('Names an object in the same namespace.', {
    name: str('Name of the object.'),
  }), 'x-kubernetes-map-type': 'atomic' },
  ResourceQuota: kind('', 'v1', 'ResourceQuota', 'Limits on the total resources and object counts of one namespace; a create that would exceed them is refused.', {
    spec: ref(`${CORE}ResourceQuotaSpec`, 'The limits the quota enforces.'),
    status: ref(`${CORE}ResourceQuotaStatus`, 'What is enforced and what is used now.'),
  }),
  ResourceQuotaSpec: obj('The limits of a quota.', {
    hard: quantities('Limit per named resource, such as pods, requests.cpu, limits.memory or count/deployments.apps.'),
    scopes: strList('Only objects in all these scopes count, such as BestEffort or NotTerminating.'),
    scopeSelector: ref(`${CORE}ScopeSelector`, 'Only objects matching these scope expressions count.'),
  }),
  ScopeSelector: { ...obj('Scope expressions, all of which must match.', {
    matchExpressions: refList(`${CORE}ScopedResourceSelectorRequirement`, 'The expressions, ANDed.'),
  }), 'x-kubernetes-map-type': 'atomic' },
  ScopedResourceSelectorRequirement: obj('One scope expression.', {
    scopeName: str('The scope, such as PriorityClass or Terminating.'),
    operator: str('In, NotIn, Exists or DoesNotExist.'),
    values: strList('Values for In and NotIn; empty for Exists and DoesNotExist.'),
  }, ['scopeName', 'operator']),
  ResourceQuotaStatus: obj('Observed state of a quota.', {
    hard: quantities('The limits being enforced.'),
    used: quantities('What the namespace uses now, per limited resource.'),
  }),
  LimitRange: kind('', 'v1', 'LimitRange', 'Per-object resource constraints in a namespace, and the defaults given to containers that set no requests or limits.', {
    spec: ref(`${CORE}LimitRangeSpec`, 'The constraints.'),
  }),
  LimitRangeSpec: obj('The constraints of a LimitRange.', {
    limits: refList(`${CORE}LimitRangeItem`, 'One entry per kind of object constrained.'),
  }, ['limits']),
  LimitRangeItem: obj('Constraints for one type of object.', {
    type: str('What is constrained: Container, Pod or PersistentVolumeClaim.'),
    max: quantities('Largest amount allowed per resource.'),
    min: quantities('Smallest amount allowed per resource.'),
    default: quantities('Limits given to a container that sets none.'),
    defaultRequest: quantities('Requests given to a container that sets none.'),
    maxLimitRequestRatio: quantities('Largest allowed limit divided by request, per resource.'),
  }, ['type']),
};

const workloadStatusFields = {
  observedGeneration: i64('Most recent generation the controller has acted on.'),
  replicas: i32('Number of pods the controller manages.'),
  readyReplicas: i32('Number of those pods that are ready.'),
  availableReplicas: i32('Number of pods ready for at least minReadySeconds.'),
};
const selector = (what: string) => ref(`${META}LabelSelector`, `Label query over the pods the ${what} manages; it must match the template's labels and cannot change.`);
const template = (what: string) => ref(`${CORE}PodTemplateSpec`, `The pods the ${what} creates.`);

const apps: Record<string, Schema> = {
  Deployment: kind('apps', 'v1', 'Deployment', 'Declarative updates for a set of identical pods, rolled out through ReplicaSets.', {
    spec: ref(`${APPS}DeploymentSpec`, 'Desired state of the Deployment.'),
    status: ref(`${APPS}DeploymentStatus`, 'Most recently observed state of the Deployment.'),
  }),
  DeploymentSpec: obj('Desired state of a Deployment.', {
    replicas: i32('Number of pods wanted; default 1.'),
    selector: selector('Deployment'),
    template: template('Deployment'),
    strategy: { ...ref(`${APPS}DeploymentStrategy`, 'How old pods are replaced by new ones.'), 'x-kubernetes-patch-strategy': 'retainKeys' },
    minReadySeconds: i32('Seconds a new pod must be ready before it counts as available.'),
    revisionHistoryLimit: i32('Old ReplicaSets to keep for rollback; default 10.'),
    paused: bool('When true, changes to the template are not rolled out.'),
    progressDeadlineSeconds: i32('Seconds a rollout may make no progress before it is reported as failed; default 600.'),
  }, ['selector', 'template']),
  DeploymentStrategy: obj('How a Deployment replaces pods.', {
    type: str('RollingUpdate (default) or Recreate.'),
    rollingUpdate: ref(`${APPS}RollingUpdateDeployment`, 'Settings for RollingUpdate.'),
  }),
  RollingUpdateDeployment: obj('Pace of a rolling update.', {
    maxUnavailable: ref(INTSTR, 'Pods that may be unavailable during the update, as a number or percentage; default 25%.'),
    maxSurge: ref(INTSTR, 'Pods that may exist above the desired count during the update; default 25%.'),
  }),
  DeploymentStatus: obj('Observed state of a Deployment.', {
    ...workloadStatusFields,
    updatedReplicas: i32('Number of pods running the current template.'),
    unavailableReplicas: i32('Number of pods still needed for full availability.'),
    conditions: refList(`${APPS}DeploymentCondition`, 'Current conditions, such as Available and Progressing.', mergeBy('type')),
  }),
  DeploymentCondition: obj('One condition of a Deployment.', {
    type: str('Available, Progressing or ReplicaFailure.'),
    status: str('True, False or Unknown.'),
    reason: str('One-word reason for the last transition.'),
    message: str('Human-readable detail.'),
  }, ['type', 'status']),
  ReplicaSet: kind('apps', 'v1', 'ReplicaSet', 'Keeps a given number of identical pods running; usually managed by a Deployment.', {
    spec: ref(`${APPS}ReplicaSetSpec`, 'Desired state of the ReplicaSet.'),
    status: ref(`${APPS}ReplicaSetStatus`, 'Most recently observed state of the ReplicaSet.'),
  }),
  ReplicaSetSpec: obj('Desired state of a ReplicaSet.', {
    replicas: i32('Number of pods wanted; default 1.'),
    selector: selector('ReplicaSet'),
    template: template('ReplicaSet'),
    minReadySeconds: i32('Seconds a new pod must be ready before it counts as available.'),
  }, ['selector']),
  ReplicaSetStatus: obj('Observed state of a ReplicaSet.', {
    ...workloadStatusFields,
    fullyLabeledReplicas: i32('Number of pods whose labels match the template.'),
  }, ['replicas']),
  StatefulSet: kind('apps', 'v1', 'StatefulSet', 'Pods with stable names, network identities and storage, created and removed in order.', {
    spec: ref(`${APPS}StatefulSetSpec`, 'Desired state of the StatefulSet.'),
    status: ref(`${APPS}StatefulSetStatus`, 'Most recently observed state of the StatefulSet.'),
  }),
  StatefulSetSpec: obj('Desired state of a StatefulSet.', {
    replicas: i32('Number of pods wanted; default 1.'),
    selector: selector('StatefulSet'),
    template: template('StatefulSet'),
    serviceName: str('Headless Service that gives each pod its DNS name <pod>.<serviceName>.'),
    podManagementPolicy: str('OrderedReady (default) starts pods one at a time in order; Parallel starts them together.'),
    updateStrategy: ref(`${APPS}StatefulSetUpdateStrategy`, 'How pods are replaced when the template changes.'),
    minReadySeconds: i32('Seconds a new pod must be ready before it counts as available.'),
    revisionHistoryLimit: i32('Old revisions to keep; default 10.'),
  }, ['selector', 'template']),
  StatefulSetUpdateStrategy: obj('How a StatefulSet replaces pods.', {
    type: str('RollingUpdate (default) or OnDelete.'),
    rollingUpdate: ref(`${APPS}RollingUpdateStatefulSetStrategy`, 'Settings for RollingUpdate.'),
  }),
  RollingUpdateStatefulSetStrategy: obj('Settings of a StatefulSet rolling update.', {
    partition: i32('Only pods with an ordinal at or above this are updated; default 0.'),
    maxUnavailable: ref(INTSTR, 'Pods that may be unavailable during the update; default 1.'),
  }),
  StatefulSetStatus: obj('Observed state of a StatefulSet.', {
    ...workloadStatusFields,
    currentReplicas: i32('Number of pods at currentRevision.'),
    updatedReplicas: i32('Number of pods at updateRevision.'),
    currentRevision: str('Revision the pods up to currentReplicas run.'),
    updateRevision: str('Revision being rolled out.'),
  }, ['replicas']),
};

const discovery: Record<string, Schema> = {
  EndpointSlice: {
    ...kind('discovery.k8s.io', 'v1', 'EndpointSlice', 'A subset of the endpoints behind a Service; the controller keeps one or more per Service.', {
      addressType: str('Type of every address in the slice: IPv4, IPv6 or FQDN.'),
      endpoints: refList(`${DISC}Endpoint`, 'The endpoints in this slice; at most 1000.'),
      ports: refList(`${DISC}EndpointPort`, 'Ports every endpoint in the slice exposes.'),
    }),
    required: ['addressType', 'endpoints'],
  },
  Endpoint: obj('One backend of a Service.', {
    addresses: { ...strList('Addresses of the endpoint; one for pods.'), 'x-kubernetes-list-type': 'set' },
    conditions: ref(`${DISC}EndpointConditions`, 'Whether the endpoint is ready, serving or terminating.'),
    hostname: str('Host name of the endpoint, used for DNS records.'),
    nodeName: str('Node that hosts the endpoint.'),
    zone: str('Zone the endpoint is in.'),
    targetRef: ref(`${CORE}ObjectReference`, 'The object behind the endpoint, usually a Pod.'),
  }, ['addresses']),
  EndpointConditions: obj('Current state of an endpoint.', {
    ready: bool('The endpoint should receive traffic: serving and not terminating (or the Service publishes not-ready addresses).'),
    serving: bool('The endpoint passes its readiness checks, even while terminating.'),
    terminating: bool('The endpoint is being deleted.'),
  }),
  EndpointPort: { ...obj('One port of the endpoints in a slice.', {
    name: str('Name of the port, matching the Service port name.'),
    port: i32('Port number; unset means all ports.'),
    protocol: str('TCP, UDP or SCTP.'),
    appProtocol: str('Application protocol of the port.'),
  }), 'x-kubernetes-map-type': 'atomic' },
};

const networking: Record<string, Schema> = {
  NetworkPolicy: kind('networking.k8s.io', 'v1', 'NetworkPolicy', 'Which traffic the selected pods may receive and send. A pod selected by any policy of a type (Ingress, Egress) accepts only what some such policy allows.', {
    spec: ref(`${NET}NetworkPolicySpec`, 'The pods the policy applies to and the traffic it allows.'),
  }),
  NetworkPolicySpec: obj('What a NetworkPolicy selects and allows.', {
    podSelector: ref(`${META}LabelSelector`, 'The pods in the policy\'s namespace it applies to; an empty selector selects every pod.'),
    policyTypes: strList('Ingress, Egress or both: the directions this policy isolates. Default: Ingress, plus Egress when egress rules are given.'),
    ingress: refList(`${NET}NetworkPolicyIngressRule`, 'Traffic the selected pods may receive; none listed means none allowed (when Ingress is a policy type).'),
    egress: refList(`${NET}NetworkPolicyEgressRule`, 'Traffic the selected pods may send; none listed means none allowed (when Egress is a policy type). Remember DNS: port 53 to kube-dns.'),
  }),
  NetworkPolicyIngressRule: obj('Traffic allowed in: from any of these peers to any of these ports.', {
    from: refList(`${NET}NetworkPolicyPeer`, 'Sources allowed; empty or missing allows all sources.'),
    ports: refList(`${NET}NetworkPolicyPort`, 'Ports on the selected pods; empty or missing allows all ports.'),
  }),
  NetworkPolicyEgressRule: obj('Traffic allowed out: to any of these peers on any of these ports.', {
    to: refList(`${NET}NetworkPolicyPeer`, 'Destinations allowed; empty or missing allows all destinations.'),
    ports: refList(`${NET}NetworkPolicyPort`, 'Destination ports; empty or missing allows all ports.'),
  }),
  NetworkPolicyPeer: obj('A set of peers: pods by label (in this or selected namespaces) or an IP range.', {
    podSelector: ref(`${META}LabelSelector`, 'Pods by label; with namespaceSelector, those pods in those namespaces, else in the policy\'s namespace.'),
    namespaceSelector: ref(`${META}LabelSelector`, 'Namespaces by label (kubernetes.io/metadata.name carries the name); alone, every pod in them.'),
    ipBlock: ref(`${NET}IPBlock`, 'An IP range; use it for traffic outside the cluster, since pod IPs change.'),
  }),
  NetworkPolicyPort: obj('A port, or a range of ports, and a protocol.', {
    protocol: str('TCP (default), UDP or SCTP.'),
    port: ref(INTSTR, 'Port number or named container port on the destination pod (the pod\'s port, not the Service\'s); missing means all ports.'),
    endPort: i32('With a numeric port, the last port of a range.'),
  }),
  IPBlock: obj('An IP range in CIDR form, with exceptions.', {
    cidr: str('The range, such as 10.0.0.0/8.'),
    except: strList('Ranges inside cidr that are not included.'),
  }, ['cidr']),
};

const rbac: Record<string, Schema> = {
  Role: kind('rbac.authorization.k8s.io', 'v1', 'Role', 'A set of permissions within one namespace; a RoleBinding grants it to users, groups or service accounts.', {
    rules: refList(`${RBAC}PolicyRule`, 'The permissions; a request is allowed when any rule allows it.'),
  }),
  ClusterRole: kind('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'A set of permissions across the cluster (or, bound by a RoleBinding, within one namespace).', {
    rules: refList(`${RBAC}PolicyRule`, 'The permissions; a request is allowed when any rule allows it.'),
    aggregationRule: ref(`${RBAC}AggregationRule`, 'Build the rules from the ClusterRoles these selectors match; the controller overwrites rules.'),
  }),
  AggregationRule: obj('ClusterRoles whose rules are combined into this one.', {
    clusterRoleSelectors: refList(`${META}LabelSelector`, 'Selectors over ClusterRoles; their rules are unioned.'),
  }),
  PolicyRule: obj('Verbs allowed on resources (or non-resource URLs).', {
    apiGroups: strList('API groups of the resources; "" is the core group (pods, services, ...), "*" every group.'),
    resources: strList('Resources by plural name, such as pods or deployments; subresources as pods/log; "*" for all.'),
    resourceNames: strList('Only objects with these names; empty means all.'),
    verbs: strList('Actions allowed: get, list, watch, create, update, patch, delete, deletecollection, or "*".'),
    nonResourceURLs: strList('Paths such as /healthz (ClusterRoles only).'),
  }, ['verbs']),
  RoleBinding: kind('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'Grants the permissions of a Role (or a ClusterRole) to subjects, within the binding\'s namespace.', {
    subjects: refList(`${RBAC}Subject`, 'Who gets the permissions.'),
    roleRef: ref(`${RBAC}RoleRef`, 'The Role or ClusterRole granted; cannot change once set.'),
  }),
  ClusterRoleBinding: kind('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'Grants the permissions of a ClusterRole to subjects across the cluster.', {
    subjects: refList(`${RBAC}Subject`, 'Who gets the permissions.'),
    roleRef: ref(`${RBAC}RoleRef`, 'The ClusterRole granted; cannot change once set.'),
  }),
  Subject: { ...obj('A user, group or service account.', {
    kind: str('User, Group or ServiceAccount.'),
    apiGroup: str('rbac.authorization.k8s.io for User and Group; empty for ServiceAccount.'),
    name: str('Name of the subject.'),
    namespace: str('Namespace of a ServiceAccount.'),
  }, ['kind', 'name']), 'x-kubernetes-map-type': 'atomic' },
  RoleRef: { ...obj('The role a binding grants.', {
    apiGroup: str('rbac.authorization.k8s.io.'),
    kind: str('Role or ClusterRole.'),
    name: str('Name of the role.'),
  }, ['apiGroup', 'kind', 'name']), 'x-kubernetes-map-type': 'atomic' },
};

const shared: Record<string, Schema> = {
  [INTSTR]: { description: 'Either an integer or a string, such as a port number or a port name.', type: 'string', format: 'int-or-string' },
  [QUANTITY]: { description: 'A fixed-point amount with an optional suffix, such as 500m, 1, 128Mi or 2Gi.', type: 'string' },
};

const prefixed = (prefix: string, table: Record<string, Schema>) =>
  Object.fromEntries(Object.entries(table).map(([name, s]) => [prefix + name, s]));

/** Every schema, keyed by its full name as in the Kubernetes spec. */
export const SCHEMAS: Record<string, Schema> = {
  ...prefixed(META, meta), ...prefixed(CORE, core), ...prefixed(APPS, apps), ...prefixed(DISC, discovery),
  ...prefixed(NET, networking), ...prefixed(RBAC, rbac), ...shared,
};

function refsOf(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) refsOf(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.add(v.slice('#/components/schemas/'.length));
      else refsOf(v, out);
    }
  }
}

/** The schemas of one group/version's kinds and everything they refer to, as each real document carries. */
export function schemasFor(group: string, version: string): Record<string, Schema> {
  const wanted = new Set<string>();
  for (const [name, s] of Object.entries(SCHEMAS)) {
    const gvks = s['x-kubernetes-group-version-kind'] as { group: string; version: string }[] | undefined;
    if (gvks?.some((g) => g.group === group && g.version === version)) wanted.add(name);
  }
  const queue = [...wanted];
  while (queue.length > 0) {
    const found = new Set<string>();
    refsOf(SCHEMAS[queue.pop()!], found);
    for (const name of found) if (!wanted.has(name)) { wanted.add(name); queue.push(name); }
  }
  return Object.fromEntries([...wanted].sort().map((name) => [name, SCHEMAS[name]!]));
}
