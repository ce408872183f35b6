// Secrets: `type` defaults to Opaque, stringData is folded into data (the apiserver
// never stores stringData), data keys are config keys, the type is immutable, and
// the well-known types require their keys.
// Sources: pkg/apis/core/v1/defaults.go (SetDefaults_Secret),
//          pkg/apis/core/v1/conversion.go (Convert_v1_Secret_To_core_Secret),
//          pkg/apis/core/validation/validation.go (ValidateSecret, ValidateSecretUpdate)

import type { FieldError } from '../../core/errors.ts';
import type { ResourceStrategy } from '../../core/strategy.ts';
import type { KubeObject } from '../../core/types.ts';
import { forbiddenField, invalidValue, required, tooLong } from '../util/fielderr.ts';
import { dns1123Subdomain } from '../util/names.ts';
import { stableJson, strMap, str } from '../util/obj.ts';
import { validateMeta, validateMetaUpdate } from './meta.ts';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIG_KEY_MESSAGE = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
/** MaxSecretSize: the sum of the decoded values. */
const MAX_SECRET_BYTES = 1024 * 1024;

/** Keys each built-in type must carry (ValidateSecret's switch on Type). */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

function defaultSecret(obj: KubeObject): void {
  const stringData = strMap(obj.stringData);
  if (Object.keys(stringData).length > 0) {
    const data = strMap(obj.data);
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
    obj.data = data;
  }
  delete obj.stringData;
  if (!str(obj.type)) obj.type = 'Opaque';
}

export function configKey(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!CONFIG_KEY.test(key)) errs.push(CONFIG_KEY_MESSAGE);
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

function validateSecret(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = strMap(obj.data);
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const msg of configKey(k)) errs.push(invalidValue(`data[${k}]`, k, msg));
    size += Buffer.from(v, 'base64').length;
  }
  if (size > MAX_SECRET_BYTES) errs.push(tooLong('data', MAX_SECRET_BYTES));
  const type = str(obj.type) ?? 'Opaque';
  for (const key of REQUIRED_KEYS[type] ?? []) if (!(key in data)) errs.push(required(`data[${key}]`));
  return errs;
}

export const secretStrategy: ResourceStrategy = {
  prepareForCreate: defaultSecret,
  validateCreate: (obj) => [...validateMeta(obj, dns1123Subdomain, true), ...validateSecret(obj)],
  prepareForUpdate: (obj) => defaultSecret(obj),
  validateUpdate(obj, old) {
    const errs = [...validateMeta(obj, dns1123Subdomain, true), ...validateMetaUpdate(obj, old), ...validateSecret(obj)];
    if (str(obj.type) !== str(old.type)) errs.push(invalidValue('type', str(obj.type) ?? '', 'field is immutable'));
    if (old.immutable === true) {
      if (obj.immutable !== true) errs.push(forbiddenField('immutable', 'field is immutable when `immutable` is set'));
      if (stableJson(strMap(obj.data)) !== stableJson(strMap(old.data))) errs.push(forbiddenField('data', 'field is immutable when `immutable` is set'));
    }
    return errs;
  },
};
