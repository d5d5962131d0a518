import { TextDecoder } from 'node:util';
import type { ToolDefinition } from '@cnmcp/core/plugin';
import { MAX_TEXT_INPUT_LENGTH } from '../input-limits.js';
import { structuredResult, toolError } from '../tool-result.js';

export type Base64Args = { operation: 'encode' | 'decode'; input: string; urlSafe?: boolean };

const STANDARD = /^[A-Za-z0-9+/]*$/;
const URL_SAFE = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes strictly. Buffer.from(text, 'base64') skips characters it does not know, so "not base64!" would
 * "decode" to garbage; a model should hear that its input was wrong instead.
 */
export function decodeBase64(text: string, urlSafe: boolean): Buffer | string {
  const compact = text.replace(/[\t\n\r ]/g, ''); // MIME and PEM wrap lines
  const padding = /=*$/.exec(compact)?.[0].length ?? 0;
  const body = compact.slice(0, compact.length - padding);
  const alphabet = urlSafe ? URL_SAFE : STANDARD;
  if (!alphabet.test(body)) {
    const bad = [...body].find((c) => !alphabet.test(c)) ?? '';
    const hint =
      !urlSafe && URL_SAFE.test(body)
        ? ' (it looks URL-safe: set urlSafe to true)'
        : urlSafe && STANDARD.test(body)
          ? ' (it looks standard: set urlSafe to false)'
          : '';
    return `input is not valid ${urlSafe ? 'URL-safe ' : ''}base64: unexpected character ${JSON.stringify(bad)}${hint}.`;
  }
  if (padding > 2 || (padding > 0 && compact.length % 4 !== 0)) return 'input is not valid base64: wrong padding.';
  if (body.length % 4 === 1) return 'input is not valid base64: its length is impossible for base64 (one character too many or too few).';
  return Buffer.from(body, urlSafe ? 'base64url' : 'base64');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export const base64Tool: ToolDefinition<Base64Args> = {
  name: 'utilities_base64',
  title: 'Base64 encode or decode',
  description:
    'Encodes UTF-8 text as base64, or decodes base64 to text. Decoded bytes that are not valid UTF-8 are returned as hex. Set urlSafe for the URL and filename safe alphabet (RFC 4648 section 5).',
  inputSchema: {
    type: 'object',
    properties: {
      operation: { type: 'string', enum: ['encode', 'decode'], description: 'encode: text to base64; decode: base64 to text.' },
      // Data, not text for a backend: a sanitizer must not change it.
      input: {
        type: 'string',
        maxLength: MAX_TEXT_INPUT_LENGTH,
        'x-cnmcp-sanitize': 'raw',
        description: 'Text to encode, or base64 to decode (whitespace is ignored).',
      },
      urlSafe: { type: 'boolean', default: false, description: 'Use the URL-safe alphabet (- and _ instead of + and /, no padding on encode).' },
    },
    required: ['operation', 'input'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      operation: { type: 'string', enum: ['encode', 'decode'] },
      output: { type: 'string', description: 'The result, in outputFormat.' },
      outputFormat: {
        type: 'string',
        enum: ['base64', 'base64url', 'text', 'hex'],
        description: 'How output is written; decode gives hex when the bytes are not UTF-8 text.',
      },
      bytes: { type: 'integer', description: 'Number of raw (decoded) bytes.' },
    },
    required: ['operation', 'output', 'outputFormat', 'bytes'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args) {
    const { operation, input, urlSafe = false } = args;
    if (typeof input !== 'string') return toolError('input must be a string.');
    if (operation === 'encode') {
      const raw = Buffer.from(input, 'utf8');
      const outputFormat = urlSafe ? 'base64url' : 'base64';
      const output = raw.toString(outputFormat);
      return structuredResult({ operation, output, outputFormat, bytes: raw.length }, output);
    }
    if (operation !== 'decode') return toolError('operation must be "encode" or "decode".');
    const decoded = decodeBase64(input, urlSafe === true);
    if (typeof decoded === 'string') return toolError(`Cannot decode: ${decoded}`);
    try {
      const output = utf8.decode(decoded);
      return structuredResult({ operation, output, outputFormat: 'text', bytes: decoded.length }, output);
    } catch {
      const output = decoded.toString('hex');
      return structuredResult({ operation, output, outputFormat: 'hex', bytes: decoded.length }, `${decoded.length} bytes, not UTF-8 text; hex: ${output}`);
    }
  },
};
