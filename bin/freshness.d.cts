// Types for bin/freshness.cjs (plain JavaScript: it runs before any build or tsx).
export declare const BUILT_STAMP: string;
export type InputsListName = 'INPUTS' | 'INPUTS-quick' | 'INPUTS-grade';
export declare function inputsList(name?: InputsListName, root?: string): string;
export declare function buildIsFresh(root?: string, list?: InputsListName): boolean;
