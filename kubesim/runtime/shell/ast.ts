// The shell's syntax tree: the subset of POSIX sh that probe scripts and graders use.
// Grammar follows POSIX XCU 2.10 (lists, and-or lists, pipelines, compound commands).

export type WordPart =
  | { kind: 'lit'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean; op?: ':-' | '-' | ':=' | ':+' | '#len'; arg?: Word }
  | { kind: 'subst'; script: string; quoted: boolean }
  | { kind: 'arith'; expr: string; quoted: boolean };

export interface Word {
  parts: WordPart[];
}

export interface Redirect {
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<&' | '&>';
  target: Word;
}

export type Command =
  | { kind: 'simple'; assigns: { name: string; value: Word }[]; words: Word[]; redirects: Redirect[] }
  | { kind: 'for'; name: string; items: Word[] | undefined; body: List; redirects: Redirect[] }
  | { kind: 'while'; until: boolean; cond: List; body: List; redirects: Redirect[] }
  | { kind: 'if'; branches: { cond: List; body: List }[]; otherwise: List | undefined; redirects: Redirect[] }
  | { kind: 'group'; body: List; subshell: boolean; redirects: Redirect[] };

export interface Pipeline {
  negate: boolean;
  commands: Command[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
  background: boolean;
}

export interface List {
  items: AndOr[];
}

/** Why parsing failed; each shell words it its own way (see messages.ts). */
export type SyntaxProblem =
  | { kind: 'eof'; expecting?: string }
  | { kind: 'unexpected'; token: string }
  | { kind: 'unterminated'; what: 'quoted string' | 'command substitution' | 'parameter' };

export class ShellSyntaxError extends Error {
  constructor(readonly problem: SyntaxProblem, readonly line: number) {
    super(`syntax error: ${JSON.stringify(problem)}`);
    this.name = 'ShellSyntaxError';
  }
}
