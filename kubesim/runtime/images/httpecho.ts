// hashicorp/http-echo: a distroless Go binary that answers every path with -text.
// Source: hashicorp/http-echo main.go, handlers.go (v1.0.0).

import { httpDate, requestPath } from '../net/http.ts';
import type { Proc } from '../proc.ts';
import { parseImageRef, slashTime } from './ref.ts';
import { forever, parseGoFlags, portOfListenAddress } from './serve.ts';
import type { Program, ProcCtx } from './types.ts';

export const httpEchoProgram: Program = function* (argv: string[], ctx: ProcCtx): Proc<number> {
  const { self, sys, io } = ctx;
  const legacy = parseImageRef(self.spec.image).tag.startsWith('0.');
  const version = legacy ? '0.2.3' : '1.0.0';
  const parsed = parseGoFlags(argv.slice(1), { listen: 'string', text: 'string', version: 'bool', 'status-code': 'string' });
  const usage = 'Usage of /http-echo:\n  -listen string\n    \taddress and port to listen (default ":5678")\n  -status-code int\n    \tresponse code, e.g. 200 (default 200)\n  -text string\n    \ttext to put on the webpage\n  -version\n    \tdisplay version information\n';
  if ('unknown' in parsed) {
    io.err(`flag provided but not defined: -${parsed.unknown}\n${usage}`);
    return 2;
  }
  if ('missingValue' in parsed) {
    io.err(`flag needs an argument: -${parsed.missingValue}\n${usage}`);
    return 2;
  }
  const { flags, rest } = parsed;
  if (flags.get('version') === 'true') {
    io.err(`http-echo v${version}\n`);
    return 0;
  }
  const text = flags.get('text') || ctx.env.get('ECHO_TEXT') || '';
  if (!text) {
    io.err(legacy ? 'Missing -text option!\n' : 'Missing -text option OR ENV var TEXT is empty!\n');
    return 127;
  }
  if (rest.length > 0) {
    io.err('Too many arguments!\n');
    return 127;
  }
  const listen = flags.get('listen') ?? ':5678';
  const port = portOfListenAddress(listen);
  if (port === undefined) {
    io.err(`${slashTime(sys.clock.now())} [ERR] server exited with: listen tcp: address ${listen}: missing port in address\n`);
    return 1;
  }
  const status = Number(flags.get('status-code') ?? '200') || 200;
  io.err(`${slashTime(sys.clock.now())} [INFO] server is listening on ${listen}\n`);
  self.listen({
    port,
    protocol: 'TCP',
    http: (req, peer) => {
      const health = requestPath(req) === '/health';
      const body = health ? '{"status":"ok"}\n' : `${text}\n`;
      const code = health ? 200 : status;
      if (!health) {
        // httpLog: date host remote "METHOD path proto" status length "ua" duration
        io.out(`${slashTime(sys.clock.now())} ${req.headers.get('host') ?? ''} ${peer.ip}:${peer.port} "${req.method} ${requestPath(req)} ${req.version}" ${code} ${Buffer.byteLength(body)} "${req.headers.get('user-agent') ?? ''}" 31.2µs\n`);
      }
      return {
        status: code,
        headers: [['X-App-Name', 'http-echo'], ['X-App-Version', version], ['Date', httpDate(sys.clock.now())],
          ['Content-Length', String(Buffer.byteLength(body))], ['Content-Type', 'text/plain; charset=utf-8']],
        body,
        headOnly: req.method === 'HEAD',
      };
    },
  });
  return yield* forever();
};
