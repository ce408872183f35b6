// Interactive exec benchmark (issue 10): in one `exec -it ... sh` session over WebSocket v5,
// the time from typing a line ("echo ok" + Enter) to the shell's output and next prompt,
// and from a keystroke to its echo — what a learner's terminal feels.
// Run: node --import tsx bench/tty.ts
import { PassThrough, Writable } from 'node:stream';
import { CoreV1Api, Exec, KubeConfig } from '@kubernetes/client-node';
import { startCluster } from '../kubesim/index.ts';
import { formatRows, median, ms, percentile, timeEach } from './stats.ts';

/** Output seen so far, and a way to wait for text to appear after a mark. */
function screen() {
  let text = '';
  let from = 0;
  let waiter: { want: string; resolve: () => void } | undefined;
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString('utf8');
      if (waiter && text.indexOf(waiter.want, from) >= 0) {
        const w = waiter;
        waiter = undefined;
        w.resolve();
      }
      cb();
    },
  });
  return {
    stream,
    waitFor(want: string): Promise<void> {
      if (text.indexOf(want, from) >= 0) return Promise.resolve();
      return new Promise((resolve) => { waiter = { want, resolve }; });
    },
    mark() { from = text.length; },
  };
}

export async function benchTty(n = 300): Promise<string> {
  const sim = await startCluster({ seed: 7 });
  try {
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'bench' } } });
    await core.createNamespacedPod({
      namespace: 'bench',
      body: { metadata: { name: 'probe' }, spec: { containers: [{ name: 'probe', image: 'busybox:1.36', command: ['sleep', 'infinity'] }] } },
    });
    for (;;) {
      const pod = await core.readNamespacedPod({ namespace: 'bench', name: 'probe' });
      if (pod.status?.phase === 'Running') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const out = screen();
    const stdin = new PassThrough();
    const ended = new Promise<void>((resolve, reject) => {
      new Exec(kc).exec('bench', 'probe', 'probe', ['sh'], out.stream, null, stdin, true, () => resolve()).catch(reject);
    });
    await out.waitFor('/ # ');
    const line = await timeEach(n, async () => {
      out.mark();
      stdin.write('echo ok\r');
      await out.waitFor('ok\r\n/ # ');
    });
    const key = await timeEach(n, async () => {
      out.mark();
      stdin.write('x');
      await out.waitFor('x');
      stdin.write('\x7f');
      await out.waitFor('\b \b');
    });
    stdin.write('exit\r');
    await ended;
    return formatRows(['exec -it sh (client-node Exec, tty, WebSocket v5)', 'median ms', 'p99 ms', 'runs'], [
      ['line typed → output and next prompt', ms(median(line)), ms(percentile(line, 99)), String(line.length)],
      ['keystroke → echo, then backspace → erase', ms(median(key)), ms(percentile(key, 99)), String(key.length)],
    ]);
  } finally {
    await sim.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await benchTty()}\n`);
}
