// Types for what tests read of eslint.config.js (the import order of docs/architecture.md).
export declare const LAYERS: string[][];
declare const config: unknown[];
export default config;
