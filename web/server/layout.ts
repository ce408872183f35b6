// The frame every portal page shares: head with the hashed assets, the top bar with who
// is signed in and a sign-out form, a skip link, and the page's own main content.
import type { Assets, Entry } from './assets.ts';
import { html, type Html } from './html.ts';
import type { SignedIn } from './session.ts';

export interface PageOptions {
  readonly title: string;
  readonly assets: Assets;
  readonly who?: SignedIn | undefined;
  readonly body: Html;
  /** The page's browser island; every island includes `common` (copy buttons). */
  readonly scripts?: readonly Entry[];
}

export function page(o: PageOptions): Html {
  const scripts: readonly Entry[] = o.scripts ?? ['common'];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · kubelab</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${o.assets.url('style')}">
${o.who && html`<meta name="csrf-token" content="${o.who.csrfToken}">`}
${scripts.map((s) => html`<script type="module" src="${o.assets.url(s)}"></script>`)}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="topbar">
  <a class="brand" href="/"><span aria-hidden="true">⎈</span> kubelab</a>
  ${o.who && html`<nav aria-label="Account" class="account">
    ${o.who.user.role !== 'learner' && html`<a href="/instructor" class="nav-link">Classes</a>`}
    <span class="who">Signed in as <strong>${o.who.user.displayName}</strong></span>
    <form method="post" action="/signout">
      <input type="hidden" name="_csrf" value="${o.who.csrfToken}">
      <button type="submit" class="button subtle">Sign out</button>
    </form>
  </nav>`}
</header>
<main id="main" tabindex="-1">
${o.body}
</main>
</body>
</html>`;
}

/** A plain message page: not found, link expired, and the like. */
export function messagePage(o: { title: string; message: string; assets: Assets; who?: SignedIn | undefined; link?: { href: string; text: string } }): Html {
  return page({
    title: o.title,
    assets: o.assets,
    who: o.who,
    body: html`<section class="narrow card">
      <h1>${o.title}</h1>
      <p>${o.message}</p>
      ${o.link && html`<p><a href="${o.link.href}">${o.link.text}</a></p>`}
    </section>`,
  });
}
