// Exercise instructions are Markdown written by authors, rendered to HTML the portal
// inserts as-is. Raw HTML is escaped (html: false) and bare URLs are not turned into
// links (linkify: false); markdown-it's validateLink already refuses javascript:,
// vbscript:, file: and non-image data: URLs.
import MarkdownIt from 'markdown-it';

export type RenderMarkdown = (markdown: string) => string;

export function createMarkdownRenderer(): RenderMarkdown {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  // Links in instructions point away from the lab: open them elsewhere, and do not
  // hand the lab page to them (window.opener).
  const defaultLinkOpen =
    md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (token !== undefined && /^https?:/i.test(token.attrGet('href') ?? '')) {
      token.attrSet('target', '_blank');
      token.attrSet('rel', 'noopener noreferrer');
    }
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  return (markdown) => md.render(markdown);
}
