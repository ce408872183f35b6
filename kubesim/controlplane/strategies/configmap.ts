// ConfigMaps: data and binaryData keys are config keys, a key may not be in both, and
// together the values may hold at most MaxSecretSize (1 MiB) — the bound that keeps one
// learner's ConfigMap from filling the store everyone shares.
// Source: pkg/apis/core/validation/validation.go (ValidateConfigMap, ValidateConfigMapUpdate):
//   totalSize > core.MaxSecretSize → field.TooLong(field.NewPath(""), cfg, core.MaxSecretSize),
//   and the empty path prints as "[]".

import type { FieldError } from '../../core/errors.ts';
import type { ResourceStrategy } from '../../core/strategy.ts';
import type { KubeObject } from '../../core/types.ts';
import { forbiddenField, invalidValue, tooLong } from '../util/fielderr.ts';
import { dns1123Subdomain } from '../util/names.ts';
import { stableJson, strMap } from '../util/obj.ts';
import { validateMeta, validateMetaUpdate } from './meta.ts';
import { configKey } from './secret.ts';

/** core.MaxSecretSize, which ConfigMaps share. */
export const MAX_CONFIG_MAP_BYTES = 1024 * 1024;

function validateConfigMap(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = strMap(obj.data);
  const binary = strMap(obj.binaryData);
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const msg of configKey(k)) errs.push(invalidValue(`data[${k}]`, k, msg));
    if (k in binary) errs.push(invalidValue(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    // len(value) of a Go string: UTF-8 bytes.
    size += Buffer.byteLength(v, 'utf8');
  }
  for (const [k, v] of Object.entries(binary)) {
    for (const msg of configKey(k)) errs.push(invalidValue(`binaryData[${k}]`, k, msg));
    size += Buffer.from(v, 'base64').length;
  }
  if (size > MAX_CONFIG_MAP_BYTES) errs.push(tooLong('[]', MAX_CONFIG_MAP_BYTES));
  return errs;
}

export const configMapStrategy: ResourceStrategy = {
  validateCreate: (obj) => [...validateMeta(obj, dns1123Subdomain, true), ...validateConfigMap(obj)],
  validateUpdate(obj, old) {
    const errs = [...validateMeta(obj, dns1123Subdomain, true), ...validateMetaUpdate(obj, old), ...validateConfigMap(obj)];
    if (old.immutable === true) {
      if (obj.immutable !== true) errs.push(forbiddenField('immutable', 'field is immutable when `immutable` is set'));
      for (const field of ['data', 'binaryData'] as const) {
        if (stableJson(strMap(obj[field])) !== stableJson(strMap(old[field]))) errs.push(forbiddenField(field, 'field is immutable when `immutable` is set'));
      }
    }
    return errs;
  },
};
