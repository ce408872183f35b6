// `readiness-probe`: the Pod template configures a readiness probe (on `container`,
// or on every container).
import { describeRef, findWorkload } from '../k8s/objects.ts';
import type { CheckParams } from '../params.ts';
import { fail, pass, type CheckFn } from '../types.ts';

export const readinessProbeCheck: CheckFn<CheckParams<'readiness-probe'>> = async (params, observed) => {
  const ref = describeRef(params);
  const workload = findWorkload(observed, params);
  if (!workload) return fail(`No ${ref} in your namespace.`);
  const containers = workload.spec.template.spec.containers;
  const wanted = params.container === undefined ? containers : containers.filter((c) => c.name === params.container);
  if (params.container !== undefined && wanted.length === 0) {
    return fail(`${ref} has no container named ${params.container} (its containers: ${containers.map((c) => c.name).join(', ')}).`);
  }
  const without = wanted.filter((c) => c.readinessProbe === undefined);
  const evidence = { containers: wanted.map((c) => ({ name: c.name, readinessProbe: c.readinessProbe === undefined ? null : JSON.parse(JSON.stringify(c.readinessProbe)) })) };
  if (without.length > 0) {
    return fail(`${ref} has no readiness probe on container ${without.map((c) => c.name).join(', ')}; without one a Pod counts as ready as soon as it starts.`, evidence);
  }
  return pass(`${ref} has a readiness probe on ${wanted.map((c) => c.name).join(', ')}.`, evidence);
};
