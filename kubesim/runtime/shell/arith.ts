// $(( )) arithmetic: integers, variables, + - * / % comparisons && || ! and parentheses
// (POSIX XCU 2.6.4; C precedence).

const BINARY: Record<string, [number, (a: number, b: number) => number]> = {
  '||': [1, (a, b) => +(a !== 0 || b !== 0)], '&&': [2, (a, b) => +(a !== 0 && b !== 0)],
  '==': [3, (a, b) => +(a === b)], '!=': [3, (a, b) => +(a !== b)],
  '<': [4, (a, b) => +(a < b)], '>': [4, (a, b) => +(a > b)], '<=': [4, (a, b) => +(a <= b)], '>=': [4, (a, b) => +(a >= b)],
  '+': [5, (a, b) => a + b], '-': [5, (a, b) => a - b],
  '*': [6, (a, b) => a * b], '/': [6, (a, b) => { if (b === 0) throw new Error('division by zero'); return Math.trunc(a / b); }],
  '%': [6, (a, b) => { if (b === 0) throw new Error('division by zero'); return a % b; }],
};

export function evalArith(expr: string, lookup: (name: string) => string | undefined): number {
  const tokens = expr.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|\$[A-Za-z_][A-Za-z0-9_]*|\|\||&&|==|!=|<=|>=|[-+*/%()<>!]/g) ?? [];
  let i = 0;
  const value = (name: string): number => {
    const v = lookup(name.replace(/^\$/, ''));
    const n = Number(v ?? 0);
    if (!Number.isFinite(n)) throw new Error(`${v}: bad number`);
    return Math.trunc(n);
  };
  const primary = (): number => {
    const t = tokens[i++];
    if (t === undefined) throw new Error('syntax error');
    if (t === '(') {
      const v = binary(0);
      if (tokens[i++] !== ')') throw new Error('missing )');
      return v;
    }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '!') return +(primary() === 0);
    if (/^\d+$/.test(t)) return Number(t);
    if (/^\$?[A-Za-z_]/.test(t)) return value(t);
    throw new Error(`syntax error: "${t}"`);
  };
  const binary = (minPrec: number): number => {
    let left = primary();
    for (;;) {
      const op = tokens[i];
      const entry = op === undefined ? undefined : BINARY[op];
      if (!entry || entry[0] < minPrec) return left;
      i++;
      const right = binary(entry[0] + 1);
      left = entry[1](left, right);
    }
  };
  if (tokens.length === 0) return 0;
  const v = binary(0);
  if (i < tokens.length) throw new Error(`syntax error: "${tokens[i]}"`);
  return v;
}
