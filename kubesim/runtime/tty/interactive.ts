// A shell on a terminal with no script: prompt, read a line, run it in the foreground,
// until `exit N` or end of input (Ctrl-D, the client hanging up). Ctrl-C at the prompt
// or during a command gives a fresh prompt and $? = 130. An unfinished construct (open
// quote, `do` without `done`) asks for more with PS2 "> ".
// Prompts are each image's default for root: busybox ash PS1 '\w \$ ' ("/ # "), bash on
// Debian/Ubuntu '\u@\h:\w\$ ' from /etc/bash.bashrc ("root@pod:/# "), dash "# ".
// On end of input ash and dash print a newline, bash prints "exit".
// Sources: busybox shell/ash.c (cmdloop, newline_and_flush), bash shell.c, Debian bash.bashrc.

import type { Io, ShellFlavor, Tty, TtyRead } from '../images/types.ts';
import type { Proc } from '../proc.ts';

/** The parts of the shell interpreter the prompt loop needs. */
export interface InteractiveShell {
  status: number;
  readonly vars: Map<string, string>;
  /** Set once the script ran `exit` (or `exec`): the session ends with that code. */
  readonly exitRequested: boolean;
  runScript(src: string, io: Io): Proc<number>;
  isIncomplete(src: string): boolean;
}

function cwd(vars: Map<string, string>): string {
  const pwd = vars.get('PWD') ?? '/';
  const home = vars.get('HOME');
  return home && home !== '/' && (pwd === home || pwd.startsWith(`${home}/`)) ? `~${pwd.slice(home.length)}` : pwd;
}

export function prompt(flavor: ShellFlavor, vars: Map<string, string>, hostname: string): string {
  if (flavor === 'bash') return `root@${hostname}:${cwd(vars)}# `;
  if (flavor === 'dash') return '# ';
  return `${cwd(vars)} # `;
}

export function* interactive(shell: InteractiveShell, flavor: ShellFlavor, io: Io, tty: Tty, hostname: string): Proc<number> {
  for (;;) {
    // Interactive shells write the prompt to stderr; on a terminal both are the same stream.
    io.err(prompt(flavor, shell.vars, hostname));
    const read = yield* tty.readLine();
    if (read.kind === 'eof') {
      io.err(flavor === 'bash' ? 'exit\n' : '\n');
      return shell.status;
    }
    if (read.kind === 'interrupt') {
      io.err('\n');
      shell.status = 130;
      continue;
    }
    if (read.text.trim() === '') continue;
    // An open quote or compound command continues on the next line after PS2 "> ".
    let src = read.text;
    let more: TtyRead = read;
    while (shell.isIncomplete(src) && more.kind === 'line') {
      io.err('> ');
      more = yield* tty.readLine();
      if (more.kind === 'line') src += more.text;
    }
    if (more.kind === 'interrupt') {
      io.err('\n');
      shell.status = 130;
      continue;
    }
    const ran = yield* tty.foreground(shell.runScript(src, io));
    if (ran.interrupted) {
      io.err('\n');
      shell.status = 130;
      continue;
    }
    shell.status = ran.value;
    if (shell.exitRequested) return ran.value;
  }
}
