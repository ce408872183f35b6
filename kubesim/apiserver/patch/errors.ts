// How the apiserver reports a patch that cannot be applied. For JSON Patch and a
// few strategic-merge failures it answers errors.NewGenericServerResponse(422, ...)
// with isUnexpectedResponse=false, which drops the underlying reason from the wire:
// kubectl prints "The request is invalid: the server rejected our request due to an
// error in our request". We keep that wire shape and the precise reason on `detail`
// for logs and tests.
// Source: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go (applyJSPatch,
// interpretStrategicMergePatchError); apimachinery/pkg/api/errors/errors.go.

import { StatusError } from '../../core/errors.ts';

export class PatchApplyError extends StatusError {
  constructor(readonly detail: string) {
    super(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
    this.name = 'PatchApplyError';
  }
}

/** The patch types a built-in resource accepts, in the apiserver's order. */
export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

export type PatchType = (typeof PATCH_TYPES)[number];

// Source: apiserver/pkg/endpoints/handlers/negotiation/errors.go (errUnsupportedMediaType)
export function unsupportedMediaType(): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`,
  );
}
