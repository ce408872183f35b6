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

// distribution/reference grammar (regexp.go): lowercase path components joined by
// separators, an optional domain, tag and digest.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?';
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

/**
 * Why the kubelet cannot even name the image (InvalidImageName), or undefined.
 * Source: pkg/kubelet/images/image_manager.go applyDefaultImageTag;
 *         distribution/reference normalize.go ParseNormalizedNamed
 */
export function invalidImageName(image: string): string | undefined {
  const first = image.split('/')[0] ?? '';
  const hasDomain = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const remainder = hasDomain ? image.slice(first.length + 1) : image.includes('/') ? image : `library/${image}`;
  const remoteName = remainder.split(/[:@]/)[0] ?? '';
  let why: string | undefined;
  if (remoteName.toLowerCase() !== remoteName) why = `invalid reference format: repository name (${remoteName}) must be lowercase`;
  else if (!REFERENCE.test(image)) why = 'invalid reference format';
  return why && `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${why}`;
}
