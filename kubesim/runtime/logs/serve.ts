// GET .../pods/{name}/log: one container instance's lines (or the previous, terminated
// one), filtered by sinceSeconds, tailLines and limitBytes, with RFC3339Nano timestamps
// on request; follow streams until the container stops or the client goes away.
// Source: pkg/kubelet/kuberuntime/logs/logs.go; pkg/registry/core/pod/strategy.go LogLocation.

import type { ServerResponse } from 'node:http';
import type { Clock } from '../../core/clock.ts';
import { badRequest } from '../../core/errors.ts';
import type { LogRequest } from '../../core/podio.ts';
import type { Containers } from '../containers.ts';
import { parsePod } from '../podspec.ts';
import type { LogLine } from './buffer.ts';

/** kubelet's fixed-width RFC3339Nano: 2026-01-01T00:00:00.000000000Z */
export function logTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export function serveLogs(containers: Containers, clock: Clock, request: LogRequest, res: ServerResponse): void {
  const pod = parsePod(request.pod);
  const names = pod.spec.containers.map((c) => c.name);
  let name = request.container;
  if (!name) {
    const def = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
    if (def) name = def;
    else if (names.length === 1) name = names[0];
    else throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`);
  }
  const all = [...names, ...(pod.spec.initContainers ?? []).map((c) => c.name)];
  if (!name || !all.includes(name)) throw badRequest(`container ${name ?? ''} is not valid for pod ${pod.metadata.name}`);
  const slot = containers.get(pod.metadata.uid ?? pod.metadata.name, name);
  const inst = request.previous ? slot?.previous : slot?.current;
  if (!inst) {
    if (request.previous) throw badRequest(`previous terminated container "${name}" in pod "${pod.metadata.name}" not found`);
    const waiting = pod.status?.containerStatuses?.find((s) => s.name === name)?.state?.waiting?.reason ?? 'ContainerCreating';
    const why = waiting === 'ErrImagePull' || waiting === 'ImagePullBackOff' ? 'trying and failing to pull image' : waiting;
    throw badRequest(`container "${name}" in pod "${pod.metadata.name}" is waiting to start: ${why}`);
  }
  let lines: LogLine[] = inst.logs.lines;
  if (request.sinceSeconds !== undefined) {
    const since = clock.now() - request.sinceSeconds * 1000;
    lines = lines.filter((l) => l.time >= since);
  }
  if (request.tailLines !== undefined) lines = request.tailLines <= 0 ? [] : lines.slice(-request.tailLines);
  let budget = request.limitBytes ?? Infinity;
  const render = (l: LogLine): string => (request.timestamps ? `${logTimestamp(l.time)} ${l.text}` : l.text);
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  const write = (text: string): boolean => {
    if (budget <= 0) return false;
    const buf = Buffer.from(text, 'utf8');
    const chunk = buf.length > budget ? buf.subarray(0, budget) : buf;
    budget -= chunk.length;
    res.write(chunk);
    return budget > 0;
  };
  let more = true;
  for (const l of lines) if (!(more = write(render(l)))) break;
  if (!request.follow || !more || inst.logs.isEnded) {
    res.end();
    return;
  }
  const stop = inst.logs.follow((line) => {
    if (line === 'end') {
      res.end();
      return;
    }
    if (!write(render(line))) {
      stop();
      res.end();
    }
  });
  res.on('close', stop);
}
