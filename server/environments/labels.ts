// Labels kubelab puts on what it creates. `managed-by` is how reconciliation finds
// kubelab's namespaces on a shared cluster without touching anyone else's.
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'kubelab';
export const MANAGED_SELECTOR = `${MANAGED_BY}=${MANAGED_BY_VALUE}`;
export const OWNER = 'kubelab.io/owner';
export const EXERCISE = 'kubelab.io/exercise';
/** Epoch seconds: label values cannot hold ':' so an ISO time does not fit. */
export const EXPIRES = 'kubelab.io/expires-at';
/** On cluster-scoped objects (the node-reader binding): the environment they belong to. */
export const ENVIRONMENT_NAMESPACE = 'kubelab.io/namespace';

export const LEARNER_SERVICE_ACCOUNT = 'learner';
export const NODE_READER_CLUSTER_ROLE = 'kubelab-node-reader';
