// field.Error as the apiserver renders it, e.g. `spec.ports[0].name: Required value`.
// Values are printed the way Go's field.Error.ErrorBody prints them (%q for strings,
// %#v for slices and maps). Source: k8s.io/apimachinery/pkg/util/validation/field/errors.go

import type { FieldError } from '../../core/errors.ts';
import { isRec } from './obj.ts';

/** Go's %#v / %q rendering of the JSON values validation reports. */
export function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
    return `[]interface {}{${v.map(goValue).join(', ')}}`;
  }
  if (isRec(v)) {
    const keys = Object.keys(v).sort();
    if (keys.every((k) => typeof v[k] === 'string')) {
      return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(v[k])}`).join(', ')}}`;
    }
    return `map[string]interface {}{${keys.map((k) => `${JSON.stringify(k)}:${goValue(v[k])}`).join(', ')}}`;
  }
  return String(v);
}

export function required(field: string, detail?: string): FieldError {
  return { field, type: 'FieldValueRequired', message: `${field}: Required value${detail ? `: ${detail}` : ''}` };
}

export function invalidValue(field: string, value: unknown, detail: string): FieldError {
  return { field, type: 'FieldValueInvalid', message: `${field}: Invalid value: ${goValue(value)}${detail ? `: ${detail}` : ''}` };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { field, type: 'FieldValueDuplicate', message: `${field}: Duplicate value: ${goValue(value)}` };
}

export function notSupported(field: string, value: unknown, valid: readonly string[]): FieldError {
  const list = valid.map((v) => JSON.stringify(v)).join(', ');
  return { field, type: 'FieldValueNotSupported', message: `${field}: Unsupported value: ${goValue(value)}: supported values: ${list}` };
}

export function forbiddenField(field: string, detail: string): FieldError {
  return { field, type: 'FieldValueForbidden', message: `${field}: Forbidden: ${detail}` };
}

export function tooLong(field: string, max: number): FieldError {
  return { field, type: 'FieldValueTooLong', message: `${field}: Too long: may not be more than ${max} bytes` };
}
