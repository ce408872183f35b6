// Prints, one per line, every image the exercise catalog lists in its exercise.yaml
// `images`, plus busybox for the grader's probe Pods; create-cluster.sh preloads them.
// Uses the project's own catalog loader, so a broken catalog fails loudly here too.
import { loadCatalog } from '../../server/catalog/loader.ts';

export const PROBE_IMAGE = 'busybox:1.36';

export async function catalogImages(root: string): Promise<string[]> {
  const catalog = await loadCatalog(root);
  return [...new Set([...catalog.exercises.flatMap((e) => e.images), PROBE_IMAGE])].sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2];
  if (!root) {
    process.stderr.write('usage: images.ts <exercises-dir>\n');
    process.exit(2);
  }
  try {
    for (const image of await catalogImages(root)) process.stdout.write(`${image}\n`);
  } catch (err) {
    process.stderr.write(`images.ts: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
