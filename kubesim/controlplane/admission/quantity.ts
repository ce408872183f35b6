// resource.Quantity, enough for quota and LimitRange arithmetic: parse "100m", "2",
// "1.5", "128Mi", "1G", "1e3"; print back canonically ("500m", "2", "1536Mi").
// Source: k8s.io/apimachinery/pkg/api/resource/quantity.go

const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const mult = SUFFIX[m[2] ?? ''];
  return Number.isFinite(n) && mult !== undefined ? n * mult : undefined;
}

/** Canonical text: whole numbers plain; fractions in milli; binary suffixes for byte-sized values. */
export function formatQuantity(n: number, binary: boolean): string {
  if (binary && n >= 1024 && Number.isInteger(n)) {
    for (const s of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const mult = SUFFIX[s]!;
      if (n % mult === 0) return `${n / mult}${s}`;
    }
  }
  if (Number.isInteger(n)) return String(n);
  const milli = Math.round(n * 1000);
  return `${milli}m`;
}

/** Memory-like resources print with binary suffixes. */
export function isByteResource(name: string): boolean {
  return /memory|storage/.test(name);
}
