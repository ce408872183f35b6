// Table column definitions (metav1.TableColumnDefinition) and the row shape every
// printer returns. Descriptions are the Go types' SwaggerDoc strings, shortened.
// Source: pkg/printers/internalversion/printers.go (AddHandlers)

export interface Column {
  name: string;
  type: 'string' | 'integer' | 'date' | 'boolean' | 'number';
  format: string;
  description: string;
  priority: number;
}

export interface RowCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

export interface PrintedRow {
  cells: unknown[];
  conditions?: RowCondition[];
}

export const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const CREATED_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** col('Ready', 'Number of ...') ; col('IP', '...', { priority: 1 }) */
export function col(name: string, description: string, opts: Partial<Pick<Column, 'type' | 'format' | 'priority'>> = {}): Column {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

export const nameCol = col('Name', NAME_DOC, { format: 'name' });
export const ageCol = col('Age', CREATED_DOC);
export const wide = { priority: 1 } as const;
export const CONTAINERS_DOC = 'Names of each container in the template.';
export const IMAGES_DOC = 'Images referenced by each container in the template.';
