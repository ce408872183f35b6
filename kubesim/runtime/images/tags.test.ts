// The embedded registry's tags: what lessons, exercises and docs use pulls; typos do not.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageFor, pullFailure, repositoryExists } from './catalog.ts';

/** Every `image:` in the exercise catalog's manifests and exercise.yaml `images:` lists. */
function catalogImages(): string[] {
  const root = join(import.meta.dirname, '../../../exercises');
  const out = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(e.name)) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/^\s*-?\s*image:\s*["']?([^\s"']+)/gm)) out.add(m[1] ?? '');
        for (const m of text.matchAll(/^images:\s*\[(.*)\]/gm)) for (const i of (m[1] ?? '').split(',')) out.add(i.trim());
      }
    }
  };
  walk(root);
  return [...out].filter(Boolean).sort();
}

describe('image tags', () => {
  it.each([
    'nginx', 'nginx:latest', 'nginx:1', 'nginx:1.25', 'nginx:1.27', 'nginx:1.28', 'nginx:1.29', 'nginx:1.28.0', 'nginx:1.14.2', 'nginx:1.16.1', 'nginx:1.7.9',
    'nginx:stable', 'nginx:alpine', 'nginx:1.27-alpine', 'nginx:stable-alpine', 'docker.io/library/nginx:1.28', 'nginx@sha256:0a1b',
    'busybox', 'busybox:1.28', 'busybox:1.36', 'busybox:1.36.1', 'busybox:1.37', 'busybox:musl', 'busybox:1.36-glibc',
    'postgres:16', 'postgres:17', 'postgres:16.4', 'postgres:16-alpine', 'postgres:9.6',
    'redis:7', 'redis:7.4.2', 'redis:alpine', 'mysql:5.7', 'mysql:8.0', 'mysql:8.4', 'mysql:8.0.36',
    'hashicorp/http-echo', 'hashicorp/http-echo:1.0', 'hashicorp/http-echo:0.2.3',
    'prom/node-exporter', 'prom/node-exporter:v1.8.2', 'prom/node-exporter:v1.9.1', 'quay.io/prometheus/node-exporter:v1.8.2',
    'alpine', 'alpine:3.20', 'alpine:3.22.1', 'alpine:edge', 'httpd', 'httpd:2.4', 'httpd:2.4.65', 'httpd:2.4-alpine', 'httpd:alpine',
    'curlimages/curl:8.13.0', 'registry.k8s.io/coredns/coredns:v1.11.3', 'registry.k8s.io/pause:3.10',
  ])('%s pulls', (ref) => {
    expect(imageFor(ref)).toBeDefined();
  });

  it.each([
    ['nginx:1.161', true], ['nginx:1.280', true], ['nginx:lastest', true], ['nginx:v1.28', true], ['busybox:1.136', true],
    ['postgres:61', true], ['hashicorp/http-echo:1.2', true], ['prom/node-exporter:1.8.2', true], ['mysql:5.8', true],
    ['alpine:3.99', true], ['httpd:2.5', true], ['ubuntu:24.05', true], ['debian:14', true], ['ngnix:1.28', false], ['my-frontend:latest', false],
  ])('%s does not pull (repository exists: %s)', (ref, repo) => {
    expect(imageFor(ref)).toBeUndefined();
    expect(repositoryExists(ref)).toBe(repo);
  });

  it.each([
    ['nginx:1.161', 'NotFound', /^docker\.io\/library\/x: not found$/],
    ['python:3.12', 'NotFound', /^docker\.io\/library\/x: not found: this image is not available on the embedded cluster; it runs: alpine, busybox, .*httpd, .*nginx/],
    ['praqma/network-multitool', 'NotFound', /: not found: this image is not available on the embedded cluster; it runs: /],
    ['ngnix:1.28', 'Unknown', /^pull access denied, repository does not exist or may require authorization: .*\(the embedded cluster has no such image; it runs: alpine, busybox, .*nginx/],
  ])('pullFailure(%s) is %s', (ref, code, why) => {
    expect(pullFailure(ref, 'docker.io/library/x')).toEqual({ code, why: expect.stringMatching(why) });
  });

  it('knows every image the exercise catalog uses', () => {
    const images = catalogImages();
    expect(images.length).toBeGreaterThan(3);
    expect(images.filter((i) => !imageFor(i))).toEqual([]);
  });
});
