// Image names the kubelet cannot parse end in InvalidImageName before any pull.
import { describe, expect, it } from 'vitest';
import { invalidImageName } from './images.ts';

describe('invalidImageName', () => {
  it.each([
    'nginx', 'nginx:1.28', 'nginx:1.27-alpine', 'docker.io/library/nginx:1.28', 'hashicorp/http-echo:1.0', 'registry.k8s.io/coredns/coredns:v1.11.3',
    'localhost:5000/app:v1', 'quay.io/prometheus/node-exporter:v1.8.2', 'my-frontend:latest', 'ngnix:1.28', `nginx@sha256:${'a'.repeat(64)}`,
  ])('%s parses', (image) => {
    expect(invalidImageName(image)).toBeUndefined();
  });

  it.each([
    ['Nginx:1.28', 'invalid reference format: repository name (library/Nginx) must be lowercase'],
    ['myteam/Web:1', 'invalid reference format: repository name (myteam/Web) must be lowercase'],
    ['nginx:1.28:alpine', 'invalid reference format'],
    ['nginx 1.28', 'invalid reference format'],
    ['nginx:', 'invalid reference format'],
  ])('%s: %s', (image, why) => {
    expect(invalidImageName(image)).toBe(`Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${why}`);
  });
});
