// PersistentVolumeClaims: stored and validated so manifests that ask for storage (a
// StatefulSet's data, kubelab's own deployment) apply as on a real cluster. There is
// no storage provisioner, so a claim stays Pending, as it does on a cluster without a
// default StorageClass.
// Source: pkg/registry/core/persistentvolumeclaim/strategy.go (PrepareForCreate sets
// phase Pending), pkg/apis/core/validation/validation.go (ValidatePersistentVolumeClaimSpec,
// ValidatePersistentVolumeClaimUpdate).

import type { FieldError } from '../../core/errors.ts';
import type { ResourceStrategy } from '../../core/strategy.ts';
import type { KubeObject } from '../../core/types.ts';
import { forbiddenField, notSupported, required } from '../util/fielderr.ts';
import { dns1123Subdomain } from '../util/names.ts';
import { stableJson } from '../util/obj.ts';
import { validateMeta, validateMetaUpdate } from './meta.ts';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function validateSpec(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = record(obj['spec']);
  const modes = Array.isArray(spec['accessModes']) ? spec['accessModes'] : [];
  if (modes.length === 0) errs.push(required('spec.accessModes', 'at least 1 access mode is required'));
  for (const mode of modes) {
    if (typeof mode !== 'string' || !ACCESS_MODES.includes(mode)) errs.push(notSupported('spec.accessModes', mode, ACCESS_MODES));
  }
  // A claim bound to a named volume may leave the size out; otherwise it is required.
  if (!spec['volumeName'] && record(record(spec['resources'])['requests'])['storage'] === undefined) {
    errs.push(required('spec.resources[storage]'));
  }
  return errs;
}

/** Everything in spec but the requested size (which may grow) is fixed at creation. */
function specWithoutRequests(obj: KubeObject): string {
  const spec = { ...record(obj['spec']) };
  const resources = { ...record(spec['resources']) };
  delete resources['requests'];
  spec['resources'] = resources;
  return stableJson(spec);
}

export const persistentVolumeClaimStrategy: ResourceStrategy = {
  prepareForCreate(obj) {
    // SetDefaults_PersistentVolumeClaimSpec.
    const spec = record(obj['spec']);
    if (spec['volumeMode'] === undefined) obj['spec'] = { ...spec, volumeMode: 'Filesystem' };
    obj['status'] = { phase: 'Pending' };
  },
  validateCreate: (obj) => [...validateMeta(obj, dns1123Subdomain, true), ...validateSpec(obj)],
  validateUpdate(obj, old) {
    const errs = [...validateMeta(obj, dns1123Subdomain, true), ...validateMetaUpdate(obj, old), ...validateSpec(obj)];
    if (specWithoutRequests(obj) !== specWithoutRequests(old)) {
      errs.push(forbiddenField('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
    }
    return errs;
  },
};
