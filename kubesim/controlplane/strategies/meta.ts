// ObjectMeta validation shared by every kind (ValidateObjectMeta): name or
// generateName present, name syntax per kind, label syntax.
// Source: k8s.io/apimachinery/pkg/api/validation/objectmeta.go

import type { FieldError } from '../../core/errors.ts';
import type { KubeObject } from '../../core/types.ts';
import { invalidValue, required } from '../util/fielderr.ts';
import { qualifiedName, labelValue } from '../util/names.ts';

export type NameCheck = (name: string) => string[];

export function validateMeta(obj: KubeObject, nameCheck: NameCheck, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const meta = obj.metadata;
  const name = meta.name ?? '';
  if (!name && !meta.generateName) {
    errs.push(required('metadata.name', 'name or generateName is required'));
  } else if (name) {
    for (const msg of nameCheck(name)) errs.push(invalidValue('metadata.name', name, msg));
  }
  if (namespaced && !meta.namespace) errs.push(required('metadata.namespace'));
  errs.push(...validateLabels(meta.labels ?? {}, 'metadata.labels'));
  return errs;
}

export function validateLabels(labels: Record<string, string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const msg of qualifiedName(k)) errs.push(invalidValue(field, k, msg));
    for (const msg of labelValue(v)) errs.push(invalidValue(field, v, msg));
  }
  return errs;
}

/** metadata.name may not change on update (ValidateObjectMetaUpdate). */
export function validateMetaUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.metadata.name !== old.metadata.name) {
    errs.push(invalidValue('metadata.name', obj.metadata.name ?? '', 'field is immutable'));
  }
  return errs;
}
