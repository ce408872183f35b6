// Admission plugins in the apiserver's order: NamespaceLifecycle, LimitRanger
// (mutating) before PodSecurity and ResourceQuota (validating).
// Source: pkg/kubeapiserver/options/plugins.go

import type { AdmissionPlugin } from '../../core/strategy.ts';
import { namespaceLifecycleAdmission } from './lifecycle.ts';
import { limitRangerAdmission } from './limitrange.ts';
import { podSecurityAdmission } from './podsecurity/index.ts';
import { resourceQuotaAdmission } from './quota.ts';

export function admissionPlugins(): AdmissionPlugin[] {
  return [namespaceLifecycleAdmission, limitRangerAdmission, podSecurityAdmission, resourceQuotaAdmission];
}
