import { TextDecoder } from 'node:util';

const TEXT_TYPES: ReadonlySet<string> = new Set([
  'application/json',
  'application/ld+json',
  'application/xml',
  'application/javascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/x-www-form-urlencoded',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/graphql',
  'application/sql',
  'application/x-sh',
  'application/x-ndjson',
  'application/problem+json',
]);

/** The media type without parameters, lower-cased: `Text/HTML; charset=utf-8` -> `text/html`. */
export function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

export function isTextual(type: string): boolean {
  return type.startsWith('text/') || TEXT_TYPES.has(type) || /\+(json|xml|yaml)$/.test(type);
}

/**
 * The body as text, or undefined when it should be reported as binary. Without a Content-Type the bytes are
 * text only if they are valid UTF-8 without NULs. A cut multi-byte character at a truncation point is tolerated.
 */
export function bodyText(contentType: string | undefined, body: Buffer, truncated: boolean): string | undefined {
  const type = mediaType(contentType);
  if (type === undefined) {
    if (body.includes(0)) return undefined;
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(body, { stream: truncated });
    } catch {
      return undefined;
    }
  }
  if (!isTextual(type)) return undefined;
  return decoderFor(contentType).decode(body, { stream: truncated });
}

function decoderFor(contentType: string | undefined): TextDecoder {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    return new TextDecoder('utf-8'); // an unknown charset label still leaves mostly readable text
  }
}
