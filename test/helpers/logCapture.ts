import type { LogDestination } from '../../server/http/logging.ts';

/** Collects the app's JSON log lines in memory. */
export function captureLogs(): LogDestination & { readonly lines: string[]; text(): string } {
  const lines: string[] = [];
  return {
    lines,
    write: (line: string) => {
      lines.push(line);
    },
    text: () => lines.join(''),
  };
}
