// Whether the server will be able to listen, asked before anything changes state:
// a `kubelab serve` that cannot bind its port must leave the cluster and the
// database exactly as it found them.
import { createServer } from 'node:net';

export function assertCanListen(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
