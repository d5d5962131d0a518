import { createHash } from 'node:crypto';
import type { ToolDefinition } from '@cnmcp/core/plugin';
import { MAX_TEXT_INPUT_LENGTH } from '../input-limits.js';
import { structuredResult, toolError } from '../tool-result.js';

export const HASH_ALGORITHMS = ['sha256', 'sha384', 'sha512', 'sha1', 'md5'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

export type HashArgs = { input: string; algorithm?: HashAlgorithm; encoding?: 'hex' | 'base64' };

export const hashTool: ToolDefinition<HashArgs> = {
  name: 'utilities_hash',
  title: 'Hash text',
  description:
    'Computes a cryptographic digest of a UTF-8 string. sha1 and md5 are offered for checksums and legacy systems only; do not use them for security.',
  inputSchema: {
    type: 'object',
    properties: {
      // Data to hash, not text for a backend: a sanitizer must not change it.
      input: { type: 'string', maxLength: MAX_TEXT_INPUT_LENGTH, 'x-cnmcp-sanitize': 'raw', description: 'The text to hash, encoded as UTF-8.' },
      algorithm: { type: 'string', enum: [...HASH_ALGORITHMS], default: 'sha256', description: 'Digest algorithm.' },
      encoding: { type: 'string', enum: ['hex', 'base64'], default: 'hex', description: 'Encoding of the returned digest.' },
    },
    required: ['input'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      algorithm: { type: 'string', enum: [...HASH_ALGORITHMS] },
      encoding: { type: 'string', enum: ['hex', 'base64'] },
      digest: { type: 'string', description: 'The digest in the requested encoding.' },
    },
    required: ['algorithm', 'encoding', 'digest'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args) {
    const { input, algorithm = 'sha256', encoding = 'hex' } = args;
    if (typeof input !== 'string') return toolError('input must be a string.');
    if (!HASH_ALGORITHMS.includes(algorithm)) return toolError(`Unsupported algorithm "${String(algorithm)}"; use one of ${HASH_ALGORITHMS.join(', ')}.`);
    if (encoding !== 'hex' && encoding !== 'base64') return toolError(`Unsupported encoding "${String(encoding)}"; use hex or base64.`);
    let digest: string;
    try {
      digest = createHash(algorithm).update(input, 'utf8').digest(encoding);
    } catch (error) {
      // A FIPS-mode OpenSSL refuses md5; say so instead of failing the call.
      return toolError(`${algorithm} is not available on this server: ${(error as Error).message}`);
    }
    return structuredResult({ algorithm, encoding, digest }, `${algorithm} (${encoding}): ${digest}`);
  },
};
