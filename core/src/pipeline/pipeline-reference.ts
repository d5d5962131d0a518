import { STAGE_ERRORS } from './stage-error.js';
import { STAGES } from './stages.js';

export const PIPELINE_START = '<!-- pipeline:start (generated from core/src/pipeline/stages.ts by `npm run docs`; do not edit) -->';
export const PIPELINE_END = '<!-- pipeline:end -->';

const RUNS = { request: 'once per HTTP request', message: 'once per JSON-RPC message' } as const;

/** The pipeline section of docs/architecture.md, from the stage list and the stop-code table. */
export function renderPipelineReference(): string {
  const stages = STAGES.map((s, i) => `| ${i + 1} | \`${s.name}\` | ${RUNS[s.phase]} | ${s.purpose} |`);
  const codes = Object.entries(STAGE_ERRORS).map(
    ([code, entry]) => `| \`${code}\` | ${entry.http} | ${'toolResult' in entry ? 'none: an `isError` tool result' : entry.jsonRpc} | ${entry.meaning} |`,
  );
  return [
    PIPELINE_START,
    '<!-- prettier-ignore-start -->',
    '',
    '| # | stage (span name) | runs | what it does |',
    '| --- | --- | --- | --- |',
    ...stages,
    `| ${STAGES.length + 1} | \`audit\` | after each message | one record per outcome, fanned out to every sink; a fail-closed sink that cannot store it withholds the answer |`,
    '',
    'A stage stops a request with one of these codes; the entry answers with the HTTP status (requests) or the JSON-RPC',
    "error code (messages, with the stable code in `error.data.code`). cnmcp's own JSON-RPC codes lie in -31000..-31099,",
    'outside the ranges JSON-RPC and MCP reserve (2026-07-28 reserves -32020..-32099 for the spec); -32000..-32019 is',
    'the band the spec leaves to implementations. Refused tool arguments answer a tool result the model can read:',
    '',
    '| code | HTTP | JSON-RPC | meaning |',
    '| --- | --- | --- | --- |',
    ...codes,
    '',
    '<!-- prettier-ignore-end -->',
    PIPELINE_END,
  ].join('\n');
}

/** `markdown` with its generated pipeline section replaced by the current one. */
export function withPipelineReference(markdown: string): string {
  const start = markdown.indexOf(PIPELINE_START);
  const end = markdown.indexOf(PIPELINE_END);
  if (start < 0 || end < start) throw new Error('docs/architecture.md has no pipeline:start/pipeline:end markers');
  return markdown.slice(0, start) + renderPipelineReference() + markdown.slice(end + PIPELINE_END.length);
}
