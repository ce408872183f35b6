// The environment variables kubelab reads, by name only: `kubelab --help` lists them
// without loading the settings' schema (and zod with it). config.ts checks that its
// schema has exactly these keys.
export const CONFIG_VARIABLES = [
  'PORT',
  'HOST',
  'KUBELAB_DATA_DIR',
  'KUBELAB_CLUSTER',
  'KUBECONFIG',
  'KUBELAB_CLUSTERS',
  'KUBELAB_WARM_ENVIRONMENTS',
  'KUBELAB_PUBLIC_URL',
  'KUBELAB_GRADING_CONCURRENCY',
  'KUBELAB_NAMESPACE_TTL',
  'KUBELAB_MAX_ENVIRONMENTS',
  'KUBELAB_MAX_ENVIRONMENTS_PER_LEARNER',
  'KUBELAB_EMBEDDED_SPEED',
  'KUBELAB_EXERCISES_DIR',
  'KUBELAB_ADMIN_TOKEN',
  'KUBELAB_LEARNER_API_SERVER',
  'KUBELAB_WORKSPACE_IMAGE',
  'KUBELAB_TERMINAL_IDLE',
  'LOG_LEVEL',
  'KUBELAB_RATE_LIMIT',
  'KUBELAB_WEBHOOKS_ALLOW_PRIVATE',
] as const;

export type ConfigVariable = (typeof CONFIG_VARIABLES)[number];
