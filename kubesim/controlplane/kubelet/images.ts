// Image references as containerd reports them in containerStatuses: short names are
// normalized to docker.io/library/..., and imageID is a repo digest. Digests here are
// derived from the name (stable, not real registry digests).

export function normalizeImage(image: string): string {
  const [first, ...rest] = image.split('/');
  const ref = rest.length === 0 ? `docker.io/library/${image}` : first && (first.includes('.') || first.includes(':') || first === 'localhost') ? image : `docker.io/${image}`;
  const last = ref.split('/').pop() ?? '';
  return last.includes(':') || last.includes('@') ? ref : `${ref}:latest`;
}

export function hexOf(text: string, length: number): string {
  let out = '';
  let h = 0x811c9dc5;
  let i = 0;
  while (out.length < length) {
    for (const ch of `${text}#${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
    i++;
  }
  return out.slice(0, length);
}

export function imageID(image: string): string {
  const ref = normalizeImage(image);
  const repo = ref.replace(/[:@][^/]*$/, '');
  return `${repo}@sha256:${hexOf(ref, 64)}`;
}
