// Kinds with little behaviour of their own: name syntax (most kinds use DNS-1123
// subdomain names; Namespaces and Services labels) and metadata checks.
// Source: pkg/apis/core/validation/validation.go (ValidateNamespace, ValidateConfigMap, …)

import type { FieldError } from '../../core/errors.ts';
import type { ResourceStrategy } from '../../core/strategy.ts';
import type { KubeObject } from '../../core/types.ts';
import { dns1123Label, dns1123Subdomain } from '../util/names.ts';
import { child, str } from '../util/obj.ts';
import { validateMeta, validateMetaUpdate, type NameCheck } from './meta.ts';

export function nameOnlyStrategy(nameCheck: NameCheck, namespaced: boolean): ResourceStrategy {
  return {
    validateCreate: (obj) => validateMeta(obj, nameCheck, namespaced),
    validateUpdate: (obj, old) => [...validateMeta(obj, nameCheck, namespaced), ...validateMetaUpdate(obj, old)],
  };
}

export const subdomainNamed = (namespaced: boolean): ResourceStrategy => nameOnlyStrategy(dns1123Subdomain, namespaced);

/** Namespaces: DNS-1123 label names, phase Active, the `kubernetes` finalizer and the name label. */
export const namespaceStrategy: ResourceStrategy = {
  prepareForCreate(obj: KubeObject) {
    const name = obj.metadata.name ?? '';
    obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': name };
    const spec = child(obj, 'spec');
    spec.finalizers = ['kubernetes'];
    obj.status = { phase: 'Active' };
  },
  validateCreate: (obj): FieldError[] => validateMeta(obj, dns1123Label, false),
  prepareForUpdate(obj: KubeObject, old: KubeObject) {
    // Status and finalizers are owned by the namespace lifecycle; a plain update keeps them.
    obj.status = old.status;
    const spec = child(obj, 'spec');
    const oldSpec = child(old, 'spec');
    if (spec.finalizers === undefined) spec.finalizers = oldSpec.finalizers;
    const name = obj.metadata.name ?? '';
    if (str(obj.metadata.labels?.['kubernetes.io/metadata.name']) !== name) {
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': name };
    }
  },
  validateUpdate: (obj, old) => [...validateMeta(obj, dns1123Label, false), ...validateMetaUpdate(obj, old)],
};
