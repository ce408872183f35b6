import { describe, expect, it } from 'vitest';
import { createMarkdownRenderer } from '../../server/http/markdown.ts';

const render = createMarkdownRenderer();

describe('instructions renderer', () => {
  it('escapes raw HTML instead of passing it through', () => {
    const html = render('Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<div onclick="x()">y</div>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<div');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('refuses javascript: and data: links, and does not linkify bare URLs', () => {
    expect(render('[x](javascript:alert(1))')).not.toContain('href="javascript:');
    expect(render('[x](data:text/html;base64,PHNjcmlwdD4=)')).not.toContain('href="data:');
    expect(render('see https://example.com now')).not.toContain('<a');
  });

  it('renders Markdown, and opens outside links safely', () => {
    expect(render('# Title\n\n`kubectl get svc`')).toBe('<h1>Title</h1>\n<p><code>kubectl get svc</code></p>\n');
    expect(render('[docs](https://kubernetes.io/docs/)')).toBe(
      '<p><a href="https://kubernetes.io/docs/" target="_blank" rel="noopener noreferrer">docs</a></p>\n',
    );
    expect(render('[next](#step-2)')).toBe('<p><a href="#step-2">next</a></p>\n');
  });
});
