// ConfigMap, Secret, ServiceAccount, ResourceQuota, LimitRange, (Cluster)RoleBinding,
// and the apiserver's default table for kinds without a printer (Role, ClusterRole...).
// Source: pkg/printers/internalversion/printers.go; apiserver/pkg/registry/rest/table.go (defaultTableConvertor)

import { CREATED_DOC, type Column, type PrintedRow, ageCol, col, nameCol, wide } from './columns.ts';
import { since } from './duration.ts';
import { type Json, rec, recs, str } from './fields.ts';

const count = (v: unknown): number => Object.keys(rec(v)).length;

export const configMapColumns: Column[] = [nameCol, col('Data', 'Data contains the configuration data.'), ageCol];
export function printConfigMap(o: Json, now: number): PrintedRow {
  const meta = rec(o.metadata);
  return { cells: [str(meta.name), count(o.data) + count(o.binaryData), since(meta.creationTimestamp, now)] };
}

export const secretColumns: Column[] = [nameCol, col('Type', 'Used to facilitate programmatic handling of secret data.'), col('Data', 'Data contains the secret data.'), ageCol];
export function printSecret(o: Json, now: number): PrintedRow {
  const meta = rec(o.metadata);
  return { cells: [str(meta.name), str(o.type), count(o.data), since(meta.creationTimestamp, now)] };
}

export const serviceAccountColumns: Column[] = [nameCol, col('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageCol];
export function printServiceAccount(o: Json, now: number): PrintedRow {
  const meta = rec(o.metadata);
  return { cells: [str(meta.name), recs(o.secrets).length, since(meta.creationTimestamp, now)] };
}

export const resourceQuotaColumns: Column[] = [
  nameCol,
  ageCol,
  col('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
  col('Limit', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
];

const quantity = (v: unknown): string => (typeof v === 'number' ? String(v) : str(v) || '0');

/** "pods: 2/5, requests.cpu: 500m/1" in the Request column; limits.* go to Limit. */
export function printResourceQuota(o: Json, now: number): PrintedRow {
  const meta = rec(o.metadata);
  const status = rec(o.status);
  const hard = rec(status.hard);
  const used = rec(status.used);
  const requests: string[] = [];
  const limits: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const cell = `${name}: ${quantity(used[name])}/${quantity(hard[name])}`;
    (name.split('.')[0] === 'limits' && name.includes('.') ? limits : requests).push(cell);
  }
  return { cells: [str(meta.name), since(meta.creationTimestamp, now), requests.join(', '), limits.join(', ')] };
}

export const createdAtColumns: Column[] = [nameCol, col('Created At', CREATED_DOC, { type: 'date' })];
/** LimitRange and the default table: the creation timestamp itself, RFC3339. */
export function printCreatedAt(o: Json): PrintedRow {
  const meta = rec(o.metadata);
  return { cells: [str(meta.name), str(meta.creationTimestamp)] };
}

export const roleBindingColumns: Column[] = [
  nameCol,
  col('Role', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
  ageCol,
  col('Users', 'Users in the roleBinding', wide),
  col('Groups', 'Groups in the roleBinding', wide),
  col('ServiceAccounts', 'ServiceAccounts in the roleBinding', wide),
];

export function printRoleBinding(o: Json, now: number): PrintedRow {
  const meta = rec(o.metadata);
  const ref = rec(o.roleRef);
  const subjects = recs(o.subjects);
  const of = (kind: string) => subjects.filter((s) => str(s.kind) === kind);
  return {
    cells: [
      str(meta.name),
      `${str(ref.kind)}/${str(ref.name)}`,
      since(meta.creationTimestamp, now),
      of('User').map((s) => str(s.name)).join(', '),
      of('Group').map((s) => str(s.name)).join(', '),
      of('ServiceAccount').map((s) => `${str(s.namespace)}/${str(s.name)}`).join(', '),
    ],
  };
}

export const persistentVolumeClaimColumns: Column[] = [
  nameCol,
  col('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
  col('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
  col('Capacity', 'capacity represents the actual resources of the underlying volume.'),
  col('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.'),
  col('StorageClass', 'StorageClass of the pvc'),
  col('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
  ageCol,
  col('VolumeMode', 'volumeMode defines what type of volume is required by the claim.', wide),
];

const ACCESS_MODE_SHORT: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

/** printPersistentVolumeClaim: capacity and access modes are the bound volume's (empty while Pending). */
export function printPersistentVolumeClaim(o: Json, now: number): PrintedRow {
  const meta = rec(o.metadata);
  const spec = rec(o.spec);
  const status = rec(o.status);
  const phase = meta.deletionTimestamp ? 'Terminating' : str(status.phase);
  const modes = Array.isArray(status.accessModes) ? status.accessModes.map((m) => ACCESS_MODE_SHORT[str(m)] ?? str(m)).join(',') : '';
  return {
    cells: [
      str(meta.name), phase, str(spec.volumeName), str(rec(status.capacity).storage), modes,
      str(spec.storageClassName), str(spec.volumeAttributesClassName) || '<unset>',
      since(meta.creationTimestamp, now), str(spec.volumeMode) || '<unset>',
    ],
  };
}
