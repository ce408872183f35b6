// `dns`: resolve a name from inside the cluster and compare the SET of addresses with
// what the exercise expects (CoreDNS shuffles A records, so order means nothing).
import { describeRef, findService, isPodReady, workloadPods } from '../k8s/objects.ts';
import { parseGetentAhosts, parseNslookup, type DnsAnswer } from '../parse/dns-output.ts';
import type { CheckParams } from '../params.ts';
import { fillNamespace, pickTool, resolveSource } from '../sources.ts';
import type { CauseOf } from '../causes.ts';
import { errored, fail, pass, type CheckFn, type Observed } from '../types.ts';

type Expect = CheckParams<'dns'>['expect'];

/** The addresses the name must resolve to, or a fail message when the expectation itself cannot hold. */
function expected(expect: Expect, observed: Observed): { addresses: string[]; what: string } | { nxdomain: true } | { problem: string; cause: CauseOf<'dns'> } {
  if ('nxdomain' in expect) return { nxdomain: true };
  if ('serviceIP' in expect) {
    const svc = findService(observed, expect.serviceIP);
    if (!svc) return { problem: `No Service named ${expect.serviceIP} in your namespace`, cause: 'no-service' };
    const ip = svc.spec.clusterIP;
    if (!ip || ip === 'None') return { problem: `Service ${expect.serviceIP} is headless (clusterIP: None), so it has no cluster IP for DNS to return`, cause: 'headless' };
    return { addresses: [ip], what: `the cluster IP ${ip} of Service ${expect.serviceIP}` };
  }
  if ('podIPs' in expect) {
    // Headless DNS answers with ready endpoints only.
    const pods = workloadPods(observed, expect.podIPs).filter(isPodReady);
    const ips = pods.map((p) => p.status.podIP).filter((ip): ip is string => ip !== undefined).sort();
    if (ips.length === 0) return { problem: `${describeRef(expect.podIPs)} has no ready Pods`, cause: 'no-pods' };
    return { addresses: ips, what: `the IPs of the ${ips.length} ready Pods of ${describeRef(expect.podIPs)} (${ips.join(', ')})` };
  }
  const pod = observed.pods.find((p) => p.metadata.name === expect.podIP);
  if (!pod?.status.podIP) return { problem: `Pod ${expect.podIP} ${pod ? 'has no IP yet' : 'does not exist'}`, cause: 'no-pods' };
  return { addresses: [pod.status.podIP], what: `the IP ${pod.status.podIP} of Pod ${expect.podIP}` };
}

const showAnswer = (a: DnsAnswer): string =>
  a.kind === 'nxdomain' ? 'does not exist (NXDOMAIN)' : a.kind === 'unreachable' ? 'got no answer' : a.addresses.length === 0 ? 'has no IPv4 address' : `resolves to ${a.addresses.join(', ')}`;

export const dnsCheck: CheckFn<CheckParams<'dns'>> = async (params, observed, ctx) => {
  const name = fillNamespace(params.name, observed.namespace);
  const want = expected(params.expect, observed);
  if ('problem' in want) return fail(`${want.problem}, so ${name} cannot resolve as expected.`, null, want.cause);
  const source = await resolveSource(params.from, observed, ctx);
  if ('status' in source) return source;
  const tool = pickTool(source, ['nslookup', 'getent'], 'resolve names');
  const argv = tool === 'nslookup' ? ['nslookup', name] : ['getent', 'ahostsv4', name];
  const result = await ctx.exec(source.target, argv);
  const answer = tool === 'nslookup' ? parseNslookup(result.stdout) : parseGetentAhosts(result.stdout, result.exitCode);
  const evidence = { from: source.label, command: argv, exitCode: result.exitCode, stdout: result.stdout.slice(0, 2000), stderr: result.stderr.slice(0, 500) };
  // The cluster's DNS not answering at all is not something the learner can cause here.
  if (answer.kind === 'unreachable') return errored(`DNS did not answer when resolving ${name} from the ${source.label}.`, evidence);
  const found = `${name} ${showAnswer(answer)} from the ${source.label}`;
  if ('nxdomain' in want) {
    return answer.kind === 'nxdomain' ? pass(`${name} does not exist (NXDOMAIN) from the ${source.label}, as expected.`, evidence) : fail(`${found}; expected it not to exist.`, evidence, 'wrong-address');
  }
  if (answer.kind === 'nxdomain') return fail(`${found}; expected ${want.what}.`, evidence, 'nxdomain');
  const got = answer.addresses;
  const same = got.length === want.addresses.length && want.addresses.every((ip) => got.includes(ip));
  if (same) return pass(`${name} resolves to exactly ${want.what} from the ${source.label}.`, evidence);
  return fail(`${found}; expected exactly ${want.what}.`, evidence, 'wrong-address');
};
