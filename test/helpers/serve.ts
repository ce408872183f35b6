// Starts `kubelab serve` as a real process (node bin/kubelab.cjs serve) and resolves
// with its URL once it logs its ready line: event-driven, no polling, no sleeping.
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { z } from 'zod';
import { BIN, cleanEnv, REPO } from '../cli/run.ts';

const LogLine = z.object({ msg: z.string() }).loose();
const READY = /^kubelab listening on (http:\/\/\S+)$/;

export interface ServeProcess {
  readonly child: ResultPromise<{ cwd: string; env: Record<string, string>; extendEnv: false; reject: false }>;
  readonly url: string;
  /** Every stdout line so far (JSON log lines). */
  readonly lines: string[];
}

export async function startServe(env: Record<string, string>): Promise<ServeProcess> {
  const child = execa('node', [BIN, 'serve'], { cwd: REPO, env: cleanEnv({ PORT: '0', LOG_LEVEL: 'info', ...env }), extendEnv: false, reject: false });
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      lines.push(line);
      const parsed = LogLine.safeParse(safeJson(line));
      const match = parsed.success ? READY.exec(parsed.data.msg) : null;
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    rl.on('close', () => reject(new Error(`serve ended before it was ready:\n${lines.join('\n')}`)));
  });
  return { child, url, lines };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return { notJson: String(error) };
  }
}
