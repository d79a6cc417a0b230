// Types of check-node.mjs (plain JavaScript, so that old Node versions can run it).
export declare const ENGINES: string;
export declare const NEEDED: string;
export declare function nodeVersionOk(version: string): boolean;
export declare function commandOf(env: Record<string, string | undefined>, argv: readonly string[]): string;
export declare function nodeVersionProblem(version: string, command: string): string | null;
