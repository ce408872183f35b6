// The portal's HTML templating (escaping by default), the instructions' heading fix-up,
// and the two guards every sign-in form relies on: safeNext and fromOwnPage.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarkdownRenderer } from '../../server/http/markdown.ts';
import { escapeHtml, Html, html, trusted, type Interpolation } from './html.ts';
import { pageInstructions } from './pages/exercise.ts';
import { fromOwnPage, safeNext } from './session.ts';

describe('html``', () => {
  it.each([
    ['<', '&lt;'],
    ['>', '&gt;'],
    ['&', '&amp;'],
    ['"', '&quot;'],
    ["'", '&#39;'],
    ['<script>alert("x")</script>', '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'],
    ['&lt;', '&amp;lt;'],
    ['" onmouseover="alert(1)', '&quot; onmouseover=&quot;alert(1)'],
    ["' autofocus onfocus='x", '&#39; autofocus onfocus=&#39;x'],
    ['plain text, ünïcödé ⎈', 'plain text, ünïcödé ⎈'],
  ])('escapes the string %j', (value, expected) => {
    expect(html`<p>${value}</p>`.value).toBe(`<p>${expected}</p>`);
    expect(html`<input value="${value}">`.value).toBe(`<input value="${expected}">`);
    expect(escapeHtml(value)).toBe(expected);
  });

  it.each([
    ['a number', 42, '42'],
    ['zero', 0, '0'],
    ['NaN', Number.NaN, 'NaN'],
    ['true', true, 'true'],
    ['an empty string', '', ''],
  ] as const)('renders %s as its text', (_name, value, expected) => {
    expect(html`[${value}]`.value).toBe(`[${expected}]`);
  });

  it.each([
    ['false', false],
    ['null', null],
    ['undefined', undefined],
    ['an empty array', []],
  ] as const)('renders %s as nothing', (_name, value) => {
    expect(html`[${value}]`.value).toBe('[]');
  });

  it('`cond && html` reads naturally for both outcomes', () => {
    const show = (on: boolean) => html`<div>${on && html`<b>on</b>`}</div>`.value;
    expect(show(true)).toBe('<div><b>on</b></div>');
    expect(show(false)).toBe('<div></div>');
  });

  it('arrays are joined without separators, each item escaped, nested arrays too', () => {
    const items = ['a<b', 'c&d'];
    expect(html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`.value).toBe('<ul><li>a&lt;b</li><li>c&amp;d</li></ul>');
    const nested: Interpolation = ['<', ['>', [html`<br>`, null, false, 0]]];
    expect(html`${nested}`.value).toBe('&lt;&gt;<br>0');
  });

  it('an Html fragment is inserted as is, once: no double escaping', () => {
    const inner = html`<em>${'<x>'}</em>`;
    expect(inner).toBeInstanceOf(Html);
    expect(html`<p>${inner}</p>`.value).toBe('<p><em>&lt;x&gt;</em></p>');
    expect(html`${html`${html`${'&'}`}`}`.value).toBe('&amp;');
  });

  it('trusted() markup goes in verbatim; a string that merely looks like markup does not', () => {
    expect(html`<div>${trusted('<h2>Hi</h2>')}</div>`.value).toBe('<div><h2>Hi</h2></div>');
    expect(html`<div>${'<h2>Hi</h2>'}</div>`.value).toBe('<div>&lt;h2&gt;Hi&lt;/h2&gt;</div>');
    // An object shaped like Html is not Html.
    const forged = { value: '<script>x</script>' } as unknown as Interpolation;
    expect(html`${forged}`.value).toBe('[object Object]');
  });

  it('String(html) and template literals give the markup', () => {
    const fragment = html`<b>${'&'}</b>`;
    expect(String(fragment)).toBe('<b>&amp;</b>');
    expect(`${fragment}`).toBe('<b>&amp;</b>');
  });

  it('a template without interpolations, or with one at either end', () => {
    expect(html`<hr>`.value).toBe('<hr>');
    expect(html`${'<'}mid${'>'}`.value).toBe('&lt;mid&gt;');
  });
});

describe('pageInstructions', () => {
  const render = createMarkdownRenderer();

  it.each([
    ['drops the leading title', '# Title\n\nSome text.\n', '<p>Some text.</p>\n'],
    ['drops it after leading blank lines', '\n\n# Title\n\nText\n', '<p>Text</p>\n'],
    ['turns a later level-1 heading into level 2', '# Title\n\nIntro\n\n# Part two\n\nMore\n', '<p>Intro</p>\n<h2>Part two</h2>\n<p>More</p>\n'],
    ['keeps the first heading when it is not level 1', '## Setup\n\n# Later\n', '<h2>Setup</h2>\n<h2>Later</h2>\n'],
    ['keeps text before a level-1 heading', 'Intro\n\n# Title\n', '<p>Intro</p>\n<h2>Title</h2>\n'],
    ['leaves other levels alone', '# T\n\n### Three\n\n## Two\n', '<h3>Three</h3>\n<h2>Two</h2>\n'],
    ['leaves an escaped <h1> in a code block alone', '# T\n\n```html\n<h1>x</h1>\n```\n', '<pre><code class="language-html">&lt;h1&gt;x&lt;/h1&gt;\n</code></pre>\n'],
    ['handles inline markup in the title', '# The `kubectl` *way*\n\nText\n', '<p>Text</p>\n'],
    ['empty instructions', '', ''],
  ])('%s', (_name, markdown, expected) => {
    expect(pageInstructions(render(markdown))).toBe(expected);
  });

  it('the result never holds an <h1>', () => {
    const out = pageInstructions(render('# A\n\n# B\n\ntext\n\n# C\n'));
    expect(out).not.toMatch(/<\/?h1>/);
    expect(out.match(/<h2>/g)).toHaveLength(2);
  });
});

describe('safeNext', () => {
  it.each([
    ['/', '/'],
    ['/exercises/clusterip-basics', '/exercises/clusterip-basics'],
    ['/attempts/12?tab=checks#c3', '/attempts/12?tab=checks#c3'],
    ['/a/b/../c', '/a/b/../c'],
    ['/..//evil.example', '/..//evil.example'],
    [`/${'a'.repeat(500)}`, `/${'a'.repeat(500)}`],
  ])('keeps the path %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
    ['protocol-relative', '//evil.example'],
    ['protocol-relative with a path', '//evil.example/x'],
    ['backslash (browsers read it as a slash)', '/\\evil.example'],
    ['backslash first', '\\\\evil.example'],
    ['absolute https', 'https://evil.example/'],
    ['absolute http of anywhere', 'http://127.0.0.1:8080/'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['relative', 'exercises/x'],
    ['a space', '/a b'],
    ['a tab after the slash', '/\t/evil.example'],
    ['a newline (header injection)', '/x\r\nSet-Cookie: a=b'],
    ['non-ASCII', '/ünï'],
    ['too long', `/${'a'.repeat(501)}`],
  ])('refuses %s → /', (_name, next) => {
    expect(safeNext(next)).toBe('/');
  });
});

describe('fromOwnPage', () => {
  const PUBLIC = 'https://lab.example.org';
  let app: FastifyInstance;
  beforeAll(async () => {
    // A real request object: the guard reads headers as Fastify parses them.
    app = Fastify();
    app.post('/form', async (request) => ({ own: fromOwnPage(request, PUBLIC) }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  const own = async (headers: Record<string, string>) =>
    (await app.inject({ method: 'POST', url: '/form', headers: { host: 'lab.internal:8080', ...headers } })).json<{ own: boolean }>().own;

  it.each([
    ['no Sec-Fetch-Site and no Origin (old browser, curl)', {}],
    ['Sec-Fetch-Site: same-origin', { 'sec-fetch-site': 'same-origin' }],
    ['Sec-Fetch-Site: none (typed, bookmarked)', { 'sec-fetch-site': 'none' }],
    ['the public origin', { origin: PUBLIC }],
    ['the Host over http', { origin: 'http://lab.internal:8080' }],
    ['the Host over https', { origin: 'https://lab.internal:8080' }],
    ['Origin: null (a no-referrer page posting)', { origin: 'null', 'sec-fetch-site': 'same-origin' }],
    ['same-origin with the public origin', { origin: PUBLIC, 'sec-fetch-site': 'same-origin' }],
  ])('accepts %s', async (_name, headers) => {
    expect(await own(headers)).toBe(true);
  });

  it.each([
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
    ['an unknown Sec-Fetch-Site value', { 'sec-fetch-site': 'bogus' }],
    ['cross-site even with our Origin', { 'sec-fetch-site': 'cross-site', origin: PUBLIC }],
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['the public host over http', { origin: 'http://lab.example.org' }],
    ['the public origin with another port', { origin: 'https://lab.example.org:8443' }],
    ['a longer host that starts with ours', { origin: 'https://lab.example.org.evil.example' }],
    ['the Host with another port', { origin: 'http://lab.internal:9090' }],
    ['an Origin with a trailing slash', { origin: `${PUBLIC}/` }],
    ['same-origin but a foreign Origin', { 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' }],
  ])('refuses %s', async (_name, headers) => {
    expect(await own(headers)).toBe(false);
  });
});
