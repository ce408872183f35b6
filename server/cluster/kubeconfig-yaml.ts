// A fast path for reading kubeconfigs: kubectl, kind, minikube and `kubelab sim` write
// a tiny YAML subset (block mappings and sequences of simple scalars), and the `yaml`
// package (a 161 KB chunk) costs a one-shot `kubelab grade` 10-25 ms to load and run,
// this file ~1 ms. parseSimpleYaml
// returns exactly what `yaml`'s parse(text) returns (YAML 1.2 core schema, its
// defaults) or undefined for anything it is not sure of; the caller then uses `yaml`.
// Correctness over coverage: every doubt is a bail-out, never a guess.

/** One meaningful line: its indentation (spaces) and the rest, trailing spaces cut. */
interface Line {
  indent: number;
  text: string;
}

/** Thrown inside the parser to abandon the fast path; never escapes parseSimpleYaml. */
class NotSimple extends Error {}

function bail(): never {
  throw new NotSimple();
}

// Printable ASCII and newlines only: no tabs, CR, BOM, control or non-ASCII characters,
// each of which has rules of its own (or errors) in YAML.
const SIMPLE_CHARACTERS = /^[\n\x20-\x7e]*$/;

// Keys as kubeconfigs spell them. A letter first rules out every number, `.inf`, `~`,
// indicators and `<<`; reserved words are refused separately.
const KEY = /^[A-Za-z][A-Za-z0-9_.\/-]{0,127}$/;
const KEY_LINE = /^([^ :]+):(?: +(.*))?$/;

// Words that the core schema resolves to null or booleans, in every spelling it accepts
// (and a few more: the refusal costs only the slow path).
const RESERVED_WORD = /^(?:null|true|false|yes|no|on|off|y|n)$/i;

// Plain scalars beginning like a number: refused when they could be one (ints, octal,
// hex, floats, exponents, .inf, .nan, with underscores or colons that YAML 1.1 read as
// numbers). What is left (a hex token such as 6fa1d8...) is a string to the core schema.
const NUMBER_START = /^[-+]?[.0-9]/;
const NUMBER_LIKE = /^[-+]?(?:[0-9._:]*(?:[eE][-+]?[0-9._]*)?|0[xXoObB].*|\.(?:inf|nan))$/i;
const SMALL_INT = /^(?:0|[1-9][0-9]{0,14})$/;

// A plain scalar may not begin with an indicator, nor hold `: ` or ` #`, nor end in `:`.
const INDICATOR_FIRST = /^[-?:,[\]{}#&*!|>'"%@`]/;
// One exception: exec plugins' flags (`- --region`, `- -v`). A dash or two then a letter
// is neither a sequence entry, a document marker nor a number, so YAML reads a string.
const FLAG = /^--?[A-Za-z]/;

function plainScalar(text: string): unknown {
  if ((INDICATOR_FIRST.test(text) && !FLAG.test(text)) || text.includes(': ') || text.includes(' #') || text.endsWith(':')) bail();
  if (text === 'null') return null;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (SMALL_INT.test(text)) return Number(text);
  if (text === '~' || RESERVED_WORD.test(text)) bail();
  if (NUMBER_START.test(text) && NUMBER_LIKE.test(text)) bail();
  return text;
}

/** A value on one line after `key: ` or `- `: flow-empty collections, quoted or plain scalars. */
function inlineValue(text: string): unknown {
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (text.startsWith("'")) {
    // Closed by the last character; inside, every quote comes doubled.
    const inner = text.slice(1, -1);
    if (text.length < 2 || !text.endsWith("'") || inner.replaceAll("''", '').includes("'")) bail();
    return inner.replaceAll("''", "'");
  }
  if (text.startsWith('"')) {
    // Without backslashes a double-quoted scalar is its characters as written.
    const inner = text.slice(1, -1);
    if (text.length < 2 || !text.endsWith('"') || inner.includes('"') || inner.includes('\\')) bail();
    return inner;
  }
  return plainScalar(text);
}

function mappingKey(text: string): string {
  if (!KEY.test(text) || RESERVED_WORD.test(text)) bail();
  return text;
}

class BlockParser {
  private at = 0;

  constructor(private readonly lines: readonly Line[]) {}

  document(): unknown {
    const first = this.lines[0];
    if (!first || first.indent !== 0) bail();
    const value = this.block(0);
    if (this.at !== this.lines.length) bail();
    return value;
  }

  private peek(): Line | undefined {
    return this.lines[this.at];
  }

  private static isItem(line: Line): boolean {
    return line.text === '-' || line.text.startsWith('- ');
  }

  /** The mapping or sequence whose first line is the next one, at `indent`. */
  private block(indent: number): unknown {
    const line = this.peek();
    if (!line || line.indent !== indent) bail();
    return BlockParser.isItem(line) ? this.sequence(indent) : this.mapping(indent, {}, line.text);
  }

  /**
   * Entries at `indent` into `into`. `firstText` is the first entry's text, which for a
   * compact mapping (`- key: value`) starts mid-line, after the dash.
   */
  private mapping(indent: number, into: Record<string, unknown>, firstText: string): Record<string, unknown> {
    let text = firstText;
    for (;;) {
      this.at++;
      const match = KEY_LINE.exec(text) ?? bail();
      const key = mappingKey(match[1]!);
      if (Object.hasOwn(into, key)) bail();
      const rest = match[2];
      into[key] = rest === undefined || rest === '' ? this.nestedValue(indent, true) : inlineValue(rest);
      const next = this.peek();
      if (!next || next.indent < indent) return into;
      if (next.indent > indent || BlockParser.isItem(next)) bail();
      text = next.text;
    }
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (;;) {
      const line = this.peek()!;
      const afterDash = line.text.slice(1);
      const content = afterDash.trimStart();
      if (content === '') {
        this.at++;
        items.push(this.nestedValue(indent, false));
      } else if (content === '-' || content.startsWith('- ')) {
        bail(); // a sequence nested on the dash's line
      } else if (KEY_LINE.test(content) && !content.startsWith("'") && !content.startsWith('"')) {
        // `- key: value`: a mapping whose column is that of its first key.
        const column = indent + 1 + (afterDash.length - content.length);
        items.push(this.mapping(column, {}, content));
      } else {
        this.at++;
        items.push(inlineValue(content));
      }
      // A sequence at its key's own indent ends at the key's next sibling; the caller
      // decides whether a line at this indent may follow.
      const next = this.peek();
      if (!next || next.indent < indent || (next.indent === indent && !BlockParser.isItem(next))) return items;
      if (next.indent > indent) bail();
    }
  }

  /**
   * The value of `key:` or `-` with nothing after it on the line: a block more indented,
   * a sequence at the key's own indent (YAML allows that for mapping values), or null.
   */
  private nestedValue(indent: number, ofKey: boolean): unknown {
    const next = this.peek();
    if (next && next.indent > indent) return this.block(next.indent);
    if (ofKey && next && next.indent === indent && BlockParser.isItem(next)) return this.sequence(indent);
    return null;
  }
}

function meaningfulLines(text: string): Line[] {
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    const trimmed = raw.trimEnd();
    const body = trimmed.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    lines.push({ indent: trimmed.length - body.length, text: body });
  }
  return lines;
}

/**
 * What `yaml`'s parse(text) returns, when `text` is in the subset kubeconfig writers use;
 * undefined ("not sure: use the real parser") for anything else, including documents
 * `yaml` would refuse.
 */
export function parseSimpleYaml(text: string): unknown {
  if (!SIMPLE_CHARACTERS.test(text)) return undefined;
  try {
    return new BlockParser(meaningfulLines(text)).document();
  } catch (error) {
    if (error instanceof NotSimple) return undefined;
    throw error;
  }
}
