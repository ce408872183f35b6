import { describe, expect, it } from 'vitest';
import { bb, runPod, sh, world } from '../testing/fixtures.ts';
import { Parser } from './parser.ts';

describe('shell parser', () => {
  it.each([
    ['echo a b', 1],
    ['a; b && c || d', 2],
    ['for x in a b; do echo $x; done; echo end', 2],
    ['echo "$(seq 1 3)" | wc -l', 1],
    ['if true; then echo y; elif false; then echo n; else echo z; fi', 1],
    ['while false\ndo\n  echo x\ndone', 1],
  ])('%j parses into %i list items', (src, items) => {
    expect(Parser.parse(src).items).toHaveLength(items);
  });
});

const busybox = [
  ['quotes and escapes', `echo 'a  b' "c  d" e\\ f`, 'a  b c  d e f\n', '', 0],
  ['variables from the container env', 'echo $HOSTNAME ${HOME}', 'client /root\n', '', 0],
  ['$? and exit codes', 'false; echo $?; true; echo $?', '1\n0\n', '', 0],
  ['&& and ||', 'false && echo no || echo yes', 'yes\n', '', 0],
  ['pipelines', 'printf "b\\na\\nb\\n" | sort | uniq -c', '      1 a\n      2 b\n', '', 0],
  ['redirections', 'echo out; echo err >&2; echo hidden >/dev/null; echo both 2>&1', 'out\nboth\n', 'err\n', 0],
  ['2>/dev/null and 2>&1 order', 'nslookupx 2>/dev/null; echo $?; nslookupx 2>&1 | grep -c found', '127\n1\n', '', 0],
  ['for loops over command substitution', 'for i in $(seq 1 3); do echo "n=$i"; done', 'n=1\nn=2\nn=3\n', '', 0],
  ['while with arithmetic', 'i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i', '3\n', '', 0],
  ['if/elif/else', 'x=2; if [ "$x" = 1 ]; then echo one; elif [ "$x" = 2 ]; then echo two; else echo other; fi', 'two\n', '', 0],
  ['field splitting of unquoted expansions', 'x="a b  c"; for w in $x; do echo "[$w]"; done; echo "[$x]"', '[a]\n[b]\n[c]\n[a b  c]\n', '', 0],
  ['${VAR:-default} and assignment prefix', 'echo ${NOPE:-dflt}; FOO=bar env | grep ^FOO=', 'dflt\nFOO=bar\n', '', 0],
  ['exit status of the script', 'echo x; exit 7', 'x\n', '', 7],
  ['files written and read back', 'echo hi > /tmp/f; echo there >> /tmp/f; cat /tmp/f', 'hi\nthere\n', '', 0],
  ['subshells do not leak variables', 'x=1; (x=2; echo $x); echo $x', '2\n1\n', '', 0],
  ['ash: command not found', 'nope', '', 'sh: nope: not found\n', 127],
  ['ash: syntax error', 'for x in a; do echo $x', '', 'sh: syntax error: unexpected end of file (expecting "done")\n', 2],
  ['ash: unterminated quote', "echo 'a", '', 'sh: syntax error: unterminated quoted string\n', 2],
  ['ash: unexpected token', 'done', '', 'sh: syntax error: unexpected "done"\n', 2],
  ['read loop from a pipe', 'printf "x 1\\ny 2\\n" | while read k v; do echo "$v-$k"; done', '1-x\n2-y\n', '', 0],
  ['hostname and /etc/hosts', 'hostname; grep client /etc/hosts', 'client\n10.244.1.9\tclient\n', '', 0],
  ['ash has no /dev/tcp', 'echo > /dev/tcp/web/80 && echo open', '', "sh: can't create /dev/tcp/web/80: nonexistent directory\n", 1],
] as const;

describe('sh in busybox (ash)', () => {
  it.each(busybox)('%s', async (_why, script, stdout, stderr, code) => {
    const w = world();
    const p = runPod(w, 'client', { ip: '10.244.1.9', containers: [bb()] });
    const r = await sh(w, p, script);
    expect([r.stdout, r.stderr, r.exitCode]).toEqual([stdout, stderr, code]);
  });
});

describe('sh in nginx (dash) and bash', () => {
  it.each([
    ['sh', 'nslookup web', '', 'sh: 1: nslookup: not found\n', 127],
    ['sh', 'for x in a; do', '', 'sh: 1: Syntax error: end of file unexpected (expecting "done")\n', 2],
    ['sh', 'echo "a\\tb"', '', '', 0],
    ['bash', 'wget x', '', 'bash: line 1: wget: command not found\n', 127],
  ])('%s -c %j', async (shell, script, _stdout, stderr, code) => {
    const w = world();
    const p = runPod(w, 'web', { ip: '10.244.1.5', containers: [{ name: 'nginx', image: 'nginx:1.28' }] });
    const r = await w.rt.run(p, 'nginx', [shell, '-c', script]);
    expect([r.stderr, r.exitCode]).toEqual([stderr, code]);
  });

  it('dash echo interprets backslash escapes', async () => {
    const w = world();
    const p = runPod(w, 'web', { ip: '10.244.1.5', containers: [{ name: 'nginx', image: 'nginx:1.28' }] });
    expect((await w.rt.run(p, 'nginx', ['sh', '-c', 'echo "a\\tb"'])).stdout).toBe('a\tb\n');
  });

  it('sleep waits on the simulated clock', async () => {
    const w = world();
    const p = runPod(w, 'client', { ip: '10.244.1.9', containers: [bb()] });
    const before = w.clock.now();
    const r = await sh(w, p, 'sleep 2; echo done');
    expect([r.stdout, w.clock.now() - before]).toEqual(['done\n', 2000]);
  });
});
