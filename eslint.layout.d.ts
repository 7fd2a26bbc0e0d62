// Types of eslint.layout.js (plain JS so that eslint.config.js can load it).
export declare const LAYOUT: Record<string, string[]>;
export declare const FOLDERS: string[];
export declare function layoutRules(): Array<{ files: string[]; rules: Record<string, unknown> }>;
