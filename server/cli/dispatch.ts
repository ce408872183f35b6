// Every command but help: parses argv, dispatches, and turns the expected failures
// (bad configuration, a broken catalog) into a message and an exit code.
import { CatalogError, formatProblem } from '../catalog/problems.ts';
import { ConfigError } from '../config/config.ts';
import { parseArgs } from './args.ts';
import { CliError } from './errors.ts';
import type { Io } from './io.ts';
import { USAGE } from './usage.ts';
import { helpOrVersion } from './version.ts';

// Every command's module is loaded on demand, so `kubelab --help` or `exercises list`
// never pays for the HTTP server, the Kubernetes client or the simulator.

/** Exit codes: 0 ok, 1 the work found problems or failed, 2 bad usage or configuration. */
export async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.err(`kubelab: ${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  const { command } = parsed;
  try {
    switch (command.name) {
      case 'serve':
        return await (await import('./serve.ts')).serve(io);
      case 'exercises list':
        return await (await import('./exercises.ts')).listExercises(io);
      case 'exercises validate':
        return await (await import('./exercises.ts')).validateExercises(io, command.dirs);
      case 'classes add':
        return await (await import('./classes.ts')).addClass(io, { name: command.className, owner: command.owner });
      case 'users add':
        return await (await import('./users.ts')).addUser(io, { name: command.user, ...(command.role ? { role: command.role } : {}) });
      case 'users list':
      case 'users tokens':
      case 'users revoke':
      case 'users disable':
      case 'users enable':
      case 'users role':
        return await (await import('./accounts.ts')).runAccountCommand(io, command);
      case 'api-keys create':
      case 'api-keys list':
      case 'api-keys revoke':
        return await (await import('./api-keys.ts')).runApiKeyCommand(io, command);
      case 'clusters list':
      case 'clusters cordon':
      case 'clusters uncordon':
        return await (await import('./clusters.ts')).runClustersCommand(io, command);
      case 'lti':
        return await (await import('./lti.ts')).runLtiCommand(io, command.rest);
      case 'sim':
        return await (await import('../../kubesim/cli.ts')).runSim([...command.rest]);
      case 'grade':
        return await (await import('./grade.ts')).runGrade([...command.rest]);
      case 'help':
      case 'version':
        return helpOrVersion(command.name, io);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`kubelab: ${error.message}\n`);
      return 2;
    }
    if (error instanceof CliError) {
      io.err(`kubelab: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof CatalogError) {
      io.err(`kubelab: the exercise catalog has problems:\n${error.problems.map((p) => `  ${formatProblem(p)}\n`).join('')}`);
      return 1;
    }
    throw error;
  }
}
