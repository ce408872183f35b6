// The kubeconfig fast path (server/cluster/kubeconfig-yaml.ts) against the `yaml` package
// it stands in for: realistic kubeconfigs must take it and read the same, and thousands
// of seeded mutations of them must either be refused (undefined) or read exactly as
// `yaml` reads them, key order included.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { parseSimpleYaml } from '../../server/cluster/kubeconfig-yaml.ts';
import { learnerKubeconfig } from '../../server/environments/learner-kubeconfig.ts';
import { seededRng } from '../helpers/rng.ts';

const CA = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=';

// `kubectl config view --raw` (and kind, which writes through client-go): sequences at
// their key's indent, keys sorted.
const KIND = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${CA}
    server: https://127.0.0.1:39117
  name: kind-kind
contexts:
- context:
    cluster: kind-kind
    user: kind-kind
  name: kind-kind
current-context: kind-kind
kind: Config
preferences: {}
users:
- name: kind-kind
  user:
    client-certificate-data: ${CA}
    client-key-data: ${CA}
`;

// minikube: file paths and extensions with a date.
const MINIKUBE = `apiVersion: v1
clusters:
- cluster:
    certificate-authority: /home/learner/.minikube/ca.crt
    extensions:
    - extension:
        last-update: Wed, 02 Dec 2026 10:15:42 UTC
        provider: minikube.sigs.k8s.io
        version: v1.32.0
      name: cluster_info
    server: https://192.168.49.2:8443
  name: minikube
contexts:
- context:
    cluster: minikube
    extensions:
    - extension:
        last-update: Wed, 02 Dec 2026 10:15:42 UTC
        provider: minikube.sigs.k8s.io
        version: v1.32.0
      name: context_info
    namespace: default
    user: minikube
  name: minikube
current-context: minikube
kind: Config
preferences: {}
users:
- name: minikube
  user:
    client-certificate: /home/learner/.minikube/profiles/minikube/client.crt
    client-key: /home/learner/.minikube/profiles/minikube/client.key
`;

// `aws eks update-kubeconfig`: an exec plugin with flags, env: null, an ARN for names.
const EKS = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${CA}
    server: https://0123456789ABCDEF0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com
  name: arn:aws:eks:us-west-2:123456789012:cluster/demo
contexts:
- context:
    cluster: arn:aws:eks:us-west-2:123456789012:cluster/demo
    user: arn:aws:eks:us-west-2:123456789012:cluster/demo
  name: arn:aws:eks:us-west-2:123456789012:cluster/demo
current-context: arn:aws:eks:us-west-2:123456789012:cluster/demo
kind: Config
preferences: {}
users:
- name: arn:aws:eks:us-west-2:123456789012:cluster/demo
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - --region
      - us-west-2
      - eks
      - get-token
      - --cluster-name
      - demo
      - --output
      - json
      command: aws
      env: null
      interactiveMode: IfAvailable
      provideClusterInfo: false
`;

// gcloud: the GKE auth plugin. gcloud folds the install hint onto a second line (see
// GKE_FOLDED below); here it is on one, as a hand edit or another writer leaves it.
const GKE = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${CA}
    server: https://34.118.10.20
  name: gke_my-project_us-central1-a_training
contexts:
- context:
    cluster: gke_my-project_us-central1-a_training
    user: gke_my-project_us-central1-a_training
  name: gke_my-project_us-central1-a_training
current-context: gke_my-project_us-central1-a_training
kind: Config
preferences: {}
users:
- name: gke_my-project_us-central1-a_training
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: gke-gcloud-auth-plugin
      installHint: Install gke-gcloud-auth-plugin for use with kubectl by following https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin
      provideClusterInfo: true
`;

const GKE_FOLDED = GKE.replace(' by following https://', ' by following\n        https://');

// Hand-written: indented sequences, several of each, comments, quoted scalars, tokens.
const HAND_WRITTEN = `# two clusters, three users
apiVersion: v1
kind: Config
clusters:
  - name: lab
    cluster:
      server: https://lab.example.org:6443
      insecure-skip-tls-verify: true

  - name: 'staging'
    cluster:
      server: "https://10.0.0.7:6443"
      certificate-authority: ../certs/ca.pem
      tls-server-name: kubernetes.default.svc
users:
  # a ServiceAccount token, and kubectl's token file
  - name: learner
    user:
      token: 6fa1d887b8cb6bd73ec4ca6400afb9dc7a34552e99ba70c320c0242de9636289
  - name: in-cluster
    user:
      tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
  - name: nobody
    user: {}
contexts:
  - name: lab
    context:
      cluster: lab
      user: learner
      namespace: kl-clusterip-basics-1
  - name: staging
    context: {cluster: staging, user: in-cluster}
current-context: lab
preferences: {}
`;

// Four-space indentation throughout.
const FOUR_SPACES = `apiVersion: v1
kind: Config
clusters:
    -   name: lab
        cluster:
            server: https://lab.example.org:6443
            certificate-authority-data: ${CA}
users:
    -   name: learner
        user:
            token: 'it''s-a-token'
contexts:
    -   name: lab
        context:
            cluster: lab
            user: learner
            namespace: default
current-context: lab
extensions: []
`;

// What \`kubelab sim --kubeconfig-out\` writes.
const SIM = `apiVersion: v1
kind: Config
clusters:
  - name: kubesim
    cluster:
      server: https://127.0.0.1:16443
      certificate-authority-data: ${CA}
users:
  - name: kubesim-admin
    user:
      token: 6fa1d887b8cb6bd73ec4ca6400afb9dc7a34552e99ba70c320c0242de9636289
contexts:
  - name: kubesim
    context:
      cluster: kubesim
      user: kubesim-admin
current-context: kubesim
preferences: {}
`;

const LEARNER = learnerKubeconfig({ server: { url: 'https://h:6443', caData: CA }, namespace: 'kl-x-1', token: 'abc.def-ghi' });

const REALISTIC = { KIND, MINIKUBE, EKS, GKE, FOUR_SPACES, SIM, LEARNER };

describe('parseSimpleYaml', () => {
  it.each(Object.entries(REALISTIC))('reads the %s kubeconfig as yaml does', (_name, text) => {
    const fast = parseSimpleYaml(text);
    expect(fast).not.toBeUndefined();
    expect(fast).toEqual(parse(text));
    expect(JSON.stringify(fast)).toBe(JSON.stringify(parse(text)));
  });

  it('leaves what it does not know to yaml (multi-line scalars, flow mappings)', () => {
    // gcloud's folded installHint; the hand-written one has a flow mapping.
    expect(parse(GKE_FOLDED)).toEqual(parse(GKE));
    expect(parseSimpleYaml(GKE_FOLDED)).toBeUndefined();
    expect(parseSimpleYaml(HAND_WRITTEN)).toBeUndefined();
    expect(parseSimpleYaml(HAND_WRITTEN.replace('{cluster: staging, user: in-cluster}', '\n      cluster: staging\n      user: in-cluster'))).toEqual(
      parse(HAND_WRITTEN),
    );
  });

  it.each([
    ['empty', ''],
    ['only a comment', '# nothing\n'],
    ['a scalar document', 'v1\n'],
    ['a document marker', '---\na: b\n'],
    ['a document end', 'a: b\n...\n'],
    ['a directive', '%YAML 1.2\n---\na: b\n'],
    ['a BOM', '\uFEFFa: b\n'],
    ['CRLF', 'a: b\r\nc: d\r\n'],
    ['a tab', 'a:\tb\n'],
    ['an anchor and alias', 'a: &x b\nc: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a block scalar', 'a: |\n  b\n'],
    ['a folded plain scalar', 'a: b\n  c\n'],
    ['a duplicate key', 'a: b\na: c\n'],
    ['a merge key', 'a: {}\n<<: {}\n'],
    ['__proto__', '__proto__: {}\n'],
    ['a quoted key', '"a": b\n'],
    ['an escape', 'a: "b\\n"\n'],
    ['a comment after a value', 'a: b # c\n'],
    ['a colon-space in a value', 'a: b: c\n'],
    ['a float', 'a: 1.5\n'],
    ['an exponent', 'a: 1e3\n'],
    ['hex', 'a: 0x1F\n'],
    ['octal', 'a: 0o17\n'],
    ['infinity', 'a: .inf\n'],
    ['a leading zero', 'a: 007\n'],
    ['a signed int', 'a: -1\n'],
    ['tilde', 'a: ~\n'],
    ['Null', 'a: Null\n'],
    ['TRUE', 'a: TRUE\n'],
    ['yes (a string in 1.2, refused all the same)', 'a: yes\n'],
    ['a nested sequence on one line', '- - a\n'],
    ['a flow sequence', 'a: [b]\n'],
  ])('refuses %s', (_name, text) => {
    expect(parseSimpleYaml(text)).toBeUndefined();
  });

  it('reads null, booleans and small integers as the core schema does', () => {
    const text = 'a: null\nb: true\nc: false\nd: 0\ne: 6443\nf:\ng: 6fa1\nh: a,b]c\n';
    expect(parseSimpleYaml(text)).toEqual(parse(text));
  });

  it('never disagrees with yaml on seeded mutations of realistic kubeconfigs', () => {
    // Characters and words that mean something to YAML, put where they may do harm.
    const PIECES = [
      ':', '#', '-', "'", '"', '{', '}', '[', ']', '&', '*', '!', '|', '>', '%', '@', '`', ',', '?', '\\',
      '\t', ' ', '  ', '\n', '\r\n', '\uFEFF', '0', '1', '7', '9', '.', '+', 'e', 'E', 'x', 'o', '~', '_',
      'null', 'Null', 'NULL', 'true', 'True', 'false', 'yes', 'no', 'on', '0x1', '0o7', '1e3', '-1', '+1', '1.5', '.5', '.inf', '-.inf', '.nan',
      ': ', ' #', '- ', '\n- ', '\n  ', '\n    ', '---', '...', '<<', '__proto__', '&a ', '*a', '!!str ', '|\n', "''", '""', '{}', '[]', 'é',
    ];
    const samples = [KIND, MINIKUBE, EKS, GKE, SIM, FOUR_SPACES, LEARNER].map((s) => s.replaceAll(CA, 'Q0E='));
    const rng = seededRng(20261202);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
    const mutate = (text: string): string => {
      let out = text;
      const edits = 1 + Math.floor(rng() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rng() * (out.length + 1));
        const kind = rng();
        if (kind < 0.4) out = out.slice(0, at) + pick(PIECES) + out.slice(at);
        else if (kind < 0.6) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rng() * 3));
        else if (kind < 0.9) out = out.slice(0, at) + pick(PIECES) + out.slice(at + 1);
        else {
          // Whole lines: repeat one (duplicate keys, extra items) or shift its indent.
          const lines = out.split('\n');
          const i = Math.floor(rng() * lines.length);
          if (rng() < 0.5) lines.splice(i, 0, lines[i]!);
          else lines[i] = rng() < 0.5 ? ` ${lines[i]}` : lines[i]!.replace(/^ /, '');
          out = lines.join('\n');
        }
      }
      return out;
    };

    const COUNT = 12_000;
    let fastPath = 0;
    const disagreements: string[] = [];
    for (let n = 0; n < COUNT; n++) {
      const text = mutate(pick(samples));
      const fast = parseSimpleYaml(text);
      if (fast === undefined) continue;
      fastPath++;
      // parse(text) is this, less the warnings it would print: one parse instead of two.
      const doc = parseDocument(text);
      const slow = doc.errors.length > 0 || doc.warnings.length > 0 ? 'throws or warns' : doc.toJS();
      // JSON for key order, isDeepStrictEqual for what JSON blurs (NaN, Infinity, undefined).
      if (JSON.stringify(fast) !== JSON.stringify(slow) || !isDeepStrictEqual(fast, slow)) disagreements.push(text);
    }
    console.info(`kubeconfig fast path: ${fastPath} of ${COUNT} mutated kubeconfigs took it`);
    expect(disagreements.slice(0, 5)).toEqual([]);
    // The fast path must not be so timid that the comparison proves nothing.
    expect(fastPath).toBeGreaterThan(COUNT / 4);
  });
});
