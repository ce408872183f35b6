// ObjectMeta validation shared by every kind (ValidateObjectMeta): name or
// generateName present, name syntax per kind, label syntax, annotation size.
// Source: k8s.io/apimachinery/pkg/api/validation/objectmeta.go

import type { FieldError } from '../../core/errors.ts';
import type { KubeObject } from '../../core/types.ts';
import { invalidValue, required, tooLong } from '../util/fielderr.ts';
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
  if (annotationBytes(meta.annotations ?? {}) > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong('metadata.annotations', TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

/** TotalAnnotationSizeLimitB: keys plus values, 256 KiB (ValidateAnnotationsSize). */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

function annotationBytes(annotations: Record<string, unknown>): number {
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) total += Buffer.byteLength(k, 'utf8') + (typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : 0);
  return total;
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
