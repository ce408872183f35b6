// The LMS grade sync of one learner, on their page in the dashboard: for each graded LTI
// link of this class, the score kubelab last queued for the LMS (sent, waiting to be
// retried, or failed) and a Resend button that sends it again now.
import type { QueuedScore } from '../../../../server/lti/ags/scores.ts';
import type { LtiService } from '../../../../server/lti/service.ts';
import { html, Html } from '../../html.ts';

export type GradeSync = Pick<LtiService, 'scores' | 'mappings' | 'passback'>;

export interface SyncRow {
  score: QueuedScore;
  exerciseId: string;
}

/** This learner's scores on this class's LTI links. */
export function syncRows(lti: GradeSync | undefined, classId: number, userId: number): SyncRow[] {
  if (!lti) return [];
  return lti.scores.forUser(userId).flatMap((score) => {
    const link = lti.mappings.linkById(score.linkId);
    return link && link.classId === classId ? [{ score, exerciseId: link.exerciseId }] : [];
  });
}

const at = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function statusText(s: QueuedScore): string {
  const value = `${s.scoreGiven} / ${s.scoreMaximum}`;
  if (s.status === 'sent') return `${value} sent${s.sentAt !== null ? ` ${at(s.sentAt)}` : ''}`;
  if (s.status === 'pending') return `${value} waiting to be sent (next try ${at(s.nextTryAt)}${s.lastError ? `; last: ${s.lastError}` : ''})`;
  return `${value} not sent: ${s.lastError ?? 'the LMS refused it'}`;
}

export function gradeSyncSection(rows: readonly SyncRow[], action: (scoreId: number) => string, csrfToken: string, exerciseTitle: string): Html | null {
  if (rows.length === 0) return null;
  return html`<div class="grade-sync"><h3>LMS grade</h3><ul>${rows.map(({ score }) => html`<li>
      <span class="result-${score.status === 'sent' ? 'passed' : score.status === 'failed' ? 'failed' : 'none'}">${statusText(score)}</span>
      <form method="post" action="${action(score.id)}" class="inline">
        <input type="hidden" name="_csrf" value="${csrfToken}">
        <button type="submit" class="button" aria-label="Resend the LMS grade for ${exerciseTitle}">Resend</button>
      </form></li>`)}</ul></div>`;
}
