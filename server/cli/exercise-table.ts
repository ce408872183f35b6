// What `kubelab exercises list` prints: shared by the full CLI and the quick one (quick.ts).
import type { ExerciseSummary } from '../catalog/cache.ts';
import { table } from './table.ts';

export function exerciseTable(exercises: readonly ExerciseSummary[]): string {
  return table([
    ['ID', 'TITLE', 'MINUTES', 'CHECKS'],
    ...exercises.map((e) => [e.id, e.title, String(e.minutes), String(e.checks)]),
  ]);
}
