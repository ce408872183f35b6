// The small utilities every image with a shell ships: GNU coreutils on Debian images,
// busybox applets elsewhere. Only error-message shapes differ between the two.

import type { ProcCtx, Program } from '../images/types.ts';
import { sleep, type Proc } from '../proc.ts';
import { echo, unescape } from '../shell/echo.ts';

export type Userland = 'busybox' | 'gnu';

function* readInputs(argv: string[], ctx: ProcCtx, who: string, land: Userland): Proc<{ text: string; status: number }> {
  const files = argv.filter((a) => !a.startsWith('-') || a === '-');
  if (files.length === 0) return { text: yield* ctx.io.stdin.readAll(), status: 0 };
  let text = '';
  let status = 0;
  for (const f of files) {
    if (f === '-') { text += yield* ctx.io.stdin.readAll(); continue; }
    const content = ctx.self.file(f);
    if (content === undefined) {
      ctx.io.err(land === 'busybox' ? `${who}: can't open '${f}': No such file or directory\n` : `${who}: ${f}: No such file or directory\n`);
      status = 1;
      continue;
    }
    text += content;
  }
  return { text, status };
}

const lines = (text: string): string[] => {
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
};

/** printf FORMAT [ARG]…: %s %d %i %x %c %% with widths; the format is reused for extra args. */
function formatPrintf(fmt: string, args: string[]): string {
  let out = '';
  let i = 0;
  do {
    let used = 0;
    out += unescape(fmt).replace(/%(-?\d*)(?:\.(\d+))?([sdixc%])/g, (_m, width: string, prec: string | undefined, conv: string) => {
      if (conv === '%') return '%';
      const a = args[i + used++] ?? '';
      let v: string;
      if (conv === 's') v = prec !== undefined ? a.slice(0, Number(prec)) : a;
      else if (conv === 'c') v = a.slice(0, 1);
      else if (conv === 'x') v = (Number.parseInt(a || '0', 10) || 0).toString(16);
      else v = String(Number.parseInt(a || '0', 10) || 0);
      const w = Number(width.replace('-', '') || 0);
      return width.startsWith('-') ? v.padEnd(w) : v.padStart(w);
    });
    i += used;
    if (used === 0) break;
  } while (i < args.length);
  return out;
}

/** test / [: the operators probe scripts use. */
function evalTest(args: string[], ctx: ProcCtx): boolean {
  if (args[0] === '!') return !evalTest(args.slice(1), ctx);
  if (args.length === 0) return false;
  if (args.length === 1) return (args[0] ?? '') !== '';
  if (args.length === 2) {
    const [op, a = ''] = args;
    switch (op) {
      case '-z': return a === '';
      case '-n': return a !== '';
      case '-e': case '-f': case '-r': case '-s': return ctx.self.file(a) !== undefined;
      case '-d': return a === '/' || ['/tmp', '/etc', '/root', '/usr', '/bin', '/var', '/home'].includes(a);
      case '-x': return ctx.self.image.programs[a.split('/').pop() ?? ''] !== undefined;
      default: return false;
    }
  }
  const andIdx = args.indexOf('-a');
  if (andIdx > 0) return evalTest(args.slice(0, andIdx), ctx) && evalTest(args.slice(andIdx + 1), ctx);
  const orIdx = args.indexOf('-o');
  if (orIdx > 0) return evalTest(args.slice(0, orIdx), ctx) || evalTest(args.slice(orIdx + 1), ctx);
  const [a = '', op, b = ''] = args;
  const n = (x: string): number => Number.parseInt(x, 10);
  switch (op) {
    case '=': case '==': return a === b;
    case '!=': return a !== b;
    case '-eq': return n(a) === n(b);
    case '-ne': return n(a) !== n(b);
    case '-lt': return n(a) < n(b);
    case '-le': return n(a) <= n(b);
    case '-gt': return n(a) > n(b);
    case '-ge': return n(a) >= n(b);
    default: return false;
  }
}

/** Builtins of every sh (also the /bin programs of the same names). */
export const coreBuiltins: Record<string, Program> = {
  true: function* () { return 0; },
  false: function* () { return 1; },
  printf: function* (argv, ctx) {
    if (argv.length < 2) { ctx.io.err('printf: usage: printf format [arguments]\n'); return 2; }
    ctx.io.out(formatPrintf(argv[1] ?? '', argv.slice(2)));
    return 0;
  },
  test: function* (argv, ctx) { return evalTest(argv.slice(1), ctx) ? 0 : 1; },
  '[': function* (argv, ctx) {
    if (argv[argv.length - 1] !== ']') { ctx.io.err('[: missing ]\n'); return 2; }
    return evalTest(argv.slice(1, -1), ctx) ? 0 : 1;
  },
};

export function coreutils(land: Userland): Record<string, Program> {
  const progs: Record<string, Program> = {
    ...coreBuiltins,
    echo: (argv, ctx) => echo(argv, ctx.io, 'coreutils'),
    cat: function* (argv, ctx) {
      const { text, status } = yield* readInputs(argv.slice(1), ctx, 'cat', land);
      ctx.io.out(text);
      return status;
    },
    env: function* (argv, ctx) {
      const extra = argv.slice(1).filter((a) => a.includes('='));
      for (const [k, v] of ctx.env) ctx.io.out(`${k}=${v}\n`);
      for (const a of extra) ctx.io.out(`${a}\n`);
      return 0;
    },
    printenv: function* (argv, ctx) {
      if (argv[1] === undefined) { for (const [k, v] of ctx.env) ctx.io.out(`${k}=${v}\n`); return 0; }
      const v = ctx.env.get(argv[1]);
      if (v === undefined) return 1;
      ctx.io.out(`${v}\n`);
      return 0;
    },
    hostname: function* (argv, ctx) {
      if (argv[1] === '-i' || argv[1] === '-I') ctx.io.out(`${ctx.self.podIP}${argv[1] === '-I' ? ' ' : ''}\n`);
      else ctx.io.out(`${ctx.self.hostname}\n`);
      return 0;
    },
    sleep: function* (argv, ctx) {
      const arg = argv[1];
      if (arg === undefined) {
        ctx.io.err(land === 'busybox' ? 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: sleep [N]...\n' : 'sleep: missing operand\nTry \'sleep --help\' for more information.\n');
        return 1;
      }
      if (arg === 'infinity' || arg === 'inf') { yield* sleep(Number.MAX_SAFE_INTEGER / 2); return 0; }
      const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg);
      if (!m) {
        ctx.io.err(land === 'busybox' ? `sleep: invalid number '${arg}'\n` : `sleep: invalid time interval '${arg}'\nTry 'sleep --help' for more information.\n`);
        return 1;
      }
      const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] ?? ''] ?? 1;
      yield* sleep(Number(m[1]) * unit * 1000);
      return 0;
    },
    seq: function* (argv, ctx) {
      const nums = argv.slice(1).map(Number);
      const [first, inc, last] = nums.length === 1 ? [1, 1, nums[0] ?? 1] : nums.length === 2 ? [nums[0] ?? 1, 1, nums[1] ?? 1] : [nums[0] ?? 1, nums[1] ?? 1, nums[2] ?? 1];
      if (inc === 0 || nums.some(Number.isNaN)) return 1;
      let out = '';
      for (let v = first; inc > 0 ? v <= last : v >= last; v += inc) out += `${v}\n`;
      ctx.io.out(out);
      return 0;
    },
    head: function* (argv, ctx) {
      const { n, rest } = lineCount(argv);
      const { text, status } = yield* readInputs(rest, ctx, 'head', land);
      ctx.io.out(lines(text).slice(0, n).map((l) => `${l}\n`).join(''));
      return status;
    },
    tail: function* (argv, ctx) {
      const { n, rest } = lineCount(argv);
      const { text, status } = yield* readInputs(rest, ctx, 'tail', land);
      ctx.io.out(lines(text).slice(-n).map((l) => `${l}\n`).join(''));
      return status;
    },
    wc: function* (argv, ctx) {
      const flags = argv.slice(1).filter((a) => a.startsWith('-')).join('');
      const { text, status } = yield* readInputs(argv.slice(1), ctx, 'wc', land);
      const l = (text.match(/\n/g) ?? []).length;
      const w = text.split(/\s+/).filter(Boolean).length;
      const c = Buffer.byteLength(text);
      const pick = [flags.includes('l') ? l : undefined, flags.includes('w') ? w : undefined, flags.includes('c') ? c : undefined].filter((x) => x !== undefined);
      const vals = pick.length ? pick : [l, w, c];
      ctx.io.out(vals.length === 1 ? `${vals[0]}\n` : land === 'gnu' ? `${vals.map((v) => String(v).padStart(String(c).length)).join(' ')}\n` : `${vals.map((v) => String(v).padStart(7)).join(' ')}\n`);
      return status;
    },
    grep: function* (argv, ctx) {
      let invert = false, count = false, quiet = false, ignore = false, fixed = false, only = false;
      const rest: string[] = [];
      let pattern: string | undefined;
      for (let i = 1; i < argv.length; i++) {
        const a = argv[i] ?? '';
        if (a === '-e') { pattern = argv[++i]; continue; }
        if (/^-[vcqiFoE]+$/.test(a)) {
          invert ||= a.includes('v'); count ||= a.includes('c'); quiet ||= a.includes('q');
          ignore ||= a.includes('i'); fixed ||= a.includes('F'); only ||= a.includes('o');
          continue;
        }
        if (pattern === undefined) pattern = a; else rest.push(a);
      }
      if (pattern === undefined) { ctx.io.err(land === 'busybox' ? 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n' : 'Usage: grep [OPTION]... PATTERNS [FILE]...\n'); return 2; }
      let re: RegExp;
      try {
        const src = fixed ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern.replace(/\\([|(){}+?])/g, '$1');
        re = new RegExp(src, ignore ? 'gi' : 'g');
      } catch {
        ctx.io.err(`grep: Invalid regular expression\n`);
        return 2;
      }
      const { text, status } = yield* readInputs(rest, ctx, 'grep', land);
      const matched = lines(text).filter((l) => { re.lastIndex = 0; return re.test(l) !== invert; });
      if (quiet) return matched.length ? 0 : 1;
      if (count) ctx.io.out(`${matched.length}\n`);
      else if (only) for (const l of matched) for (const m of l.match(re) ?? []) ctx.io.out(`${m}\n`);
      else for (const l of matched) ctx.io.out(`${l}\n`);
      return status || (matched.length ? 0 : 1);
    },
    sort: function* (argv, ctx) {
      const flags = argv.slice(1).filter((a) => a.startsWith('-')).join('');
      const { text } = yield* readInputs(argv.slice(1), ctx, 'sort', land);
      let l = lines(text);
      l = flags.includes('n') ? l.sort((a, b) => Number.parseFloat(a) - Number.parseFloat(b)) : l.sort();
      if (flags.includes('r')) l.reverse();
      if (flags.includes('u')) l = l.filter((x, i) => l.indexOf(x) === i);
      ctx.io.out(l.map((x) => `${x}\n`).join(''));
      return 0;
    },
    uniq: function* (argv, ctx) {
      const countFlag = argv.includes('-c');
      const { text } = yield* readInputs(argv.slice(1), ctx, 'uniq', land);
      const groups: [string, number][] = [];
      for (const l of lines(text)) {
        const last = groups[groups.length - 1];
        if (last && last[0] === l) last[1]++; else groups.push([l, 1]);
      }
      ctx.io.out(groups.map(([l, n]) => (countFlag ? `${String(n).padStart(7)} ${l}\n` : `${l}\n`)).join(''));
      return 0;
    },
    tr: function* (argv, ctx) {
      const del = argv[1] === '-d';
      const from = unescape(argv[del ? 2 : 1] ?? '');
      const to = unescape(argv[2] ?? '');
      const text = yield* ctx.io.stdin.readAll();
      let out = '';
      for (const ch of text) {
        const i = from.indexOf(ch);
        out += i < 0 ? ch : del ? '' : to[Math.min(i, to.length - 1)] ?? '';
      }
      ctx.io.out(out);
      return 0;
    },
    cut: function* (argv, ctx) {
      let delim = '\t';
      let fields: number[] = [];
      for (let i = 1; i < argv.length; i++) {
        const a = argv[i] ?? '';
        if (a === '-d') delim = argv[++i] ?? delim;
        else if (a.startsWith('-d')) delim = a.slice(2);
        else if (a === '-f') fields = (argv[++i] ?? '').split(',').map(Number);
        else if (a.startsWith('-f')) fields = a.slice(2).split(',').map(Number);
      }
      const text = yield* ctx.io.stdin.readAll();
      ctx.io.out(lines(text).map((l) => `${fields.map((f) => l.split(delim)[f - 1] ?? '').join(delim)}\n`).join(''));
      return 0;
    },
    tee: function* (argv, ctx) {
      const text = yield* ctx.io.stdin.readAll();
      for (const f of argv.slice(1).filter((a) => !a.startsWith('-'))) ctx.self.writeFile(f, text, argv.includes('-a'));
      ctx.io.out(text);
      return 0;
    },
    date: function* (argv, ctx) {
      const now = ctx.sys.clock.now();
      if (argv[1] === '+%s') ctx.io.out(`${Math.floor(now / 1000)}\n`);
      else {
        const d = new Date(now).toUTCString().split(' ');
        ctx.io.out(`${d[0]?.replace(',', '')} ${d[2]} ${d[1]} ${d[4]} UTC ${d[3]}\n`);
      }
      return 0;
    },
    id: function* (_argv, ctx) { ctx.io.out('uid=0(root) gid=0(root) groups=0(root)\n'); return 0; },
    whoami: function* (_argv, ctx) { ctx.io.out('root\n'); return 0; },
    uname: function* (argv, ctx) {
      ctx.io.out(argv.includes('-a') ? `Linux ${ctx.self.hostname} 6.8.0-1021-azure #25-Ubuntu SMP x86_64 GNU/Linux\n` : 'Linux\n');
      return 0;
    },
    ls: function* (argv, ctx) {
      const dir = argv.slice(1).find((a) => !a.startsWith('-')) ?? '/';
      const known: Record<string, string[]> = {
        '/': ['bin', 'dev', 'etc', 'home', 'lib', 'proc', 'root', 'sys', 'tmp', 'usr', 'var'],
        '/etc': ['hostname', 'hosts', 'passwd', 'resolv.conf'],
        '/usr/share/nginx/html': ['50x.html', 'index.html'],
      };
      const entries = known[dir.replace(/\/$/, '') || '/'];
      if (!entries) {
        if (ctx.self.file(dir) !== undefined) { ctx.io.out(`${dir}\n`); return 0; }
        ctx.io.err(land === 'busybox' ? `ls: ${dir}: No such file or directory\n` : `ls: cannot access '${dir}': No such file or directory\n`);
        return land === 'busybox' ? 1 : 2;
      }
      ctx.io.out(`${entries.join('\n')}\n`);
      return 0;
    },
    mkdir: function* () { return 0; },
    touch: function* (argv, ctx) { for (const f of argv.slice(1)) if (ctx.self.file(f) === undefined) ctx.self.writeFile(f, '', false); return 0; },
    rm: function* () { return 0; },
    nproc: function* (_argv, ctx) { ctx.io.out('2\n'); return 0; },
  };
  return progs;
}

/** head/tail's `-n N`, `-nN` and `-N` (default 10); everything else is a file operand. */
function lineCount(argv: readonly string[]): { n: number; rest: string[] } {
  let n = 10;
  const rest: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '-n') n = Number(argv[++i]);
    else if (/^-n?\d+$/.test(a)) n = Number(a.replace(/^-n?/, ''));
    else rest.push(a);
  }
  return { n, rest };
}
