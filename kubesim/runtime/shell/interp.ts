// Runs a parsed script: expansions, field splitting, redirections, pipelines (stdout of
// one stage is the stdin of the next), and/or lists, loops, builtins, and the image's
// programs. Error messages take the shape of the image's /bin/sh (ash, dash or bash).

import type { Io, ProcCtx, Program, ShellFlavor, Stdin } from '../images/types.ts';
import { awaitPromise, type Proc } from '../proc.ts';
import { evalArith } from './arith.ts';
import type { AndOr, Command, List, Pipeline, Redirect, Word } from './ast.ts';
import { ShellSyntaxError } from './ast.ts';
import { syntaxMessage } from './messages.ts';
import { Parser } from './parser.ts';
import { coreBuiltins } from '../commands/coreutils.ts';
import { echo } from './echo.ts';
import { interactive } from '../tty/interactive.ts';
import { openDevTcp, parseDevTcp } from '../net/devtcp.ts';
import { MeteredVars } from './vars.ts';
import { OomKilled } from '../cpu/memory.ts';

class ExitSignal {
  constructor(readonly code: number) {}
}

/** Stdin read once, then handed out by line (read) or whole (programs). */
export class BufferedStdin implements Stdin {
  private buf: string | undefined;
  constructor(private readonly src: Stdin) {}
  *readAll(): Proc<string> {
    if (this.buf === undefined) return yield* this.src.readAll();
    const r = this.buf;
    this.buf = '';
    return r;
  }
  *readLine(): Proc<string | undefined> {
    this.buf ??= yield* this.src.readAll();
    if (!this.buf) return undefined;
    const i = this.buf.indexOf('\n');
    const line = i < 0 ? this.buf : this.buf.slice(0, i);
    this.buf = i < 0 ? '' : this.buf.slice(i + 1);
    return line;
  }
}

export const emptyStdin: Stdin = { *readAll() { return ''; } };

export function stringStdin(s: string): Stdin {
  let data: string | undefined = s;
  return { *readAll() { const r = data ?? ''; data = ''; return r; } };
}

interface ShellIo extends Io {
  stdin: BufferedStdin;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Shell {
  readonly vars: MeteredVars;
  readonly exported: Set<string>;
  status = 0;
  /** The last script ended by `exit` or `exec` (an interactive shell then ends too). */
  exitRequested = false;
  private iterations = 0;

  constructor(
    private readonly ctx: ProcCtx,
    readonly flavor: ShellFlavor,
    readonly name: string,
    private positional: string[] = [],
    parent?: Shell,
  ) {
    // A subshell holds its own copy of its parent's variables, charged to the container's memory.
    this.vars = new MeteredVars(ctx.self.memory, ctx.self.cpu);
    for (const [k, v] of parent ? parent.vars : ctx.env) this.vars.set(k, v);
    this.exported = new Set(parent ? parent.exported : ctx.env.keys());
    if (parent) this.status = parent.status;
    if (!this.vars.has('PWD')) this.vars.set('PWD', '/');
  }

  /** Prefix for diagnostics: "sh: ", "sh: 1: ", "bash: line 1: ". */
  errPrefix(line = 1): string {
    if (this.flavor === 'dash') return `${this.name}: ${line}: `;
    if (this.flavor === 'bash') return `${this.name}: line ${line}: `;
    return `${this.name}: `;
  }

  /** The script stops mid-construct (open quote, `do` without `done`): an interactive shell asks for more with PS2. */
  isIncomplete(src: string): boolean {
    try {
      Parser.parse(src);
      return false;
    } catch (e) {
      return e instanceof ShellSyntaxError && (e.problem.kind === 'eof' || e.problem.kind === 'unterminated');
    }
  }

  /** Parse and run a script; syntax errors exit 2 as every sh does. */
  *runScript(src: string, io: Io): Proc<number> {
    let list: List;
    try {
      list = Parser.parse(src);
    } catch (e) {
      if (e instanceof ShellSyntaxError) {
        io.err(syntaxMessage(this.flavor, this.name, e));
        return 2;
      }
      throw e;
    }
    const sio: ShellIo = { out: io.out, err: io.err, stdin: io.stdin instanceof BufferedStdin ? io.stdin : new BufferedStdin(io.stdin) };
    try {
      return yield* this.runList(list, sio);
    } catch (e) {
      if (e instanceof ExitSignal) {
        this.exitRequested = true;
        return e.code;
      }
      throw e;
    }
  }

  private *runList(list: List, io: ShellIo): Proc<number> {
    for (const item of list.items) {
      if (item.background) {
        // Detached: runs alongside, its status is not waited for (no job control).
        this.status = 0;
        const child = new Shell(this.ctx, this.flavor, this.name, this.positional, this);
        try {
          yield* child.runAndOr({ ...item, background: false }, io);
        } finally {
          child.vars.release();
        }
        continue;
      }
      yield* this.runAndOr(item, io);
    }
    return this.status;
  }

  private *runAndOr(ao: AndOr, io: ShellIo): Proc<number> {
    let status = yield* this.runPipeline(ao.first, io);
    for (const { op, pipeline } of ao.rest) {
      if ((op === '&&' && status !== 0) || (op === '||' && status === 0)) continue;
      status = yield* this.runPipeline(pipeline, io);
    }
    this.status = status;
    return status;
  }

  private *runPipeline(p: Pipeline, io: ShellIo): Proc<number> {
    let status = 0;
    let input: BufferedStdin = io.stdin;
    for (let i = 0; i < p.commands.length; i++) {
      const cmd = p.commands[i];
      if (!cmd) continue;
      const last = i === p.commands.length - 1;
      let captured = '';
      const stageIo: ShellIo = { out: last ? io.out : (s) => { captured += s; }, err: io.err, stdin: input };
      status = yield* this.runCommand(cmd, stageIo, p.commands.length > 1);
      input = new BufferedStdin(stringStdin(captured));
    }
    status = p.negate ? +(status === 0) : status;
    this.status = status;
    return status;
  }

  /** A loop turn: charged to the container's CPU, and the point where a busy loop waits its turn. */
  private *tick(): Proc<void> {
    const cpu = this.ctx.self.cpu;
    if (!cpu) {
      if (++this.iterations % 1000 === 0) yield* awaitPromise(yieldToEventLoop());
      return;
    }
    cpu.charge(1);
    const wait = cpu.checkpoint();
    if (wait) yield* awaitPromise(wait);
  }

  private *runCommand(cmd: Command, io0: ShellIo, inPipeline: boolean): Proc<number> {
    const io = yield* this.redirect(cmd.redirects, io0);
    if (!io) return (this.status = 1);
    switch (cmd.kind) {
      case 'simple': return yield* this.runSimple(cmd, io, inPipeline);
      case 'group': {
        if (!cmd.subshell) return yield* this.runList(cmd.body, io);
        const sub = new Shell(this.ctx, this.flavor, this.name, this.positional, this);
        try {
          return (this.status = yield* sub.runList(cmd.body, io));
        } catch (e) {
          if (e instanceof ExitSignal) return (this.status = e.code);
          throw e;
        } finally {
          sub.vars.release();
        }
      }
      case 'for': {
        const items = cmd.items ? yield* this.expandWords(cmd.items) : this.positional;
        let status = 0;
        for (const item of items) {
          this.vars.set(cmd.name, item);
          status = yield* this.runList(cmd.body, io);
          yield* this.tick();
        }
        return (this.status = status);
      }
      case 'while': {
        let status = 0;
        for (;;) {
          const c = yield* this.runList(cmd.cond, io);
          if ((c === 0) === cmd.until) break;
          status = yield* this.runList(cmd.body, io);
          yield* this.tick();
        }
        return (this.status = status);
      }
      case 'if': {
        for (const b of cmd.branches) {
          if ((yield* this.runList(b.cond, io)) === 0) return (this.status = yield* this.runList(b.body, io));
        }
        return (this.status = cmd.otherwise ? yield* this.runList(cmd.otherwise, io) : 0);
      }
    }
  }

  /** Apply redirections left to right; undefined when one fails (the command does not run). */
  private *redirect(redirects: Redirect[], io: ShellIo): Proc<ShellIo | undefined> {
    let { out, err, stdin } = io;
    for (const r of redirects) {
      const target = (yield* this.expandWord(r.target, false)).join(' ');
      const dev = r.op === '>&' ? undefined : parseDevTcp(target);
      if (dev && this.flavor !== 'bash' && r.op !== '<') {
        // Only bash fakes /dev/tcp; to dash and ash it is a directory that does not exist.
        err(this.flavor === 'dash' ? `${this.errPrefix()}cannot create ${target}: Directory nonexistent\n` : `${this.name}: can't create ${target}: nonexistent directory\n`);
        return undefined;
      }
      if (dev && this.flavor === 'bash') {
        const opened = yield* openDevTcp(this.ctx, target, dev);
        if (!opened.ok) {
          for (const m of opened.messages) err(`${this.name}: ${m}\n`);
          return undefined;
        }
        if (r.op === '<') stdin = new BufferedStdin(emptyStdin);
        else if (r.op === '&>') out = err = opened.write;
        else if (r.fd === 2) err = opened.write;
        else out = opened.write;
        continue;
      }
      const sink = (append: boolean): ((s: string) => void) => this.fileSink(target, append, out, err);
      if (r.op === '>' || r.op === '>>') {
        if (r.fd === 2) err = sink(r.op === '>>');
        else if (r.fd === 1) out = sink(r.op === '>>');
      } else if (r.op === '&>') {
        out = sink(false);
        err = out;
      } else if (r.op === '>&') {
        const to = target === '1' ? out : target === '2' ? err : target === '-' ? () => undefined : undefined;
        if (!to) {
          const s = sink(false);
          if (r.fd === 2) err = s; else { out = s; err = r.fd === 1 && target !== '1' ? err : err; }
        } else if (r.fd === 2) err = to;
        else if (r.fd === 1) out = to;
      } else if (r.op === '<') {
        const content = this.ctx.self.file(target);
        if (content === undefined && target !== '/dev/null') {
          err(this.flavor === 'dash' ? `${this.errPrefix()}cannot open ${target}: No such file\n`
            : this.flavor === 'bash' ? `${this.errPrefix()}${target}: No such file or directory\n`
            : `${this.name}: can't open '${target}': No such file or directory\n`);
          return undefined;
        }
        stdin = new BufferedStdin(stringStdin(content ?? ''));
      }
    }
    return { out, err, stdin };
  }

  private fileSink(path: string, append: boolean, out: (s: string) => void, err: (s: string) => void): (s: string) => void {
    if (path === '/dev/null') return () => undefined;
    if (path === '/dev/stdout' || path === '/proc/self/fd/1') return out;
    if (path === '/dev/stderr' || path === '/proc/self/fd/2') return err;
    // PID 1's stdout is the container log: the classic way to log from an exec.
    if (path === '/proc/1/fd/1') return (s) => this.ctx.self.log('stdout', s);
    if (path === '/proc/1/fd/2') return (s) => this.ctx.self.log('stderr', s);
    if (!append) this.ctx.self.writeFile(path, '', false);
    return (s) => this.ctx.self.writeFile(path, s, true);
  }

  private *runSimple(cmd: Extract<Command, { kind: 'simple' }>, io: ShellIo, inPipeline: boolean): Proc<number> {
    this.ctx.self.cpu?.charge(1);
    const argv = yield* this.expandWords(cmd.words);
    const assigns: [string, string][] = [];
    for (const a of cmd.assigns) assigns.push([a.name, (yield* this.expandWord(a.value, false)).join('')]);
    if (argv.length === 0) {
      for (const [k, v] of assigns) this.vars.set(k, v);
      return (this.status = 0);
    }
    const name = argv[0] ?? '';
    const special = yield* this.builtin(name, argv, io, inPipeline);
    if (special !== undefined) return (this.status = special);
    const env = new Map<string, string>();
    for (const k of this.exported) {
      const v = this.vars.get(k);
      if (v !== undefined) env.set(k, v);
    }
    for (const [k, v] of assigns) env.set(k, v);
    const prog = this.lookup(name);
    if (!prog) {
      io.err(this.flavor === 'bash' ? `${this.errPrefix()}${name}: command not found\n` : `${this.errPrefix()}${name}: not found\n`);
      return (this.status = 127);
    }
    const status = yield* prog(argv, { ...this.ctx, io, env });
    return (this.status = status);
  }

  private lookup(name: string): Program | undefined {
    return this.ctx.self.image.programs[name.split('/').pop() ?? ''];
  }

  /** Shell builtins that need the shell's state; undefined when name is not one. */
  private *builtin(name: string, argv: string[], io: ShellIo, _inPipeline: boolean): Proc<number | undefined> {
    switch (name) {
      case ':': return 0;
      case 'exit': {
        const code = argv[1] === undefined ? this.status : Number(argv[1]) & 255;
        throw new ExitSignal(code);
      }
      case 'export': case 'readonly': {
        for (const a of argv.slice(1)) {
          const eq = a.indexOf('=');
          const k = eq < 0 ? a : a.slice(0, eq);
          if (eq >= 0) this.vars.set(k, a.slice(eq + 1));
          this.exported.add(k);
        }
        return 0;
      }
      case 'unset': for (const k of argv.slice(1)) { this.vars.delete(k); this.exported.delete(k); } return 0;
      case 'cd': this.vars.set('PWD', argv[1] ?? this.vars.get('HOME') ?? '/'); return 0;
      case 'pwd': io.out(`${this.vars.get('PWD') ?? '/'}\n`); return 0;
      case 'shift': this.positional = this.positional.slice(Number(argv[1] ?? '1')); return 0;
      case 'set': return 0;
      case 'wait': return 0;
      case 'read': {
        const line = yield* io.stdin.readLine();
        const names = argv.slice(1).filter((a) => !a.startsWith('-'));
        const fields = (line ?? '').trim().split(/[ \t]+/);
        names.forEach((n, i) => this.vars.set(n, i === names.length - 1 ? fields.slice(i).join(' ') : fields[i] ?? ''));
        if (names.length === 0) this.vars.set('REPLY', line ?? '');
        return line === undefined ? 1 : 0;
      }
      case 'exec': {
        if (argv.length === 1) return 0;
        const prog = this.lookup(argv[1] ?? '');
        if (!prog) {
          io.err(`${this.errPrefix()}exec: ${argv[1]}: not found\n`);
          throw new ExitSignal(127);
        }
        const env = new Map<string, string>();
        for (const k of this.exported) { const v = this.vars.get(k); if (v !== undefined) env.set(k, v); }
        throw new ExitSignal(yield* prog(argv.slice(1), { ...this.ctx, io, env }));
      }
      case 'echo': return yield* echo(argv, io, this.flavor);
      case 'command': case 'type': case 'which': {
        if (name === 'command' && argv[1] !== '-v') return yield* this.runSimpleArgv(argv.slice(1), io);
        const target = name === 'command' ? argv[2] ?? '' : argv[1] ?? '';
        if (!this.lookup(target)) return 1;
        io.out(name === 'type' ? `${target} is /usr/bin/${target}\n` : `/usr/bin/${target}\n`);
        return 0;
      }
      default: {
        const b = coreBuiltins[name];
        if (!b) return undefined;
        const env = new Map<string, string>();
        for (const k of this.exported) { const v = this.vars.get(k); if (v !== undefined) env.set(k, v); }
        return yield* b(argv, { ...this.ctx, io, env });
      }
    }
  }

  private *runSimpleArgv(argv: string[], io: ShellIo): Proc<number> {
    const prog = this.lookup(argv[0] ?? '');
    if (!prog) return 127;
    return yield* prog(argv, { ...this.ctx, io, env: new Map(this.ctx.env) });
  }

  // ---- expansion ----

  private lookupVar(name: string): string | undefined {
    if (name === '?') return String(this.status);
    if (name === '$') return '1';
    if (name === '#') return String(this.positional.length);
    if (name === '@' || name === '*') return this.positional.join(' ');
    if (name === '0') return this.name;
    if (/^\d+$/.test(name)) return this.positional[Number(name) - 1];
    return this.vars.get(name);
  }

  *expandWords(words: Word[]): Proc<string[]> {
    const out: string[] = [];
    for (const w of words) out.push(...(yield* this.expandWord(w, true)));
    return out;
  }

  /** Expand one word; with split, unquoted expansions are split on IFS whitespace. */
  *expandWord(word: Word, split: boolean): Proc<string[]> {
    const fields: string[] = [];
    let cur = '';
    let exists = false;
    const flush = (): void => {
      if (exists) fields.push(cur);
      cur = '';
      exists = false;
    };
    const addSplit = (text: string): void => {
      if (!split) { cur += text; if (text) exists = true; return; }
      const pieces = text.split(/[ \t\n]+/);
      pieces.forEach((piece, i) => {
        if (i > 0) flush();
        if (piece) { cur += piece; exists = true; }
      });
    };
    for (const part of word.parts) {
      if (part.kind === 'lit') {
        cur += part.text;
        exists = true;
        continue;
      }
      let text: string;
      if (part.kind === 'var') text = yield* this.expandVar(part);
      else if (part.kind === 'arith') {
        try {
          text = String(evalArith(part.expr, (n) => this.lookupVar(n)));
        } catch (e) {
          throw new ExitSignal(this.fail(`arithmetic syntax error: ${(e as Error).message}`));
        }
      } else text = (yield* this.captureSubst(part.script)).replace(/\n+$/, '');
      if (part.quoted) { cur += text; exists = true; } else addSplit(text);
    }
    flush();
    return fields;
  }

  private fail(msg: string): number {
    this.ctx.io.err(`${this.errPrefix()}${msg}\n`);
    return 2;
  }

  private *expandVar(part: Extract<Word['parts'][number], { kind: 'var' }>): Proc<string> {
    const v = this.lookupVar(part.name);
    const arg = (): Proc<string> => (function* (self: Shell) {
      return part.arg ? (yield* self.expandWord(part.arg, false)).join('') : '';
    })(this);
    switch (part.op) {
      case '#len': return String((v ?? '').length);
      case ':-': return v ? v : yield* arg();
      case '-': return v !== undefined ? v : yield* arg();
      case ':=': { if (v) return v; const d = yield* arg(); this.vars.set(part.name, d); return d; }
      case ':+': return v ? yield* arg() : '';
      default: return v ?? '';
    }
  }

  private *captureSubst(script: string): Proc<string> {
    let captured = '';
    const sub = new Shell(this.ctx, this.flavor, this.name, this.positional, this);
    const io: Io = { out: (s) => { captured += s; }, err: this.ctx.io.err, stdin: emptyStdin };
    try {
      this.status = yield* sub.runScript(script, io);
    } finally {
      sub.vars.release();
    }
    return captured;
  }
}

/** The `sh`/`bash` program: sh -c 'script' [name [args…]] | sh (script on stdin). */
export function shellProgram(flavor: ShellFlavor): Program {
  return function* (argv: string[], ctx: ProcCtx): Proc<number> {
    const invoked = (argv[0] ?? 'sh').split('/').pop() ?? 'sh';
    let i = 1;
    let script: string | undefined;
    for (; i < argv.length; i++) {
      const a = argv[i] ?? '';
      if (a === '-c') { script = argv[++i]; i++; break; }
      if (/^-[a-z]*c[a-z]*$/.test(a)) { script = argv[++i]; i++; break; }
      if (a === '-s' || a === '-i' || a === '-l' || a === '-e' || a === '-x' || a === '--login') continue;
      break;
    }
    if (script === undefined && argv.length > 1 && i < argv.length && argv[i] !== undefined && !(argv[i] ?? '').startsWith('-') && !argv.includes('-c')) {
      const file = ctx.self.file(argv[i] ?? '');
      if (file === undefined) {
        ctx.io.err(flavor === 'dash' ? `${invoked}: 0: cannot open ${argv[i]}: No such file\n` : flavor === 'bash' ? `${invoked}: ${argv[i]}: No such file or directory\n` : `${invoked}: can't open '${argv[i]}': No such file or directory\n`);
        return flavor === 'bash' ? 127 : 2;
      }
      script = file;
      i++;
    }
    if (argv.includes('-c') && script === undefined) {
      ctx.io.err(flavor === 'bash' ? `${invoked}: -c: option requires an argument\n` : `${invoked}: -c requires an argument\n`);
      return 2;
    }
    const name = script !== undefined && argv[i] !== undefined ? argv[i] ?? invoked : invoked;
    const positional = script !== undefined ? argv.slice(i + 1) : [];
    const shell = new Shell(ctx, flavor, name, positional);
    const tty = ctx.io.tty;
    try {
      if (script === undefined && tty) return yield* interactive(shell, flavor, ctx.io, tty, ctx.self.hostname);
      const src = script ?? (yield* ctx.io.stdin.readAll());
      return yield* shell.runScript(src, ctx.io);
    } catch (e) {
      // The OOM killer's SIGKILL: whoever waits for this shell sees 128 + 9.
      if (e instanceof OomKilled) return 137;
      throw e;
    } finally {
      // The shell ended: its variables' memory goes back to the container.
      shell.vars.release();
    }
  };
}
