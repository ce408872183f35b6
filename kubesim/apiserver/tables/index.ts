// Server-side printing: the meta.k8s.io/v1 Table kubectl asks for with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. The apiserver always
// renders every column (wide); kubectl hides priority-1 columns unless -o wide.
// Source: apiserver/pkg/endpoints/handlers/response.go (transformObject → Table),
// pkg/printers/internalversion/printers.go, pkg/printers/tablegenerator.go

import type { ResourceDef } from '../../core/registry.ts';
import type { StoredObject } from '../../core/types.ts';
import type { Column, PrintedRow } from './columns.ts';
import { eventColumns, namespaceColumns, nodeColumns, printEvent, printNamespace, printNode } from './cluster.ts';
import {
  configMapColumns, createdAtColumns, persistentVolumeClaimColumns, printConfigMap, printCreatedAt, printPersistentVolumeClaim, printResourceQuota, printRoleBinding, printSecret,
  printServiceAccount, resourceQuotaColumns, roleBindingColumns, secretColumns, serviceAccountColumns,
} from './config.ts';
import type { Json } from './fields.ts';
import {
  endpointSliceColumns, endpointsColumns, networkPolicyColumns, printEndpointSlice, printEndpoints, printNetworkPolicy,
  printService, serviceColumns,
} from './network.ts';
import { podColumns, printPod } from './pod.ts';
import {
  deploymentColumns, printDeployment, printReplicaSet, printStatefulSet, replicaSetColumns, statefulSetColumns,
} from './workloads.ts';

export { humanDuration } from './duration.ts';
export type { Column } from './columns.ts';

interface Printer {
  columns: Column[];
  print(obj: Json, now: number): PrintedRow;
}

const PRINTERS: Record<string, Printer> = {
  pods: { columns: podColumns, print: printPod },
  services: { columns: serviceColumns, print: printService },
  endpoints: { columns: endpointsColumns, print: printEndpoints },
  'discovery.k8s.io/endpointslices': { columns: endpointSliceColumns, print: printEndpointSlice },
  'apps/deployments': { columns: deploymentColumns, print: printDeployment },
  'apps/replicasets': { columns: replicaSetColumns, print: printReplicaSet },
  'apps/statefulsets': { columns: statefulSetColumns, print: printStatefulSet },
  nodes: { columns: nodeColumns, print: printNode },
  namespaces: { columns: namespaceColumns, print: printNamespace },
  events: { columns: eventColumns, print: printEvent },
  configmaps: { columns: configMapColumns, print: printConfigMap },
  secrets: { columns: secretColumns, print: printSecret },
  persistentvolumeclaims: { columns: persistentVolumeClaimColumns, print: printPersistentVolumeClaim },
  serviceaccounts: { columns: serviceAccountColumns, print: printServiceAccount },
  resourcequotas: { columns: resourceQuotaColumns, print: printResourceQuota },
  limitranges: { columns: createdAtColumns, print: printCreatedAt },
  'networking.k8s.io/networkpolicies': { columns: networkPolicyColumns, print: printNetworkPolicy },
  'rbac.authorization.k8s.io/rolebindings': { columns: roleBindingColumns, print: printRoleBinding },
  'rbac.authorization.k8s.io/clusterrolebindings': { columns: roleBindingColumns, print: printRoleBinding },
};

/** Kinds without a printer (Role, ClusterRole, ...) get the apiserver's default table: Name, Created At. */
const DEFAULT_PRINTER: Printer = { columns: createdAtColumns, print: printCreatedAt };

export function columnsFor(resource: ResourceDef): Column[] {
  return (PRINTERS[resource.key] ?? DEFAULT_PRINTER).columns;
}

export interface TableOptions {
  now: number;
  includeObject: 'None' | 'Metadata' | 'Object';
  resourceVersion: string;
  continueToken?: string;
  /** Leave out columnDefinitions (watch events after the first). */
  omitHeaders?: boolean;
}

function rowObject(obj: StoredObject, include: TableOptions['includeObject']): Record<string, unknown> | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function toTable(resource: ResourceDef, objects: StoredObject[], opts: TableOptions): Record<string, unknown> {
  const printer = PRINTERS[resource.key] ?? DEFAULT_PRINTER;
  const rows = objects.map((obj) => {
    const printed = printer.print(obj, opts.now);
    const row: Record<string, unknown> = { cells: printed.cells };
    if (printed.conditions) row.conditions = printed.conditions;
    const object = rowObject(obj, opts.includeObject);
    if (object) row.object = object;
    return row;
  });
  const metadata: Record<string, string> = { resourceVersion: opts.resourceVersion };
  if (opts.continueToken) metadata.continue = opts.continueToken;
  const table: Record<string, unknown> = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata };
  if (!opts.omitHeaders) table.columnDefinitions = printer.columns;
  table.rows = rows;
  return table;
}
