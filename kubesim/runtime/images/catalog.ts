// The images the simulated cluster can pull, by repository (any tag).
// ENTRYPOINT/CMD/ENV as in each image's Dockerfile.

import { dig } from '../commands/bind/dig.ts';
import { host } from '../commands/bind/host.ts';
import { nslookupBind } from '../commands/bind/nslookup.ts';
import { curlProgram } from '../commands/curl.ts';
import { coreutils } from '../commands/coreutils.ts';
import { getent } from '../commands/getent.ts';
import { kubectlProgram } from '../commands/kubectl.ts';
import { nc } from '../commands/nc.ts';
import { nslookup } from '../commands/nslookup.ts';
import { wget } from '../commands/wget.ts';
import { shellProgram } from '../shell/interp.ts';
import { httpEchoProgram } from './httpecho.ts';
import { httpdProgram } from './httpd.ts';
import { entrypointFor, nginxProgram } from './nginx.ts';
import { nodeExporterProgram } from './nodeexporter.ts';
import { corednsProgram, curlEntrypoint, mysqlEntrypoint, pauseProgram, redisEntrypoint } from './others.ts';
import { pgIsReady, postgresEntrypoint } from './postgres.ts';
import { parseImageRef } from './ref.ts';
import { tagExists } from './tags.ts';
import type { ImageDef, Program } from './types.ts';

const PATH_DEBIAN = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const PATH_BUSYBOX = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Debian userland: dash as sh, bash, GNU coreutils, getent; no nslookup/wget/nc/ping. */
function debian(extra: Record<string, Program>): Record<string, Program> {
  return { ...coreutils('gnu'), sh: shellProgram('dash'), dash: shellProgram('dash'), bash: shellProgram('bash'), getent, ...extra };
}

/** busybox applets (ash as sh) — busybox, the prometheus busybox base, alpine. */
function busybox(extra: Record<string, Program> = {}): Record<string, Program> {
  return { ...coreutils('busybox'), sh: shellProgram('ash'), ash: shellProgram('ash'), nslookup, wget, nc, ...extra };
}

function build(): ImageDef[] {
  const nginxProgs: Record<string, Program> = debian({ nginx: nginxProgram, 'nginx-debug': nginxProgram, curl: curlProgram('7.88.1') });
  nginxProgs['docker-entrypoint.sh'] = entrypointFor(nginxProgs);
  const postgresProgs = debian({ pg_isready: pgIsReady, postgres: postgresEntrypoint });
  postgresProgs['docker-entrypoint.sh'] = postgresEntrypoint;
  postgresProgs['postgres'] = function* (argv, ctx) { return yield* postgresEntrypoint(['docker-entrypoint.sh', ...argv], ctx); };
  const redisProgs = debian({ 'redis-server': (argv, ctx) => redisEntrypoint(['docker-entrypoint.sh', ...argv], ctx) });
  redisProgs['docker-entrypoint.sh'] = redisEntrypoint;
  const mysqlProgs: Record<string, Program> = { ...coreutils('gnu'), sh: shellProgram('bash'), bash: shellProgram('bash'), getent, mysqld: (argv, ctx) => mysqlEntrypoint(['docker-entrypoint.sh', ...argv], ctx) };
  mysqlProgs['docker-entrypoint.sh'] = mysqlEntrypoint;
  return [
    { repos: ['nginx', 'nginxinc/nginx-unprivileged'], entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'], shell: 'dash',
      env: [['PATH', PATH_DEBIAN], ['NGINX_VERSION', '1.28.0'], ['NJS_VERSION', '0.8.10'], ['NJS_RELEASE', '1~bookworm'], ['PKG_RELEASE', '1~bookworm'], ['DYNPKG_RELEASE', '1~bookworm']],
      programs: nginxProgs },
    { repos: ['hashicorp/http-echo'], entrypoint: ['/http-echo'], cmd: [], env: [['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']],
      programs: { 'http-echo': httpEchoProgram } },
    { repos: ['postgres'], entrypoint: ['docker-entrypoint.sh'], cmd: ['postgres'], shell: 'dash',
      env: [['PATH', `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/postgresql/17/bin`], ['GOSU_VERSION', '1.17'], ['LANG', 'en_US.utf8'], ['PG_MAJOR', '17'], ['PGDATA', '/var/lib/postgresql/data']],
      programs: postgresProgs },
    { repos: ['prom/node-exporter', 'quay.io/prometheus/node-exporter'], entrypoint: ['/bin/node_exporter'], cmd: [], shell: 'ash',
      env: [['PATH', PATH_BUSYBOX]], programs: busybox({ node_exporter: nodeExporterProgram }) },
    { repos: ['busybox'], entrypoint: [], cmd: ['sh'], shell: 'ash', env: [['PATH', PATH_BUSYBOX]], programs: busybox() },
    // Alpine's userland is busybox too (ash, wget, nslookup, nc); docker-library/alpine: CMD ["/bin/sh"].
    { repos: ['alpine'], entrypoint: [], cmd: ['/bin/sh'], shell: 'ash', env: [['PATH', PATH_BUSYBOX]], programs: busybox() },
    // The plain distributions: a shell and coreutils, no curl, wget or nslookup (as the
    // real images: `apt-get install` is the learner's next step, which has no network here).
    { repos: ['ubuntu'], entrypoint: [], cmd: ['/bin/bash'], shell: 'bash', env: [['PATH', PATH_DEBIAN]], programs: debian({}) },
    { repos: ['debian'], entrypoint: [], cmd: ['bash'], shell: 'bash', env: [['PATH', PATH_DEBIAN]], programs: debian({}) },
    // docker-library/httpd 2.4 (Debian): CMD ["httpd-foreground"], no curl or wget.
    { repos: ['httpd'], entrypoint: [], cmd: ['httpd-foreground'], shell: 'dash',
      env: [['PATH', `/usr/local/apache2/bin:${PATH_DEBIAN}`], ['HTTPD_PREFIX', '/usr/local/apache2'], ['HTTPD_VERSION', '2.4.65']],
      programs: debian({ 'httpd-foreground': httpdProgram, httpd: httpdProgram }) },
    { repos: ['curlimages/curl'], entrypoint: ['/entrypoint.sh'], cmd: ['curl'], shell: 'ash',
      env: [['PATH', PATH_BUSYBOX], ['CURL_CA_BUNDLE', '/cacert.pem']],
      programs: busybox({ curl: curlProgram('8.13.0'), 'entrypoint.sh': curlEntrypoint }) },
    // kubelab's workspace (deploy/workspace/Dockerfile): alpine with bash, curl,
    // bind-tools and kubectl, where the portal's terminal runs. Its kubectl is the real one, with the
    // Pod's ServiceAccount token, as kubectl in a real Pod uses its in-cluster config.
    { repos: ['kubelab/workspace'], entrypoint: [], cmd: ['sleep', 'infinity'], shell: 'ash',
      env: [['PATH', PATH_BUSYBOX]],
      programs: busybox({ bash: shellProgram('bash'), curl: curlProgram('8.14.1'), dig, nslookup: nslookupBind, host, kubectl: kubectlProgram }) },
    // nicolaka/netshoot: Alpine (busybox sh) with bash, zsh (its CMD), curl and bind-tools —
    // so nslookup here is BIND's, not busybox's. zsh runs as the bash interpreter: the
    // one-liners learners type behave alike in both.
    { repos: ['nicolaka/netshoot'], entrypoint: [], cmd: ['zsh'], shell: 'ash', env: [['PATH', PATH_BUSYBOX]],
      programs: busybox({ bash: shellProgram('bash'), zsh: shellProgram('bash'), curl: curlProgram('8.14.1'), dig, nslookup: nslookupBind, host, getent }) },
    { repos: ['redis'], entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'], shell: 'dash', env: [['PATH', PATH_DEBIAN], ['REDIS_VERSION', '7.4.2']], programs: redisProgs },
    { repos: ['mysql'], entrypoint: ['docker-entrypoint.sh'], cmd: ['mysqld'], shell: 'bash', env: [['PATH', PATH_DEBIAN], ['MYSQL_MAJOR', '8.4'], ['MYSQL_VERSION', '8.4.5-1.el9']], programs: mysqlProgs },
    { repos: ['registry.k8s.io/coredns/coredns', 'coredns/coredns', 'k8s.gcr.io/coredns/coredns'], entrypoint: ['/coredns'], cmd: [], env: [['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']],
      programs: { coredns: corednsProgram } },
    { repos: ['registry.k8s.io/pause', 'k8s.gcr.io/pause'], entrypoint: ['/pause'], cmd: [], env: [['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']],
      programs: { pause: pauseProgram } },
  ];
}

const IMAGES = build();

/** The image a reference pulls: a known repository with a tag its registry publishes. */
export function imageFor(ref: string): ImageDef | undefined {
  const { repo, tag } = parseImageRef(ref);
  if (!tagExists(repo, tag)) return undefined;
  return IMAGES.find((i) => i.repos.includes(repo));
}

/** The images a learner can run here, as they would write them (the cluster's own coredns and pause left out). */
export const SIMULATED_IMAGES: readonly string[] = IMAGES.map((i) => i.repos[0] ?? '')
  .filter((repo) => repo !== '' && !repo.startsWith('registry.k8s.io/'))
  .sort();

// Real images from lessons and blog posts that a registry would serve but kubesim does not
// model: for them "pull access denied, repository does not exist" would mislead the learner.
const PUBLISHED_ELSEWHERE = new Set([
  'ubuntu', 'debian', 'centos', 'fedora', 'caddy', 'traefik', 'haproxy', 'python', 'node', 'golang', 'ruby', 'openjdk',
  'mongo', 'mariadb', 'memcached', 'rabbitmq', 'praqma/network-multitool', 'wbitt/network-multitool', 'tutum/dnsutils',
  'infoblox/dnstools', 'jmalloc/echo-server', 'ealen/echo-server', 'kennethreitz/httpbin', 'mccutchen/go-httpbin', 'traefik/whoami',
  'containous/whoami', 'nginxdemos/hello', 'paulbouwer/hello-kubernetes', 'gcr.io/google-samples/hello-app', 'registry.k8s.io/echoserver',
  'registry.k8s.io/e2e-test-images/agnhost', 'registry.k8s.io/e2e-test-images/jessie-dnsutils', 'k8s.gcr.io/echoserver',
]);

/** Why a pull of an image `imageFor` refused fails: containerd's gRPC code and its resolver's words. */
export function pullFailure(ref: string, normalized: string): { code: 'NotFound' | 'Unknown'; why: string } {
  const { repo } = parseImageRef(ref);
  // A known image with a wrong tag fails as the registry answers it, nothing added.
  if (IMAGES.some((i) => i.repos.includes(repo))) return { code: 'NotFound', why: `${normalized}: not found` };
  const runs = `it runs: ${SIMULATED_IMAGES.join(', ')}`;
  if (PUBLISHED_ELSEWHERE.has(repo)) return { code: 'NotFound', why: `${normalized}: not found: this image is not available on the embedded cluster; ${runs}` };
  // containerd reports Docker Hub's 401 for a missing repository as pull access denied.
  return {
    code: 'Unknown',
    why: `pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed (the embedded cluster has no such image; ${runs})`,
  };
}

/** Whether the registry has the repository at all (a wrong tag vs. a wrong name). */
export function repositoryExists(ref: string): boolean {
  const { repo } = parseImageRef(ref);
  return IMAGES.some((i) => i.repos.includes(repo));
}
