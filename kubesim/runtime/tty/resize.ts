// The resize channel (4): JSON {"Width":W,"Height":H} from kubectl (Go field names),
// {"width","height"} from client-node; keys are matched case-insensitively as Go's
// encoding/json does. A frame that does not parse is ignored, as the kubelet only logs it.
// Source: k8s.io/client-go/tools/remotecommand/resize.go (TerminalSize).

import { z } from 'zod';

const TerminalSize = z.object({
  width: z.number().int().min(0).max(65535),
  height: z.number().int().min(0).max(65535),
});

export type TerminalSize = z.infer<typeof TerminalSize>;

export function parseResize(data: Buffer): TerminalSize | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const lowered = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
  const parsed = TerminalSize.safeParse(lowered);
  return parsed.success ? parsed.data : undefined;
}
