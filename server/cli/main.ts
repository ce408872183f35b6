// `kubelab <command>`. Kept light on purpose: help is answered from here, and every
// other command loads the dispatcher (the argument schema, its errors) and then only
// its own modules, so `kubelab --help` never pays for zod, the HTTP server, the
// Kubernetes client or the simulator.
import { asksForHelp } from './help.ts';
import { processIo, type Io } from './io.ts';
import { USAGE } from './usage.ts';

/** Exit codes: 0 ok, 1 the work found problems or failed, 2 bad usage or configuration. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  if (asksForHelp(argv)) {
    io.out(USAGE);
    return 0;
  }
  if (argv[0] !== 'serve' && argv[0] !== 'sim') {
    // A command that runs once and exits: zod's compiled fast path for object schemas
    // (code generated at each schema's first parse) costs more than it saves here.
    // Set before any schema is built, as zod reads it then.
    await import('./jitless.ts');
  }
  return (await import('./dispatch.ts')).dispatch(argv, io);
}
