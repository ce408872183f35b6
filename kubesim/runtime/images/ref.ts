// Image references: "nginx:1.28", "docker.io/library/nginx@sha256:…",
// "registry.k8s.io/coredns/coredns:v1.11.3" → repository and tag.
// Source: github.com/distribution/reference normalize.go (docker.io/library defaults).

export function parseImageRef(ref: string): { repo: string; tag: string } {
  let rest = ref.trim();
  const at = rest.indexOf('@');
  if (at >= 0) rest = rest.slice(0, at);
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag = 'latest';
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  rest = rest.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
  return { repo: rest.toLowerCase(), tag };
}

/** "1.28" → "1.28.0"; a full version stays; anything else → fallback. */
export function versionFromTag(tag: string, fallback: string): string {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag);
  if (!m) return fallback;
  return `${m[1]}.${m[2]}.${m[3] ?? '0'}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');

/** nginx $time_local in UTC: 01/Jan/2026:00:00:00 +0000 */
export function nginxTimeLocal(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/** Go's log package / nginx error log: 2026/01/01 00:00:00 */
export function slashTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}
