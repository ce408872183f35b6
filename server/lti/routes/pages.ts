// The HTML LTI shows: the hand-over page after a launch, the "open in a new window"
// offer when the LMS frame blocks our cookie, the exercise picker for deep linking, the
// auto-posting form back to the LMS, error pages naming the failed check, and the
// admin's page of URLs to paste into an LMS.
import type { Exercise } from '../../catalog/exercise.ts';
import type { Assets } from '../../../web/server/assets.ts';
import { html, type Html } from '../../../web/server/html.ts';
import { messagePage, page } from '../../../web/server/layout.ts';
import type { SignedIn } from '../../../web/server/session.ts';
import type { ToolKeyView } from '../keys.ts';
import type { Platform } from '../platforms.ts';
import type { ToolUrls } from '../service.ts';
import { exercisePoints } from '../deep-linking.ts';

export function launchErrorPage(assets: Assets, check: string, message: string): string {
  return page({
    title: 'This launch did not work',
    assets,
    body: html`<section class="narrow card">
      <h1>This launch did not work</h1>
      <p>kubelab could not accept the sign-in your course sent. What failed: <strong>${check}</strong>.</p>
      <p role="alert">${message}</p>
      <p>Open the activity again from your course. If it keeps failing, show this page to whoever set kubelab up in your course.</p>
    </section>`,
  }).value;
}

/** Moves on to /lti/continue at once, with no script (the CSP allows none inline). */
export function handOverPage(assets: Assets, continueUrl: string): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="0;url=${continueUrl}">
<title>Opening kubelab…</title>
<link rel="stylesheet" href="${assets.url('style')}">
</head>
<body><main id="main"><section class="narrow card"><h1>Opening kubelab…</h1>
<p><a href="${continueUrl}">Continue</a></p></section></main></body>
</html>`.value;
}

export function newWindowPage(assets: Assets, openUrl: string): string {
  return page({
    title: 'Open kubelab in a new window',
    assets,
    body: html`<section class="narrow card">
      <h1>Open kubelab in a new window</h1>
      <p>Your browser keeps sites inside the course page from remembering who you are (it blocks their cookies), so kubelab cannot sign you in here.</p>
      <p><a class="button primary" href="${openUrl}" target="_blank" rel="noopener">Open kubelab in a new window</a></p>
      <p class="muted">The link works once, for a few minutes.</p>
    </section>`,
  }).value;
}

export function ticketGonePage(assets: Assets, who: SignedIn | undefined): string {
  return messagePage({
    title: 'This link has expired',
    message: 'Links from a course launch work once, for a few minutes. Open the activity again from your course.',
    assets,
    who,
  }).value;
}

export function pickerPage(assets: Assets, who: SignedIn | undefined, requestId: string, exercises: readonly Exercise[], error?: string): string {
  return page({
    title: 'Add a kubelab exercise',
    assets,
    who,
    body: html`<section class="card">
      <h1>Add a kubelab exercise to your course</h1>
      <p>Pick one. Your course gets a graded activity worth the exercise’s points; learners’ best scores come back to its gradebook column.</p>
      ${error && html`<p class="field-error" role="alert">${error}</p>`}
      <form method="post" action="/lti/deep-link" class="stack">
        <input type="hidden" name="request" value="${requestId}">
        <fieldset><legend>Exercise</legend>
          ${exercises.map((e) => html`<label class="choice"><input type="radio" name="exercise" value="${e.id}" required>
            <strong>${e.title}</strong> <span class="muted">(${exercisePoints(e)} points, about ${e.minutes} minutes)</span><br>${e.summary}</label>`)}
        </fieldset>
        <button type="submit" class="button primary">Add to course</button>
      </form>
    </section>`,
  }).value;
}

/** Posts the signed response back to the LMS (the script is ours, from /lti/autopost.js). */
export function autoPostPage(assets: Assets, returnUrl: string, jwt: string): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Returning to your course…</title>
<link rel="stylesheet" href="${assets.url('style')}">
<script src="/lti/autopost.js" defer></script>
</head>
<body><main id="main"><section class="narrow card">
<h1>Returning to your course…</h1>
<form method="post" action="${returnUrl}" data-autopost>
<input type="hidden" name="JWT" value="${jwt}">
<button type="submit" class="button primary">Return to the course</button>
</form></section></main></body>
</html>`.value;
}

export const AUTOPOST_SCRIPT = "document.querySelector('form[data-autopost]')?.submit();\n";

export function adminPage(assets: Assets, who: SignedIn, urls: ToolUrls, platforms: readonly Platform[], keys: readonly ToolKeyView[]): string {
  const url = (label: string, value: string): Html => html`<h3>${label}</h3><pre><code>${value}</code></pre>`;
  return page({
    title: 'LTI 1.3',
    assets,
    who,
    body: html`<div class="wide-page">
      <h1>LTI 1.3: kubelab inside your LMS</h1>
      <p>Register kubelab in Canvas, Moodle or Open edX as an LTI 1.3 tool with these URLs, then register the LMS here
        (<code>kubelab lti register</code> or <code>POST /api/v1/lti/platforms</code>) with the issuer, client id, deployment id and URLs it shows you.</p>
      <section class="card">
        <h2>Tool URLs</h2>
        ${url('Login initiation (GET and POST)', urls.loginUrl)}
        ${url('Launch / redirect URL', urls.launchUrl)}
        ${url('Public JWKS URL', urls.jwksUrl)}
        ${url('Deep linking URL', urls.deepLinkingUrl)}
      </section>
      <section class="card">
        <h2>Registered platforms</h2>
        ${platforms.length === 0
          ? html`<p>None yet.</p>`
          : html`<div class="table-scroll"><table class="data" aria-label="Platforms">
              <thead><tr><th scope="col">Id</th><th scope="col">Name</th><th scope="col">Issuer</th><th scope="col">Client id</th><th scope="col">Deployments</th></tr></thead>
              <tbody>${platforms.map((p) => html`<tr><td>${p.id}</td><td>${p.name}</td><td>${p.issuer}</td><td>${p.clientId}</td><td>${p.deploymentIds.join(', ')}</td></tr>`)}</tbody>
            </table></div>`}
      </section>
      <section class="card">
        <h2>Signing keys</h2>
        <p>The newest signs; a rotated key stays published for a week. Rotate with <code>POST /api/v1/lti/keys/rotate</code>.</p>
        <ul>${keys.map((k) => html`<li><code>${k.kid}</code> — made ${new Date(k.createdAt).toISOString()}${k.retiredAt !== null && html`, retired ${new Date(k.retiredAt).toISOString()}`}</li>`)}</ul>
      </section>
    </div>`,
  }).value;
}
