// `readiness-probe`: the Pod template configures a readiness probe on `container`, on
// the container that serves `service`'s port, or else on every container. Readiness
// is what the endpoints controller reads for the whole Pod, but only the serving
// container needs a probe: a sidecar without one counts as ready when it starts.
import { describeRef, findService, findWorkload } from '../k8s/objects.ts';
import type { Service, Workload } from '../k8s/schemas.ts';
import type { CheckParams } from '../params.ts';
import { fail, pass, type CheckFn } from '../types.ts';

type Container = Workload['spec']['template']['spec']['containers'][number];

/** The containers declaring a port the Service targets (by number or by name). */
function serving(containers: readonly Container[], svc: Service): Container[] {
  const targets = svc.spec.ports.map((p) => p.targetPort ?? p.port);
  return containers.filter((c) => c.ports.some((cp) => targets.some((t) => (typeof t === 'number' ? cp.containerPort === t : cp.name === t))));
}

export const readinessProbeCheck: CheckFn<CheckParams<'readiness-probe'>> = async (params, observed) => {
  const ref = describeRef(params);
  const workload = findWorkload(observed, params);
  if (!workload) return fail(`No ${ref} in your namespace.`);
  const containers = workload.spec.template.spec.containers;
  const evidence = { containers: containers.map((c) => ({ name: c.name, readinessProbe: c.readinessProbe === undefined ? null : JSON.parse(JSON.stringify(c.readinessProbe)) })) };
  const probed = (c: Container) => c.readinessProbe !== undefined;
  if (params.container !== undefined) {
    const c = containers.find((x) => x.name === params.container);
    if (!c) return fail(`${ref} has no container named ${params.container} (its containers: ${containers.map((x) => x.name).join(', ')}).`);
    if (!probed(c)) return fail(`${ref} has no readiness probe on container ${c.name}; without one a Pod counts as ready as soon as it starts.`, evidence);
    return pass(`${ref} has a readiness probe on ${c.name}.`, evidence);
  }
  const svc = params.service === undefined ? undefined : findService(observed, params.service);
  let wanted: Container[] = containers;
  if (params.service !== undefined) {
    const servers = svc ? serving(containers, svc) : [];
    // One container serves whatever port it listens on; with several and no declared
    // port, which one serves cannot be told from the spec: any probe will do.
    wanted = servers.length > 0 ? servers : containers.length === 1 ? containers : [];
    if (wanted.length === 0) {
      const any = containers.filter(probed);
      if (any.length > 0) return pass(`${ref} has a readiness probe on ${any.map((c) => c.name).join(', ')}.`, evidence);
      return fail(`${ref} has no readiness probe on any container; without one a Pod counts as ready as soon as it starts.`, evidence);
    }
  }
  const without = wanted.filter((c) => !probed(c));
  if (without.length > 0) {
    const serves = params.service !== undefined ? `, which serves ${params.service}` : '';
    return fail(`${ref} has no readiness probe on container ${without.map((c) => c.name).join(', ')}${serves}; without one a Pod counts as ready as soon as it starts.`, evidence);
  }
  return pass(`${ref} has a readiness probe on ${wanted.map((c) => c.name).join(', ')}.`, evidence);
};
