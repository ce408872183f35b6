// Small manifest builders for the control-plane tests.

import type { KubeObject } from '../../core/types.ts';

export function deployment(name: string, opts: { replicas?: number; image?: string; labels?: Record<string, string>; container?: Record<string, unknown>; ns?: string } = {}): KubeObject {
  const labels = opts.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: opts.ns ?? 'default' },
    spec: {
      replicas: opts.replicas ?? 3,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'main', image: opts.image ?? 'nginx:1.28', ports: [{ containerPort: 80, name: 'http' }], ...opts.container }] },
      },
    },
  };
}

export function service(name: string, spec: Record<string, unknown>, ns = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec };
}

export function statefulSet(name: string, serviceName: string, replicas = 3, image = 'nginx:1.28'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      serviceName,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image, ports: [{ containerPort: 80 }] }] } },
    },
  };
}
