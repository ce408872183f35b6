// Per check of one exercise: how many learners failed it, how many still fail it in
// their latest graded attempt, and the fail messages grouped, so an instructor reads
// "12 learners: selector matches 0 Pods" instead of forty variants of it.
import type { ClassAttempt, FailedCheck } from '../db/class-results.ts';

export interface MessageGroup {
  /** The message with what differs per learner (namespaces, IPs, generated names) blanked. */
  readonly message: string;
  readonly learners: number;
}

export interface CheckInsight {
  readonly checkId: string;
  readonly title: string;
  readonly learnersFailed: number;
  readonly failingNow: number;
  readonly messages: readonly MessageGroup[];
}

/**
 * Blanks the parts of a grader message that name one learner's objects, so equal
 * mistakes read equal: namespaces, IP addresses, Pod-template hashes, probe Pods.
 */
export function normalizeMessage(message: string): string {
  return message
    .replace(/\bkl-[a-z0-9-]+-[0-9a-f]{8,}\b/g, '<namespace>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, '<ip>')
    .replace(/\bkubelab-probe-[a-z0-9-]+\b/g, '<probe>')
    // Deployment Pods: <name>-<template hash>-<5 chars>; ReplicaSets: <name>-<hash>.
    .replace(/\b([a-z0-9]+(?:-[a-z0-9]+)*?)-[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, '$1-…')
    .replace(/\b([a-z0-9]+(?:-[a-z0-9]+)*?)-[a-f0-9]{8,10}\b/g, '$1-…');
}

export function exerciseInsight(input: {
  checks: readonly { id: string; title: string }[];
  attempts: readonly ClassAttempt[];
  failedChecks: readonly FailedCheck[];
  topMessages?: number;
}): CheckInsight[] {
  // Each learner's latest graded attempt: what they are failing now.
  const latest = new Map<number, number>();
  for (const a of input.attempts) {
    if (a.status === 'finished' && (a.result === 'passed' || a.result === 'failed')) latest.set(a.userId, a.id);
  }
  const latestIds = new Set(latest.values());
  return input.checks.map((check) => {
    const fails = input.failedChecks.filter((f) => f.checkId === check.id);
    const groups = new Map<string, Set<number>>();
    for (const f of fails) {
      const key = normalizeMessage(f.message);
      const learners = groups.get(key) ?? new Set<number>();
      learners.add(f.userId);
      groups.set(key, learners);
    }
    return {
      checkId: check.id,
      title: check.title,
      learnersFailed: new Set(fails.map((f) => f.userId)).size,
      failingNow: new Set(fails.filter((f) => latestIds.has(f.attemptId)).map((f) => f.userId)).size,
      messages: [...groups.entries()]
        .map(([message, learners]) => ({ message, learners: learners.size }))
        .sort((a, b) => b.learners - a.learners || a.message.localeCompare(b.message))
        .slice(0, input.topMessages ?? 5),
    };
  });
}
