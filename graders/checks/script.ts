// `script`: an author's own check, run with execa (argv, never a shell string) and
// KUBECONFIG (a private temp file holding the grader's kubeconfig) and NAMESPACE set.
// Exit 0 = pass; the last stdout line is the message. Not starting, or running out of
// time, is the grader's problem (error), never the learner's.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CheckParams } from '../params.ts';
import { errored, fail, pass, type CheckFn } from '../types.ts';

const DEFAULT_TIMEOUT_S = 60;

const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1)?.trim() ?? '';

export const scriptCheck: CheckFn<CheckParams<'script'>> = async (params, observed, ctx) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'kubelab-script-'));
  try {
    const kubeconfig = path.join(dir, 'kubeconfig');
    await writeFile(kubeconfig, ctx.kubeconfig, { mode: 0o600 });
    const [file, ...args] = params.command;
    // Loaded here: only exercises with a script check pay for execa.
    const { execa } = await import('execa');
    const result = await execa(file!, args, {
      env: { KUBECONFIG: kubeconfig, NAMESPACE: observed.namespace },
      cwd: ctx.workdir,
      timeout: (params.timeoutSeconds ?? DEFAULT_TIMEOUT_S) * 1000,
      cancelSignal: ctx.signal,
      reject: false,
      stdin: 'ignore',
      maxBuffer: 1_000_000,
    });
    const evidence = { command: params.command, exitCode: result.exitCode ?? null, stdout: String(result.stdout).slice(-2000), stderr: String(result.stderr).slice(-1000) };
    if (result.timedOut) return errored(`The check script did not finish within ${params.timeoutSeconds ?? DEFAULT_TIMEOUT_S} s.`, evidence);
    if (result.failed && result.exitCode === undefined) return errored(`The check script could not run: ${result.shortMessage}`, evidence);
    const message = lastLine(String(result.stdout));
    if (result.exitCode === 0) return pass(message || 'The check script passed.', evidence);
    return fail(message || `The check script exited with code ${result.exitCode}.`, evidence);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
