// Types for bin/quick.cjs (plain JavaScript: it runs before any build or tsx).
export declare function runQuick(argv: readonly string[]): Promise<number | undefined>;
export declare function loadScript(file: string, codeDir: string): { exports: Record<string, unknown>; usedKeptCode: boolean; keepCode(): void };
