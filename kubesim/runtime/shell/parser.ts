// Tokenizer + recursive-descent parser for the shell subset in ast.ts.

import type { AndOr, Command, List, Pipeline, Redirect, Word, WordPart } from './ast.ts';
import { ShellSyntaxError } from './ast.ts';

type Token =
  | { t: 'word'; word: Word; plain: string | undefined }
  | { t: 'op'; op: string }
  | { t: 'redir'; fd: number; op: Redirect['op'] }
  | { t: 'nl' }
  | { t: 'eof' };

const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
const RESERVED = new Set(['for', 'in', 'do', 'done', 'while', 'until', 'if', 'then', 'elif', 'else', 'fi', '{', '}', '!', 'case', 'esac']);

/** Find the index just past the ")" that closes a "$(" opened before `from`. */
function matchParen(src: string, from: number, line: number): number {
  let depth = 1;
  let i = from;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') { i += 2; continue; }
    if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')' && --depth === 0) return i + 1;
    i++;
  }
  throw new ShellSyntaxError({ kind: 'unterminated', what: 'command substitution' }, line);
}

export class Parser {
  private pos = 0;
  private line = 1;
  private peeked: Token | undefined;

  constructor(private readonly src: string) {}

  static parse(src: string): List {
    const p = new Parser(src);
    const list = p.list(new Set());
    const t = p.peek();
    if (t.t !== 'eof') throw p.unexpected(t);
    return list;
  }

  // ---- tokens ----

  private peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  private next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  private scan(): Token {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '\\' && s[this.pos + 1] === '\n') { this.pos += 2; this.line++; }
      else if (c === '#') { while (this.pos < s.length && s[this.pos] !== '\n') this.pos++; }
      else break;
    }
    if (this.pos >= s.length) return { t: 'eof' };
    const c = s[this.pos] ?? '';
    if (c === '\n') { this.pos++; this.line++; return { t: 'nl' }; }
    const two = s.slice(this.pos, this.pos + 2);
    // fd-prefixed redirections: 2>&1, 2>/dev/null, 1>>x
    const fdm = /^(\d)(>>|>&|<&|>|<)/.exec(s.slice(this.pos, this.pos + 3));
    if (fdm) {
      this.pos += fdm[0].length;
      return { t: 'redir', fd: Number(fdm[1]), op: fdm[2] as Redirect['op'] };
    }
    if (two === '&>') { this.pos += 2; return { t: 'redir', fd: 1, op: '&>' }; }
    if (two === '>>' || two === '>&') { this.pos += 2; return { t: 'redir', fd: 1, op: two }; }
    if (two === '<&') { this.pos += 2; return { t: 'redir', fd: 0, op: '<&' }; }
    if (c === '>') { this.pos++; return { t: 'redir', fd: 1, op: '>' }; }
    if (c === '<') { this.pos++; return { t: 'redir', fd: 0, op: '<' }; }
    if (two === '&&' || two === '||' || two === ';;') { this.pos += 2; return { t: 'op', op: two }; }
    if (c === ';' || c === '&' || c === '|' || c === '(' || c === ')') { this.pos++; return { t: 'op', op: c }; }
    return this.scanWord();
  }

  private scanWord(): Token {
    const s = this.src;
    const parts: WordPart[] = [];
    let plain = '';
    let isPlain = true;
    const lit = (text: string, quoted: boolean): void => {
      const last = parts[parts.length - 1];
      if (last && last.kind === 'lit' && last.quoted === quoted) last.text += text;
      else parts.push({ kind: 'lit', text, quoted });
    };
    while (this.pos < s.length) {
      const c = s[this.pos] ?? '';
      if (META.has(c)) break;
      if (c === '\\') {
        const n = s[this.pos + 1];
        this.pos += 2;
        isPlain = false;
        if (n === undefined) lit('\\', false);
        else if (n !== '\n') lit(n, true);
        continue;
      }
      if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellSyntaxError({ kind: 'unterminated', what: 'quoted string' }, this.line);
        lit(s.slice(this.pos + 1, end), true);
        this.pos = end + 1;
        isPlain = false;
        continue;
      }
      if (c === '"') {
        this.pos++;
        isPlain = false;
        let closed = false;
        while (this.pos < s.length) {
          const d = s[this.pos] ?? '';
          if (d === '"') { this.pos++; closed = true; break; }
          if (d === '\\') {
            const n = s[this.pos + 1] ?? '';
            if ('$`"\\'.includes(n) && n) { lit(n, true); this.pos += 2; continue; }
            if (n === '\n') { this.pos += 2; continue; }
            lit('\\', true);
            this.pos++;
            continue;
          }
          if (d === '$' || d === '`') { this.dollar(parts, true, lit); continue; }
          if (d === '\n') this.line++;
          lit(d, true);
          this.pos++;
        }
        if (!closed) throw new ShellSyntaxError({ kind: 'unterminated', what: 'quoted string' }, this.line);
        if (parts.length === 0) lit('', true);
        continue;
      }
      if (c === '$' || c === '`') {
        const before = parts.length;
        this.dollar(parts, false, lit);
        if (parts.length !== before || parts[parts.length - 1]?.kind !== 'lit') isPlain = false;
        continue;
      }
      lit(c, false);
      plain += c;
      this.pos++;
    }
    return { t: 'word', word: { parts }, plain: isPlain ? plain : undefined };
  }

  /** $name, ${name}, ${name:-x}, ${#name}, $?, $(...), `...`, $((...)) at this.pos. */
  private dollar(parts: WordPart[], quoted: boolean, lit: (t: string, q: boolean) => void): void {
    const s = this.src;
    if (s[this.pos] === '`') {
      const end = s.indexOf('`', this.pos + 1);
      if (end < 0) throw new ShellSyntaxError({ kind: 'unterminated', what: 'command substitution' }, this.line);
      parts.push({ kind: 'subst', script: s.slice(this.pos + 1, end).replace(/\\([$`\\])/g, '$1'), quoted });
      this.pos = end + 1;
      return;
    }
    const n = s[this.pos + 1] ?? '';
    if (s.startsWith('$((', this.pos)) {
      const end = matchParen(s, this.pos + 3, this.line);
      if (s[end] !== ')') throw new ShellSyntaxError({ kind: 'unterminated', what: 'command substitution' }, this.line);
      parts.push({ kind: 'arith', expr: s.slice(this.pos + 3, end - 1), quoted });
      this.pos = end + 1;
      return;
    }
    if (n === '(') {
      const end = matchParen(s, this.pos + 2, this.line);
      parts.push({ kind: 'subst', script: s.slice(this.pos + 2, end - 1), quoted });
      this.pos = end;
      return;
    }
    if (n === '{') {
      const end = s.indexOf('}', this.pos + 2);
      if (end < 0) throw new ShellSyntaxError({ kind: 'unterminated', what: 'parameter' }, this.line);
      const body = s.slice(this.pos + 2, end);
      this.pos = end + 1;
      if (body.startsWith('#') && body.length > 1) {
        parts.push({ kind: 'var', name: body.slice(1), quoted, op: '#len' });
        return;
      }
      const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?#$@*!-])(:-|:=|:\+|-)?(.*)$/s.exec(body);
      if (!m) throw new ShellSyntaxError({ kind: 'unexpected', token: `\${${body}}` }, this.line);
      const op = m[2] as ':-' | ':=' | ':+' | '-' | undefined;
      if (op) {
        const sub = new Parser(m[3] ?? '').scanWord();
        parts.push({ kind: 'var', name: m[1] ?? '', quoted, op, arg: sub.t === 'word' ? sub.word : { parts: [] } });
      } else parts.push({ kind: 'var', name: m[1] ?? '', quoted });
      return;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?#$@*!-])/.exec(s.slice(this.pos + 1));
    if (!m) {
      lit('$', quoted);
      this.pos++;
      return;
    }
    parts.push({ kind: 'var', name: m[1] ?? '', quoted });
    this.pos += 1 + (m[1]?.length ?? 0);
  }

  // ---- grammar ----

  private unexpected(t: Token, expecting?: string): ShellSyntaxError {
    if (t.t === 'eof') return new ShellSyntaxError(expecting ? { kind: 'eof', expecting } : { kind: 'eof' }, this.line);
    const token = t.t === 'word' ? (t.plain ?? 'word') : t.t === 'op' ? t.op : t.t === 'nl' ? 'newline' : t.op;
    return new ShellSyntaxError({ kind: 'unexpected', token }, this.line);
  }

  private skipNewlines(): void {
    while (this.peek().t === 'nl') this.next();
  }

  private isReserved(t: Token, word: string): boolean {
    return t.t === 'word' && t.plain === word;
  }

  /** A list ends at EOF, ")" or one of the reserved words in `stops` at command position. */
  private list(stops: Set<string>): List {
    const items: AndOr[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.t === 'eof' || (t.t === 'op' && (t.op === ')' || t.op === ';;'))) break;
      if (t.t === 'word' && t.plain !== undefined && stops.has(t.plain)) break;
      if (t.t === 'op' && (t.op === ';' || t.op === '&' || t.op === '|' || t.op === '&&' || t.op === '||')) throw this.unexpected(t);
      const ao = this.andOr(stops);
      items.push(ao);
      const sep = this.peek();
      if (sep.t === 'op' && (sep.op === ';' || sep.op === '&')) {
        this.next();
        if (sep.op === '&') ao.background = true;
      } else if (sep.t === 'nl') this.next();
      else break;
    }
    return { items };
  }

  private andOr(stops: Set<string>): AndOr {
    const first = this.pipeline(stops);
    const rest: AndOr['rest'] = [];
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || (t.op !== '&&' && t.op !== '||')) break;
      this.next();
      this.skipNewlines();
      rest.push({ op: t.op, pipeline: this.pipeline(stops) });
    }
    return { first, rest, background: false };
  }

  private pipeline(stops: Set<string>): Pipeline {
    let negate = false;
    if (this.isReserved(this.peek(), '!')) {
      this.next();
      negate = true;
    }
    const commands = [this.command(stops)];
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || t.op !== '|') break;
      this.next();
      this.skipNewlines();
      commands.push(this.command(stops));
    }
    return { negate, commands };
  }

  private expectWord(word: string): void {
    this.skipNewlines();
    const t = this.next();
    if (!this.isReserved(t, word)) throw this.unexpected(t, word);
  }

  private command(_stops: Set<string>): Command {
    const t = this.peek();
    if (t.t === 'word' && t.plain !== undefined && RESERVED.has(t.plain)) {
      switch (t.plain) {
        case 'for': return this.forCommand();
        case 'while': case 'until': return this.whileCommand(t.plain === 'until');
        case 'if': return this.ifCommand();
        case '{': {
          this.next();
          const body = this.list(new Set(['}']));
          this.expectWord('}');
          return { kind: 'group', body, subshell: false, redirects: this.redirects() };
        }
        default:
          throw this.unexpected(t);
      }
    }
    if (t.t === 'op' && t.op === '(') {
      this.next();
      const body = this.list(new Set());
      const close = this.next();
      if (close.t !== 'op' || close.op !== ')') throw this.unexpected(close, ')');
      return { kind: 'group', body, subshell: true, redirects: this.redirects() };
    }
    return this.simple();
  }

  private redirects(): Redirect[] {
    const out: Redirect[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t !== 'redir') return out;
      this.next();
      const target = this.next();
      if (target.t !== 'word') throw this.unexpected(target);
      out.push({ fd: t.fd, op: t.op, target: target.word });
    }
  }

  private simple(): Command {
    const assigns: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t === 'redir') {
        redirects.push(...this.redirects());
        continue;
      }
      if (t.t !== 'word') break;
      this.next();
      const first = t.word.parts[0];
      const m = words.length === 0 && first?.kind === 'lit' && !first.quoted ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text) : null;
      if (m && first?.kind === 'lit') {
        const rest: WordPart[] = [{ kind: 'lit', quoted: false, text: first.text.slice(m[0].length) }, ...t.word.parts.slice(1)];
        assigns.push({ name: m[1] ?? '', value: { parts: rest } });
        continue;
      }
      words.push(t.word);
    }
    if (words.length === 0 && assigns.length === 0 && redirects.length === 0) throw this.unexpected(this.peek());
    return { kind: 'simple', assigns, words, redirects };
  }

  private forCommand(): Command {
    this.next();
    const nameTok = this.next();
    if (nameTok.t !== 'word' || nameTok.plain === undefined) throw this.unexpected(nameTok);
    let items: Word[] | undefined;
    this.skipNewlines();
    if (this.isReserved(this.peek(), 'in')) {
      this.next();
      items = [];
      for (;;) {
        const t = this.peek();
        if (t.t !== 'word') break;
        this.next();
        items.push(t.word);
      }
      const sep = this.peek();
      if (sep.t === 'op' && sep.op === ';') this.next();
      else if (sep.t !== 'nl') throw this.unexpected(sep, 'do');
    } else if (this.peek().t === 'op') {
      const sep = this.peek();
      if (sep.t === 'op' && sep.op === ';') this.next();
    }
    this.expectWord('do');
    const body = this.list(new Set(['done']));
    this.expectWord('done');
    return { kind: 'for', name: nameTok.plain, items, body, redirects: this.redirects() };
  }

  private whileCommand(until: boolean): Command {
    this.next();
    const cond = this.list(new Set(['do']));
    this.expectWord('do');
    const body = this.list(new Set(['done']));
    this.expectWord('done');
    return { kind: 'while', until, cond, body, redirects: this.redirects() };
  }

  private ifCommand(): Command {
    this.next();
    const branches: { cond: List; body: List }[] = [];
    let otherwise: List | undefined;
    const cond = this.list(new Set(['then']));
    this.expectWord('then');
    branches.push({ cond, body: this.list(new Set(['elif', 'else', 'fi'])) });
    for (;;) {
      this.skipNewlines();
      const t = this.next();
      if (this.isReserved(t, 'fi')) break;
      if (this.isReserved(t, 'elif')) {
        const c = this.list(new Set(['then']));
        this.expectWord('then');
        branches.push({ cond: c, body: this.list(new Set(['elif', 'else', 'fi'])) });
        continue;
      }
      if (this.isReserved(t, 'else')) {
        otherwise = this.list(new Set(['fi']));
        this.expectWord('fi');
        break;
      }
      throw this.unexpected(t, 'fi');
    }
    return { kind: 'if', branches, otherwise, redirects: this.redirects() };
  }
}
