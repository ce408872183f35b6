// How each check status looks and what it means, shared by the server-rendered attempt
// page and the live check list, so a status always reads the same: colour, icon and word.
export type CheckStatus = 'pass' | 'fail' | 'error' | 'skipped';

export const STATUS_ICON: Record<CheckStatus | 'waiting', string> = {
  pass: '✓',
  fail: '✗',
  error: '⚠',
  skipped: '↷',
  waiting: '…',
};

export const STATUS_EXPLAINED = {
  error: 'Not your fault: kubelab or the cluster could not finish this check. It does not count against you. Try again in a moment.',
  skipped: 'Not checked, because a check it depends on did not pass.',
} as const;

/** Splits grader text at `backtick` spans, which mark commands and object names. */
export function codeSpans(text: string): { text: string; code: boolean }[] {
  return text.split(/`([^`\n]+)`/).map((part, i) => ({ text: part, code: i % 2 === 1 })).filter((p) => p.text !== '');
}

/**
 * The heading of a fail's hint: the cause the check diagnosed, in words, when it named
 * one ("Hint (wrong target port):"), so the learner sees which hint they got and why;
 * plain "Hint:" otherwise (and for results graded before causes were kept).
 */
export function hintHeading(cause: string | null | undefined): string {
  return cause ? `Hint (${cause.replaceAll('-', ' ')}):` : 'Hint:';
}
