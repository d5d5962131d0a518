// Types of ensure-test-tools.mjs (plain ESM so `node scripts/ensure-test-tools.mjs` runs it before the build).
export type TestTool = 'helm' | 'node24' | 'renovate-schema.json';
export declare const TOOLS: Readonly<
  Record<TestTool, { readonly spec: string; readonly integrity: string; readonly archive: string; readonly member?: string; readonly data?: boolean }>
>;
/** The cached file's path (a binary unless the tool is `data`), fetching and checking it first when it is missing. */
export declare function ensureTool(name: TestTool): string;
