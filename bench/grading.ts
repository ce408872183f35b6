// Grade latency through the HTTP API on a warm server (buildApp + startPlatform on the
// embedded cluster, listening on 127.0.0.1): per exercise, median and p95 of "Check my
// work" — POST the attempt, follow its event stream to the end — for the reference
// solution; Kubernetes API requests and execs per grade (the engine's own counters);
// 50 learners clicking at once (none may end in error); and the way Killercoda-style
// labs verify — a bash script calling kubectl get/exec — doing clusterip-basics'
// checks, side by side, as a ratio.
// Run: node --import tsx bench/grading.ts   (or `npm run bench grading`)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { EXTRA_CA_CERTS, shellTimed } from './shell-time.ts';
import { stringify } from 'yaml';
import { GradingEngine } from '../graders/engine.ts';
import { buildApp } from '../server/app.ts';
import { loadCatalog, type Exercise } from '../server/catalog/loader.ts';
import { loadConfig } from '../server/config/config.ts';
import { databaseFile, openDatabase } from '../server/db/database.ts';
import { startPlatform } from '../server/platform.ts';
import { apiCaller } from './http.ts';
import { formatRows, machineNote, median, ms, percentile } from './stats.ts';

export interface GradingBenchOptions {
  /** Warm grades per exercise. */
  samples?: number;
  /** Learners clicking "Check my work" at the same moment. */
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

// three-tier-shop's checks as a verify.sh: readiness, the three Services, ready
// endpoints, DNS both ways, HTTP frontend → backend and TCP backend → database.
const SHOP_VERIFY_SH = `set -eu
NS="$1"; export KUBECONFIG="$2"; CACHE="$3"
k() { kubectl --cache-dir "$CACHE" -n "$NS" "$@"; }
for d in frontend backend database; do
  r=$(k get deploy "$d-deployment" -o jsonpath='{.status.readyReplicas}/{.spec.replicas}')
  [ "\${r%/*}" = "\${r#*/}" ] || { echo "$d-deployment not ready"; exit 1; }
done
k get svc frontend-svc backend-svc database-svc -o jsonpath='{range .items[*]}{.metadata.name} {.spec.type} {.spec.clusterIP} {.spec.ports[0].port}{"\\n"}{end}' > "$CACHE/svcs"
grep -q '^frontend-svc ClusterIP 10[.][0-9.]* 80$' "$CACHE/svcs" && grep -q '^backend-svc ClusterIP 10[.][0-9.]* 80$' "$CACHE/svcs" \\
  && grep -q '^database-svc ClusterIP 10[.][0-9.]* 5432$' "$CACHE/svcs" || { echo "services wrong"; exit 1; }
for t in frontend backend database; do
  [ "$(k get endpointslices -l kubernetes.io/service-name=$t-svc -o jsonpath='{range .items[*].endpoints[*]}{.conditions.ready}{"\\n"}{end}' | grep -c true)" -ge 1 ] || { echo "$t-svc has no ready endpoints"; exit 1; }
done
ip=$(grep '^backend-svc ' "$CACHE/svcs" | cut -d' ' -f3)
k exec deploy/frontend-deployment -- getent hosts backend-svc | grep -q "^$ip" || { echo "short name does not resolve"; exit 1; }
k exec deploy/frontend-deployment -- getent hosts "backend-svc.$NS.svc.cluster.local" | grep -q "^$ip" || { echo "fqdn does not resolve"; exit 1; }
k exec deploy/frontend-deployment -- curl -s -m 2 http://backend-svc | grep -q "Welcome to nginx" || { echo "http failed"; exit 1; }
k exec deploy/backend-deployment -- bash -c '</dev/tcp/database-svc/5432' || { echo "tcp failed"; exit 1; }
echo ok
`;
const SHOP_KUBECTL_CALLS = 11;

interface Learner {
  token: string;
  namespace: string;
}

export async function benchGrading(options: GradingBenchOptions = {}): Promise<string> {
  const samples = options.samples ?? 10;
  const concurrent = options.concurrent ?? 50;
  const scriptRuns = options.scriptRuns ?? 5;
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-bench-grading-'));
  // Full speed, so the figures are kubelab's own cost; `npm run bench -- pace` covers the server's default speed.
  const config = loadConfig({ KUBELAB_DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent', KUBELAB_EMBEDDED_SPEED: '100', KUBELAB_MAX_ENVIRONMENTS: String(concurrent + 20) });
  const db = openDatabase(databaseFile(dir));
  const catalog = await loadCatalog(config.exercisesDir);
  // 50 learners' Pods and probes do not fit on kind's two workers (110 Pods a node).
  const platform = await startPlatform({ config, db, catalog, embedded: { startOptions: { seed: 1, workers: 4 } } });
  const app = await buildApp({ config, db, catalog, platform });
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const call = apiCaller(base);
    const learner = async (name: string, exercise: Exercise): Promise<Learner> => {
      const user = db.users.create({ externalKey: `bench:${name}`, displayName: name, role: 'learner' });
      const token = db.tokens.createToken(user.id, 'bench', []).plaintext;
      const env = JSON.parse(await call(token, 'PUT', `/api/v1/exercises/${exercise.id}/environment`)) as { environment: { namespace: string } };
      await call(token, 'POST', `/api/v1/exercises/${exercise.id}/environment/apply`, exercise.solution.map((m) => stringify(m.object)).join('---\n'));
      return { token, namespace: env.environment.namespace };
    };
    /** "Check my work": start the attempt, follow the stream to its end, read the result. */
    const checkMyWork = async (l: Learner, exercise: Exercise): Promise<{ ms: number; result: string; errors: number }> => {
      const start = performance.now();
      const { attempt } = JSON.parse(await call(l.token, 'POST', `/api/v1/exercises/${exercise.id}/attempts`)) as { attempt: { id: number } };
      const stream = await call(l.token, 'GET', `/api/v1/attempts/${attempt.id}/events`);
      const elapsed = performance.now() - start;
      const final = JSON.parse(await call(l.token, 'GET', `/api/v1/attempts/${attempt.id}`)) as { attempt: { result: string }; checks: { status: string }[] };
      if (!stream.includes('event: attempt')) throw new Error(`${exercise.id}: the event stream ended early`);
      return { ms: elapsed, result: final.attempt.result, errors: final.checks.filter((c) => c.status === 'error').length };
    };
    const counter = new GradingEngine({ client: platform.cluster.client, kubeconfig: platform.cluster.kubeconfig });

    const rows: string[][] = [];
    const warm = new Map<string, Learner>();
    for (const exercise of catalog.exercises) {
      const l = await learner(`warm-${exercise.id}`, exercise);
      warm.set(exercise.id, l);
      const first = await checkMyWork(l, exercise); // waits for the rollout and creates the probe Pods
      if (first.result !== 'passed') throw new Error(`${exercise.id}: the solution did not pass (${first.result})`);
      const times: number[] = [];
      for (let i = 0; i < samples; i++) {
        const r = await checkMyWork(l, exercise);
        if (r.result !== 'passed') throw new Error(`${exercise.id}: grade ${i} was ${r.result}`);
        times.push(r.ms);
      }
      const { cost } = await counter.grade({ exercise, namespace: l.namespace });
      rows.push([exercise.id, String(exercise.checks.length), ms(first.ms), ms(median(times)), ms(percentile(times, 95)), String(cost.apiRequests), String(cost.execs)]);
    }
    const out = [
      `"Check my work" through the HTTP API on a warm server, reference solutions (${samples} warm grades each; grading concurrency ${config.gradingConcurrency})`,
      formatRows(['exercise', 'checks', 'first ms', 'median ms', 'p95 ms', 'API req/grade', 'execs/grade'], rows),
    ];

    const kubeconfig = path.join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, platform.cluster.kubeconfig, { mode: 0o600 });
    // The warm learner's namespace, before the crowd arrives: the yardstick is one grade on
    // a quiet warm cluster, not one competing with 50 learners' Pods for the two cores.
    const shop = catalog.byId('clusterip-basics')!;
    const target = warm.get('clusterip-basics')!;
    // Whole processes timed by a shell around them (bench/shell-time.ts), as below.
    const scriptTimes: number[] = [];
    for (let i = 0; i < scriptRuns; i++) scriptTimes.push(await shellTimed(['bash', '-c', VERIFY_SH, 'verify', target.namespace, kubeconfig, path.join(dir, 'cache')]));
    const httpTimes: number[] = [];
    for (let i = 0; i < scriptRuns; i++) httpTimes.push((await checkMyWork(target, shop)).ms);
    // The command-line grader as an author or a learner runs it: a whole process each time
    // (the compiled build, `npm run build`), against the same warm namespace.
    await execa('node', ['bin/build.js']);
    const cliTimes: number[] = [];
    for (let i = 0; i < scriptRuns; i++) cliTimes.push(await shellTimed(['node', 'bin/kubelab.cjs', 'grade', shop.id, '--namespace', target.namespace, '--kubeconfig', kubeconfig]));
    out.push('', 'clusterip-basics, same checks: kubelab through HTTP vs a kubectl verify script (bash + kubectl get/exec)');
    out.push(formatRows(['grader', 'median ms', 'p95 ms', 'processes', 'ratio'], [
      ['kubelab (POST attempt + event stream)', ms(median(httpTimes)), ms(percentile(httpTimes, 95)), '0', '1.0'],
      ['verify.sh + kubectl', ms(median(scriptTimes)), ms(percentile(scriptTimes, 95)), String(KUBECTL_CALLS + 1), (median(scriptTimes) / median(httpTimes)).toFixed(1)],
      ['kubelab grade (whole process)', ms(median(cliTimes)), ms(percentile(cliTimes, 95)), '1', (median(cliTimes) / median(httpTimes)).toFixed(1)],
    ]));
    out.push(`verify.sh / kubelab grade (both whole processes): ${(median(scriptTimes) / median(cliTimes)).toFixed(1)}×`);
    out.push('(the script stops at the first failure and checks less: no address-set comparison, no owner references, no settle wait)');

    // The yardstick: three-tier-shop (16 checks) graded by a whole `kubelab grade`
    // process vs the same checks as a kubectl script, on the warm reference solution.
    const shopLearner = warm.get('three-tier-shop')!;
    const shopScript: number[] = [];
    const shopCli: number[] = [];
    const shopCliUnset: number[] = [];
    const gradeShop = ['node', 'bin/kubelab.cjs', 'grade', 'three-tier-shop', '--namespace', shopLearner.namespace, '--kubeconfig', kubeconfig];
    // Both timed by a shell around them (bench/shell-time.ts), alternating.
    for (let i = 0; i < scriptRuns; i++) {
      shopScript.push(await shellTimed(['bash', '-c', SHOP_VERIFY_SH, 'verify', shopLearner.namespace, kubeconfig, path.join(dir, 'cache')]));
      shopCli.push(await shellTimed(gradeShop));
      if (EXTRA_CA_CERTS) shopCliUnset.push(await shellTimed(gradeShop, { unset: EXTRA_CA_CERTS }));
    }
    out.push('', 'three-tier-shop (16 checks), whole processes timed by a shell, alternating: kubelab grade vs a kubectl verify script');
    out.push(formatRows(['grader', 'median ms', 'p95 ms', 'processes'], [
      ['verify.sh + kubectl', ms(median(shopScript)), ms(percentile(shopScript, 95)), String(SHOP_KUBECTL_CALLS + 1)],
      ['kubelab grade', ms(median(shopCli)), ms(percentile(shopCli, 95)), '1'],
      ...(EXTRA_CA_CERTS ? [['kubelab grade, NODE_EXTRA_CA_CERTS unset', ms(median(shopCliUnset)), ms(percentile(shopCliUnset, 95)), '1']] : []),
    ]));
    out.push(`verify.sh / kubelab grade: ${(median(shopScript) / median(shopCli)).toFixed(1)}× (goal ≥ 5×)`);
    if (EXTRA_CA_CERTS) {
      out.push(`verify.sh / kubelab grade with NODE_EXTRA_CA_CERTS unset: ${(median(shopScript) / median(shopCliUnset)).toFixed(1)}× (this machine sets it; Node reads the file as every process starts)`);
    }

    const crowd = await Promise.all(Array.from({ length: concurrent }, (_, i) => learner(`crowd-${i}`, shop)));
    const t0 = performance.now();
    const results = await Promise.all(crowd.map((l) => checkMyWork(l, shop)));
    const wall = performance.now() - t0;
    const errors = results.reduce((n, r) => n + r.errors + (r.result === 'error' ? 1 : 0), 0);
    const latencies = results.map((r) => r.ms);
    out.push('', `${concurrent} learners click at once (clusterip-basics, first grade: probe Pods created on the way): wall ${ms(wall)} ms, median ${ms(median(latencies))} ms, p95 ${ms(percentile(latencies, 95))} ms, errors ${errors}, not passed ${results.filter((r) => r.result !== 'passed').length}`);

    return out.join('\n');
  } finally {
    await app.close();
    await platform.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`kubelab grading benchmark — ${machineNote()}\n\n${await benchGrading()}\n`);
}
