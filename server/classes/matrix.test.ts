// The matrix's rules on plain data: status precedence, best score from graded attempts
// only, "stuck" (the same check failed in each of the last three graded attempts), and
// "active now" (a page open, or activity in the last ten minutes).
import { describe, expect, it } from 'vitest';
import type { ClassAttempt, FailedCheck } from '../db/class-results.ts';
import { ACTIVE_WINDOW_MS, buildMatrix } from './matrix.ts';
import { csvField, toCsv } from './csv.ts';
import { normalizeMessage } from './insight.ts';

const NOW = 1_800_000_000_000;
let nextId = 1;
function attempt(result: ClassAttempt['result'], at: number, status: ClassAttempt['status'] = 'finished'): ClassAttempt {
  return { id: nextId++, userId: 1, exerciseId: 'e', status, result, score: result === 'passed' ? 100 : result === 'failed' ? 40 : null, maxScore: 100, createdAt: at, finishedAt: at + 1000 };
}
function fails(a: ClassAttempt, ...checks: string[]): FailedCheck[] {
  return checks.map((checkId) => ({ attemptId: a.id, userId: 1, checkId, message: 'no' }));
}
function cell(attempts: ClassAttempt[], failedChecks: FailedCheck[] = [], present = false) {
  const [row] = buildMatrix({
    exercises: [{ id: 'e', maxScore: 100 }],
    members: [{ userId: 1, displayName: 'A', role: 'learner', joinedAt: 0 }],
    attempts, failedChecks, environments: [], isPresent: () => present, now: NOW,
  });
  return { row: row!, cell: row!.cells[0]! };
}

describe('buildMatrix', () => {
  it('passed beats failed beats error-only beats not started; error attempts never count as a score', () => {
    expect(cell([]).cell.status).toBe('not started');
    expect(cell([attempt('error', 1)]).cell).toMatchObject({ status: 'error-only', bestScore: null, attempts: 1 });
    expect(cell([attempt('failed', 1), attempt('error', 2)]).cell).toMatchObject({ status: 'failed', bestScore: 40 });
    expect(cell([attempt('failed', 1), attempt('passed', 2), attempt('failed', 3)]).cell).toMatchObject({ status: 'passed', bestScore: 100, attempts: 3 });
    expect(cell([attempt(null, 1, 'interrupted')]).cell.status).toBe('error-only');
  });

  it('stuck: one check failed in each of the last three graded attempts in a row', () => {
    const a = [attempt('failed', 1), attempt('failed', 2), attempt('failed', 3)];
    expect(cell(a, [...fails(a[0]!, 'dns', 'selector'), ...fails(a[1]!, 'selector'), ...fails(a[2]!, 'selector', 'http')]).cell.stuckOn).toBe('selector');
    // Different checks each time: moving, not stuck.
    expect(cell(a, [...fails(a[0]!, 'dns'), ...fails(a[1]!, 'selector'), ...fails(a[2]!, 'http')]).cell.stuckOn).toBeNull();
    // Two are not enough; an error attempt in between does not break the run (not graded).
    const two = [attempt('failed', 1), attempt('failed', 2)];
    expect(cell(two, [...fails(two[0]!, 'x'), ...fails(two[1]!, 'x')]).cell.stuckOn).toBeNull();
    const withError = [attempt('failed', 1), attempt('error', 2), attempt('failed', 3), attempt('failed', 4)];
    expect(cell(withError, [...fails(withError[0]!, 'x'), ...fails(withError[2]!, 'x'), ...fails(withError[3]!, 'x')]).cell.stuckOn).toBe('x');
  });

  it('active now: a lab page open, or activity within the last ten minutes', () => {
    expect(cell([attempt('failed', NOW - ACTIVE_WINDOW_MS - 5000)]).row.activeNow).toBe(false);
    expect(cell([attempt('failed', NOW - 60_000)]).row.activeNow).toBe(true);
    expect(cell([], [], true).row.activeNow).toBe(true);
  });
});

describe('CSV and message grouping', () => {
  it.each([
    ['plain', 'plain'],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
  ])('%s is written as %s', (value, written) => {
    expect(csvField(value)).toBe(written);
  });

  it('numbers stay numbers, empty stays empty, rows end in CRLF', () => {
    expect(toCsv(['a', 'b'], [[-5, null]])).toBe('a,b\r\n-5,\r\n');
  });

  it('blanks what differs per learner so equal mistakes group', () => {
    expect(normalizeMessage('Pod web-7d9f8c6b5d-x2k4q in kl-clusterip-basics-25e7dd74f13c6a9d has IP 10.244.1.7')).toBe('Pod web-… in <namespace> has IP <ip>');
  });
});
