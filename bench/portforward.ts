// kubectl port-forward benchmark: HTTP round trips through the real kubectl 1.32 and
// the embedded cluster's SPDY session (WebSocket-tunnelled, kubectl's first choice):
// reusing one forwarded connection (one SPDY data stream) and opening a new one per
// request (a new error/data stream pair each time, as a browser's first load does).
// Run: node --import tsx bench/portforward.ts
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startCluster } from '../kubesim/index.ts';
import { formatRows, median, ms, percentile, timeEach } from './stats.ts';

function get(port: number, agent: Agent | false): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function benchPortForward(runs = 300): Promise<string> {
  const sim = await startCluster({ seed: 7 });
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-bench-pf-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig, { mode: 0o600 });
  const base = ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache')];
  await execa('kubectl', [...base, 'run', 'echo', '--image=hashicorp/http-echo:1.0', '--', '-text=ok']);
  await execa('kubectl', [...base, 'wait', '--for=condition=Ready', 'pod/echo', '--timeout=60s']);
  const pf = execa('kubectl', [...base, 'port-forward', 'pod/echo', ':5678'], { reject: false });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      pf.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      void pf.then(() => reject(new Error(`kubectl port-forward exited: ${out}`)));
    });
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    if ((await get(port, keepAlive)) !== 'ok\n') throw new Error('unexpected body through the tunnel');
    const reused = await timeEach(runs, () => get(port, keepAlive));
    const fresh = await timeEach(Math.ceil(runs / 3), () => get(port, false));
    keepAlive.destroy();
    return formatRows(['GET / through kubectl port-forward (http-echo)', 'median ms', 'p99 ms', 'runs'], [
      ['one kept-alive connection', ms(median(reused)), ms(percentile(reused, 99)), String(reused.length)],
      ['a new connection per request', ms(median(fresh)), ms(percentile(fresh, 99)), String(fresh.length)],
    ]);
  } finally {
    pf.kill('SIGINT');
    await pf;
    await sim.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await benchPortForward()}\n`);
}
