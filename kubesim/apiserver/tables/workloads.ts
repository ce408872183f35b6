// Deployment, ReplicaSet and StatefulSet rows.
// Source: pkg/printers/internalversion/printers.go printDeployment, printReplicaSet, printStatefulSet

import { type Column, CONTAINERS_DOC, IMAGES_DOC, type PrintedRow, ageCol, col, nameCol, wide } from './columns.ts';
import { since } from './duration.ts';
import { type Json, containerCells, formatLabelSelector, int, rec, selectorString, str } from './fields.ts';

/** spec.replicas defaults to 1 (apps/v1 defaulting). */
const desired = (spec: Json): number => (spec.replicas === undefined ? 1 : int(spec.replicas));

export const deploymentColumns: Column[] = [
  nameCol,
  col('Ready', 'Number of the pod with ready state'),
  col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
  col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
  ageCol,
  col('Containers', CONTAINERS_DOC, wide),
  col('Images', IMAGES_DOC, wide),
  col('Selector', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', wide),
];

export function printDeployment(o: Json, now: number): PrintedRow {
  const spec = rec(o.spec);
  const status = rec(o.status);
  const [names, images] = containerCells(rec(rec(spec.template).spec));
  return {
    cells: [
      str(rec(o.metadata).name),
      `${int(status.readyReplicas)}/${desired(spec)}`,
      int(status.updatedReplicas),
      int(status.availableReplicas),
      since(rec(o.metadata).creationTimestamp, now),
      names,
      images,
      selectorString(spec.selector),
    ],
  };
}

export const replicaSetColumns: Column[] = [
  nameCol,
  col('Desired', 'Replicas is the number of desired replicas.', { type: 'integer' }),
  col('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
  col('Ready', 'The number of ready replicas for this replica set.', { type: 'integer' }),
  ageCol,
  col('Containers', CONTAINERS_DOC, wide),
  col('Images', IMAGES_DOC, wide),
  col('Selector', 'Selector is a label query over pods that should match the replica count.', wide),
];

export function printReplicaSet(o: Json, now: number): PrintedRow {
  const spec = rec(o.spec);
  const status = rec(o.status);
  const [names, images] = containerCells(rec(rec(spec.template).spec));
  return {
    cells: [
      str(rec(o.metadata).name),
      desired(spec),
      int(status.replicas),
      int(status.readyReplicas),
      since(rec(o.metadata).creationTimestamp, now),
      names,
      images,
      formatLabelSelector(spec.selector),
    ],
  };
}

export const statefulSetColumns: Column[] = [
  nameCol,
  col('Ready', 'Number of the pod with ready state'),
  ageCol,
  col('Containers', CONTAINERS_DOC, wide),
  col('Images', IMAGES_DOC, wide),
];

export function printStatefulSet(o: Json, now: number): PrintedRow {
  const spec = rec(o.spec);
  const [names, images] = containerCells(rec(rec(spec.template).spec));
  return {
    cells: [
      str(rec(o.metadata).name),
      `${int(rec(o.status).readyReplicas)}/${desired(spec)}`,
      since(rec(o.metadata).creationTimestamp, now),
      names,
      images,
    ],
  };
}
