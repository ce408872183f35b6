// Admission plugins in the apiserver's order: NamespaceLifecycle, LimitRanger
// (mutating) before ResourceQuota (validating). Source: pkg/kubeapiserver/options/plugins.go

import type { AdmissionPlugin } from '../../core/strategy.ts';
import { namespaceLifecycleAdmission } from './lifecycle.ts';
import { limitRangerAdmission } from './limitrange.ts';
import { resourceQuotaAdmission } from './quota.ts';

export function admissionPlugins(): AdmissionPlugin[] {
  return [namespaceLifecycleAdmission, limitRangerAdmission, resourceQuotaAdmission];
}
