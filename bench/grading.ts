// Grade latency against the embedded cluster, THROUGH THE ENGINE (the HTTP wiring is
// not in buildApp yet): per exercise, median and p95 of warm grades of the reference
// solution, with API requests and execs per grade; then 50 grades at once (none may
// end in error); then the way Killercoda-style labs verify — a bash script calling
// kubectl get/exec — doing clusterip-basics' checks, side by side, as a ratio.
// Run: node --import tsx bench/grading.ts   (or call benchGrading from a runner)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { startGraderBench } from '../test/graders/harness.ts';
import { formatRows, machineNote, median, ms, percentile } from './stats.ts';

export interface GradingBenchOptions {
  /** Warm grades per exercise. */
  samples?: number;
  concurrent?: number;
  /** kubectl script runs (each spawns ~10 kubectl processes). */
  scriptRuns?: number;
}

// The same checks as clusterip-basics, the way a verify.sh does them. A fixed script:
// the namespace, kubeconfig and cache dir are positional arguments.
const VERIFY_SH = `set -eu
NS="$1"; export KUBECONFIG="$2"; CACHE="$3"
k() { kubectl --cache-dir "$CACHE" -n "$NS" "$@"; }
[ "$(k get deploy backend -o jsonpath='{.status.readyReplicas}')" = 3 ] || { echo "deployment backend: not 3 ready replicas"; exit 1; }
ip=$(k get svc backend-service -o jsonpath='{.spec.clusterIP}')
[ -n "$ip" ] && [ "$ip" != None ] || { echo "backend-service has no cluster IP"; exit 1; }
[ "$(k get svc backend-service -o jsonpath='{.spec.ports[0].port}')" = 80 ] || { echo "port is not 80"; exit 1; }
sel=$(k get svc backend-service -o jsonpath='{.spec.selector}' | tr -d '{}"' | tr ':' '=')
[ "$(k get pods -l "$sel" --no-headers | wc -l)" = 3 ] || { echo "selector does not match 3 pods"; exit 1; }
[ "$(k get endpointslices -l kubernetes.io/service-name=backend-service -o jsonpath='{range .items[*].endpoints[*]}{.conditions.ready}{"\\n"}{end}' | grep -c true)" = 3 ] || { echo "not 3 ready endpoints"; exit 1; }
probe=$(k get pods -l kubelab.io/probe=true -o jsonpath='{.items[0].metadata.name}')
k exec "$probe" -- nslookup backend-service | grep -q "$ip" || { echo "short name does not resolve"; exit 1; }
k exec "$probe" -- nslookup "backend-service.$NS.svc.cluster.local" | grep -q "$ip" || { echo "fqdn does not resolve"; exit 1; }
k exec "$probe" -- wget -qO- -T 2 http://backend-service | grep -q "Welcome to nginx" || { echo "http failed"; exit 1; }
echo ok
`;
const KUBECTL_CALLS = 10;

export async function benchGrading(options: GradingBenchOptions = {}): Promise<string> {
  const samples = options.samples ?? 10;
  const concurrent = options.concurrent ?? 50;
  const scriptRuns = options.scriptRuns ?? 5;
  const bench = await startGraderBench(1);
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-bench-grading-'));
  try {
    const out: string[] = [];
    const rows: string[][] = [];
    const medians = new Map<string, number>();
    for (const exercise of bench.catalog.exercises) {
      const ns = await bench.environment(`bench-${exercise.id}`, exercise.setup, exercise.solution);
      const warm = await bench.grade(exercise, ns); // creates the probe Pods
      if (warm.status !== 'passed') throw new Error(`${exercise.id}: the solution did not pass (${warm.status})`);
      const times: number[] = [];
      let cost = warm.cost;
      for (let i = 0; i < samples; i++) {
        const t = performance.now();
        const outcome = await bench.grade(exercise, ns);
        times.push(performance.now() - t);
        cost = outcome.cost;
        if (outcome.status !== 'passed') throw new Error(`${exercise.id}: grade ${i} was ${outcome.status}`);
      }
      medians.set(exercise.id, median(times));
      rows.push([exercise.id, String(exercise.checks.length), ms(median(times)), ms(percentile(times, 95)), String(cost.apiRequests), String(cost.execs)]);
    }
    out.push(`warm grades of each reference solution (${samples} each), through the engine`);
    out.push(formatRows(['exercise', 'checks', 'median ms', 'p95 ms', 'API req/grade', 'execs/grade'], rows));

    const exercise = bench.exercise('clusterip-basics');
    const namespaces = await Promise.all(Array.from({ length: concurrent }, (_, i) => bench.environment(`con-${i}`, exercise.solution)));
    const t0 = performance.now();
    const results = await Promise.all(namespaces.map(async (ns) => {
      const t = performance.now();
      const outcome = await bench.grade(exercise, ns);
      return { outcome, ms: performance.now() - t };
    }));
    const wall = performance.now() - t0;
    const errors = results.filter((r) => r.outcome.status === 'error' || r.outcome.checks.some((c) => c.status === 'error')).length;
    const notPassed = results.filter((r) => r.outcome.status !== 'passed').length;
    const lat = results.map((r) => r.ms);
    out.push('');
    out.push(`${concurrent} concurrent first grades of clusterip-basics (probe Pods created on the way): wall ${ms(wall)} ms, median ${ms(median(lat))} ms, p95 ${ms(percentile(lat, 95))} ms, errors ${errors}, not passed ${notPassed}`);

    const kubeconfig = path.join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, bench.sim.kubeconfig);
    const ns = namespaces[0]!;
    const scriptTimes: number[] = [];
    for (let i = 0; i < scriptRuns; i++) {
      const t = performance.now();
      const r = await execa('bash', ['-c', VERIFY_SH, 'verify', ns, kubeconfig, path.join(dir, 'cache')], { reject: false });
      scriptTimes.push(performance.now() - t);
      if (r.exitCode !== 0) throw new Error(`verify.sh failed: ${r.stdout} ${r.stderr}`);
    }
    const engineTimes: number[] = [];
    for (let i = 0; i < scriptRuns; i++) {
      const t = performance.now();
      await bench.grade(exercise, ns);
      engineTimes.push(performance.now() - t);
    }
    out.push('');
    out.push('clusterip-basics, same checks: kubelab engine vs a kubectl verify script (bash + kubectl get/exec)');
    out.push(formatRows(['grader', 'median ms', 'p95 ms', 'processes', 'ratio'], [
      ['kubelab engine', ms(median(engineTimes)), ms(percentile(engineTimes, 95)), '0', '1.0'],
      ['verify.sh + kubectl', ms(median(scriptTimes)), ms(percentile(scriptTimes, 95)), String(KUBECTL_CALLS + 1), (median(scriptTimes) / median(engineTimes)).toFixed(1)],
    ]));
    out.push(`(the script stops at the first failure and checks less: no address-set comparison, no owner references, no settle wait)`);
    return out.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await bench.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`kubelab grading benchmark — ${machineNote()}\n\n${await benchGrading()}\n`);
}
