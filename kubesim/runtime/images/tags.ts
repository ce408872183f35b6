// The tags the embedded registry knows for each image: the published ones a lesson
// reader would use (version lines as on Docker Hub, their variants) plus `latest`.
// A tag outside them is "not found", as a registry answers `nginx:1.161`.
// Ranges are deliberately coarse: every real tag in a line passes, a typo does not.

/** `major.minor[.patch]` within the published ranges, then an optional known variant. */
function versions(lines: Record<number, [number, number]>, maxPatch: number, variants: string[], prefix = ''): (tag: string) => boolean {
  const re = new RegExp(`^${prefix}(\\d+)(?:\\.(\\d+)(?:\\.(\\d+))?)?(?:-(${variants.map((v) => v.replace(/\./g, '\\.')).join('|') || '(?!)'}))?$`);
  return (tag) => {
    const m = re.exec(tag);
    if (!m) return false;
    const range = lines[Number(m[1])];
    if (!range) return false;
    if (m[2] !== undefined && (Number(m[2]) < range[0] || Number(m[2]) > range[1])) return false;
    return m[3] === undefined || Number(m[3]) <= maxPatch;
  };
}

const either = (...tests: ((tag: string) => boolean)[]) => (tag: string) => tests.some((t) => t(tag));
const named = (...names: string[]) => (tag: string) => names.includes(tag);
const withVariants = (bases: string[], variants: string[]) => named(...bases, ...bases.flatMap((b) => variants.map((v) => `${b}-${v}`)), ...variants);

const NGINX_VARIANTS = ['alpine', 'alpine-slim', 'alpine-perl', 'alpine-otel', 'perl', 'otel', 'bookworm', 'bookworm-perl', 'bookworm-otel', 'bullseye', 'bullseye-perl', 'trixie'];
const nginx = either(withVariants(['latest', 'stable', 'mainline'], NGINX_VARIANTS), versions({ 1: [0, 29] }, 20, NGINX_VARIANTS));

const BUSYBOX_VARIANTS = ['musl', 'glibc', 'uclibc'];
const busybox = either(withVariants(['latest', 'stable', 'unstable'], BUSYBOX_VARIANTS), versions({ 1: [21, 37] }, 6, BUSYBOX_VARIANTS));

const PG_VARIANTS = ['alpine', 'bookworm', 'bullseye', 'trixie', 'alpine3.18', 'alpine3.19', 'alpine3.20', 'alpine3.21', 'alpine3.22'];
const postgres = either(withVariants(['latest'], PG_VARIANTS), versions({ 9: [0, 6], 10: [0, 23], 11: [0, 22], 12: [0, 22], 13: [0, 22], 14: [0, 19], 15: [0, 14], 16: [0, 10], 17: [0, 6], 18: [0, 1] }, 25, PG_VARIANTS));

const REDIS_VARIANTS = ['alpine', 'bookworm'];
const redis = either(withVariants(['latest'], REDIS_VARIANTS), versions({ 5: [0, 0], 6: [0, 2], 7: [0, 4], 8: [0, 2] }, 20, REDIS_VARIANTS));

const MYSQL_VARIANTS = ['debian', 'oracle', 'oraclelinux8', 'oraclelinux9'];
const mysql = either(named('latest', 'lts', 'innovation', 'oracle', 'debian', 'lts-oracle', 'innovation-oracle'), versions({ 5: [5, 7], 8: [0, 4], 9: [0, 5] }, 45, MYSQL_VARIANTS));

const alpine = either(named('latest', 'edge'), versions({ 3: [0, 22] }, 6, []));

const HTTPD_VARIANTS = ['alpine', 'bookworm', 'trixie', 'alpine3.21', 'alpine3.22'];
const httpd = either(withVariants(['latest'], HTTPD_VARIANTS), versions({ 2: [2, 4] }, 65, HTTPD_VARIANTS));

// Ubuntu's LTS and interim releases by number and code name; Debian's by number, point
// release, code name and -slim.
const ubuntu = named('latest', 'rolling', 'devel', '18.04', '20.04', '22.04', '24.04', '24.10', '25.04', '25.10', 'bionic', 'focal', 'jammy', 'noble', 'oracular', 'plucky', 'questing');
const DEBIAN_NAMES = ['latest', 'stable', 'oldstable', 'testing', 'unstable', 'sid', 'buster', 'bullseye', 'bookworm', 'trixie'];
const debian = either(withVariants(DEBIAN_NAMES, ['slim']), versions({ 10: [0, 13], 11: [0, 11], 12: [0, 12], 13: [0, 2] }, 0, ['slim']));

const httpEcho = named('latest', 'alpine', '1.0', '1.0.0', '0.2.3', '0.2.1', '0.2.0');
const nodeExporter = either(named('latest', 'master', 'main'), versions({ 0: [15, 18], 1: [0, 10] }, 5, [], 'v'));
// nicolaka/netshoot publishes v0.1 … v0.14 and latest.
const netshoot = either(named('latest'), versions({ 0: [1, 14] }, 0, [], 'v'));
const curl = either(named('latest'), versions({ 7: [70, 88], 8: [0, 17] }, 5, []));

/** Tag tests by repository; repositories not listed (system images) accept any tag. */
export const KNOWN_TAGS: Record<string, (tag: string) => boolean> = {
  nginx,
  'nginxinc/nginx-unprivileged': nginx,
  busybox,
  alpine,
  httpd,
  ubuntu,
  debian,
  postgres,
  redis,
  mysql,
  'hashicorp/http-echo': httpEcho,
  'prom/node-exporter': nodeExporter,
  'quay.io/prometheus/node-exporter': nodeExporter,
  'curlimages/curl': curl,
  'kubelab/workspace': named('latest', '0.1.0'),
  'nicolaka/netshoot': netshoot,
};

export function tagExists(repo: string, tag: string): boolean {
  const test = KNOWN_TAGS[repo];
  return test === undefined || test(tag);
}
