// Check type → implementation. A switch over the catalog's discriminated union keeps
// each check's params typed; adding a type to params.ts without a case fails tsc.
import type { Check } from '../schema.ts';
import type { CheckContext, Observed, Verdict } from '../types.ts';
import { affinityCheck } from './affinity.ts';
import { dnsCheck } from './dns.ts';
import { endpointsCheck } from './endpoints.ts';
import { httpCheck } from './http.ts';
import { localTrafficCheck } from './local-traffic.ts';
import { readinessProbeCheck } from './readiness-probe.ts';
import { resourceCheck } from './resource.ts';
import { scriptCheck } from './script.ts';
import { selectorCheck } from './selector.ts';
import { serviceCheck } from './service.ts';
import { tcpCheck } from './tcp.ts';
import { workloadReadyCheck } from './workload-ready.ts';

export function runCheck(check: Check, observed: Observed, ctx: CheckContext): Promise<Verdict> {
  switch (check.type) {
    case 'resource':
      return resourceCheck(check.params, observed, ctx);
    case 'service':
      return serviceCheck(check.params, observed, ctx);
    case 'selector':
      return selectorCheck(check.params, observed, ctx);
    case 'workload-ready':
      return workloadReadyCheck(check.params, observed, ctx);
    case 'endpoints':
      return endpointsCheck(check.params, observed, ctx);
    case 'dns':
      return dnsCheck(check.params, observed, ctx);
    case 'http':
      return httpCheck(check.params, observed, ctx);
    case 'tcp':
      return tcpCheck(check.params, observed, ctx);
    case 'affinity':
      return affinityCheck(check.params, observed, ctx);
    case 'local-traffic':
      return localTrafficCheck(check.params, observed, ctx);
    case 'readiness-probe':
      return readinessProbeCheck(check.params, observed, ctx);
    case 'script':
      return scriptCheck(check.params, observed, ctx);
  }
}
