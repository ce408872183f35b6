// Types for bin/freshness.cjs (plain JavaScript: it runs before any build or tsx).
export declare const BUILT_STAMP: string;
export declare const INPUTS_LIST: string;
export declare const QUICK_INPUTS_LIST: string;
export declare const GRADE_INPUTS_LIST: string;
export declare function buildIsFresh(root?: string, list?: 'INPUTS' | 'INPUTS-quick' | 'INPUTS-grade'): boolean;
