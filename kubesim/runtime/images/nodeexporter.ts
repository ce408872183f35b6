// prom/node-exporter: node_exporter on :9100 serving /metrics (Prometheus text
// format 0.0.4) and a landing page on /. The image is quay.io/prometheus/busybox based.
// Source: prometheus/node_exporter node_exporter.go; prometheus/exporter-toolkit web/landing_page.go

import { httpDate, requestPath } from '../net/http.ts';
import type { Proc } from '../proc.ts';
import { parseImageRef, versionFromTag } from './ref.ts';
import { forever, portOfListenAddress } from './serve.ts';
import type { Program, ProcCtx } from './types.ts';

function metrics(nowMs: number, startedMs: number, version: string, hostname: string): string {
  const up = (nowMs - startedMs) / 1000;
  const lines: string[] = [];
  const gauge = (name: string, help: string, samples: [string, number][], type = 'gauge'): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, v] of samples) lines.push(`${name}${labels} ${v}`);
  };
  gauge('node_boot_time_seconds', 'Node boot time, in unixtime.', [['', Math.floor(startedMs / 1000) - 3600]]);
  gauge('node_cpu_seconds_total', 'Seconds the CPUs spent in each mode.', [
    ['{cpu="0",mode="idle"}', +(3500 + up).toFixed(2)], ['{cpu="0",mode="system"}', 41.7], ['{cpu="0",mode="user"}', 88.25],
    ['{cpu="1",mode="idle"}', +(3490 + up).toFixed(2)], ['{cpu="1",mode="system"}', 39.1], ['{cpu="1",mode="user"}', 92.64],
  ], 'counter');
  gauge('node_exporter_build_info', 'A metric with a constant \'1\' value labeled by version, revision, branch, goversion from which node_exporter was built, and the goos and goarch for the build.',
    [[`{branch="HEAD",goarch="amd64",goos="linux",goversion="go1.23.6",revision="unknown",tags="unknown",version="${version}"}`, 1]]);
  gauge('node_load1', '1m load average.', [['', 0.42]]);
  gauge('node_load5', '5m load average.', [['', 0.37]]);
  gauge('node_load15', '15m load average.', [['', 0.3]]);
  gauge('node_memory_MemAvailable_bytes', 'Memory information field MemAvailable_bytes.', [['', 5.627437056e+09]]);
  gauge('node_memory_MemTotal_bytes', 'Memory information field MemTotal_bytes.', [['', 8.130396160e+09]]);
  gauge('node_network_receive_bytes_total', 'Network device statistic receive_bytes.', [['{device="eth0"}', 1.274883e+06], ['{device="lo"}', 0]], 'counter');
  gauge('node_network_transmit_bytes_total', 'Network device statistic transmit_bytes.', [['{device="eth0"}', 884213], ['{device="lo"}', 0]], 'counter');
  gauge('node_time_seconds', 'System time in seconds since epoch (1970).', [['', nowMs / 1000]]);
  gauge('node_uname_info', 'Labeled system information as provided by the uname system call.',
    [[`{domainname="(none)",machine="x86_64",nodename="${hostname}",release="6.8.0-1021-azure",sysname="Linux",version="#25-Ubuntu SMP"}`, 1]]);
  gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', [['', startedMs / 1000]]);
  gauge('promhttp_metric_handler_requests_in_flight', 'Current number of scrapes being served.', [['', 1]]);
  return `${lines.join('\n')}\n`;
}

function landing(version: string): string {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>Node Exporter</title>
  </head>
  <body>
    <header>
      <h1>Node Exporter</h1>
    </header>
    <div class="main">
      <h2>Prometheus Node Exporter</h2>
      <div>Version: (version=${version}, branch=HEAD, revision=unknown)</div>
      <div>
        <ul>
          <li><a href="/metrics">Metrics</a></li>
        </ul>
      </div>
    </div>
  </body>
</html>
`;
}

export const nodeExporterProgram: Program = function* (argv: string[], ctx: ProcCtx): Proc<number> {
  const { self, sys, io } = ctx;
  const version = versionFromTag(parseImageRef(self.spec.image).tag, '1.9.1');
  let listen = ':9100';
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a.startsWith('--web.listen-address=')) listen = a.slice('--web.listen-address='.length);
    else if (a === '--web.listen-address') listen = argv[++i] ?? listen;
  }
  const port = portOfListenAddress(listen) ?? 9100;
  const started = sys.clock.now();
  const ts = (): string => new Date(sys.clock.now()).toISOString();
  io.err(`time=${ts()} level=INFO source=node_exporter.go:216 msg="Starting node_exporter" version="(version=${version}, branch=HEAD, revision=unknown)"\n`);
  io.err(`time=${ts()} level=INFO source=tls_config.go:347 msg="Listening on" address=[::]:${port}\n`);
  io.err(`time=${ts()} level=INFO source=tls_config.go:350 msg="TLS is disabled." http2=false address=[::]:${port}\n`);
  self.listen({
    port,
    protocol: 'TCP',
    http: (req) => {
      const path = requestPath(req);
      const date: [string, string] = ['Date', httpDate(sys.clock.now())];
      if (path === '/metrics') {
        const body = metrics(sys.clock.now(), started, version, self.hostname);
        return { status: 200, headers: [['Content-Type', 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores'], date, ['Content-Length', String(Buffer.byteLength(body))]], body, headOnly: req.method === 'HEAD' };
      }
      if (path === '/') {
        const body = landing(version);
        return { status: 200, headers: [['Content-Type', 'text/html; charset=UTF-8'], date, ['Content-Length', String(Buffer.byteLength(body))]], body, headOnly: req.method === 'HEAD' };
      }
      const body = '404 page not found\n';
      return { status: 404, headers: [['Content-Type', 'text/plain; charset=utf-8'], ['X-Content-Type-Options', 'nosniff'], date, ['Content-Length', String(body.length)]], body };
    },
  });
  return yield* forever();
};
