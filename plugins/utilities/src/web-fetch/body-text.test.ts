import { describe, expect, it } from 'vitest';
import { bodyText, isTextual, mediaType } from './body-text.js';

describe('bodyText', () => {
  it('treats text, JSON, XML and YAML types as text', () => {
    for (const type of ['text/html', 'application/json', 'application/vnd.api+json', 'image/svg+xml', 'application/yaml'])
      expect(isTextual(type), type).toBe(true);
    for (const type of ['image/png', 'application/octet-stream', 'application/pdf']) expect(isTextual(type), type).toBe(false);
    expect(mediaType(' Text/HTML ; charset=UTF-8')).toBe('text/html');
  });

  it('decodes the declared charset', () => {
    expect(bodyText('text/plain; charset=iso-8859-1', Buffer.from([0x63, 0x61, 0x66, 0xe9]), false)).toBe('café');
    expect(bodyText('text/plain; charset=unknown-charset', Buffer.from('plain', 'utf8'), false)).toBe('plain');
  });

  it('returns undefined for binary types and for untyped bytes that are not UTF-8', () => {
    expect(bodyText('image/png', Buffer.from('looks like text'), false)).toBeUndefined();
    expect(bodyText(undefined, Buffer.from([0xff, 0xfe, 0x00]), false)).toBeUndefined();
    expect(bodyText(undefined, Buffer.from('untyped but text'), false)).toBe('untyped but text');
  });

  it('tolerates a multi-byte character cut at the truncation point', () => {
    const cut = Buffer.from('ok 🙂', 'utf8').subarray(0, 5);
    expect(bodyText(undefined, cut, true)).toBe('ok ');
  });
});
