import { describe, expect, it } from 'vitest';
import { parseBasicAuthorization } from './parse-basic-credentials.js';

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

describe('parseBasicAuthorization', () => {
  it.each([[undefined], ['Bearer abc.def.ghi'], ['ApiKey Abc123!@#Xyz789!@#'], [`Basically ${b64('a:b')}`], [['Bearer x', 'Digest y']]])(
    'leaves %j to other schemes',
    (header) => {
      expect(parseBasicAuthorization(header)).toEqual({ kind: 'absent' });
    },
  );

  it.each([
    ['Basic', 'alice:s3cret', 'alice', 's3cret'],
    ['basic', 'alice:s3cret', 'alice', 's3cret'],
    ['BASIC', 'alice:s3cret', 'alice', 's3cret'],
    ['Basic', 'alice:pass:with:colons', 'alice', 'pass:with:colons'],
    ['Basic', 'jöhn:pässwörd ✓', 'jöhn', 'pässwörd ✓'],
    ['Basic', 'bob: leading and trailing spaces ', 'bob', ' leading and trailing spaces '],
  ])('reads %s base64(%j)', (scheme, plain, username, password) => {
    expect(parseBasicAuthorization(`${scheme} ${b64(plain)}`)).toEqual({ kind: 'present', username, password });
  });

  it.each([
    ['no credentials', 'Basic', 'not canonical base64'],
    ['an empty token', 'Basic ', 'not canonical base64'],
    ['two spaces', `Basic  ${b64('alice:s3cret')}`, 'not canonical base64'],
    ['trailing data', `Basic ${b64('alice:s3cret')} x`, 'not canonical base64'],
    ['missing padding', `Basic ${b64('alice:s3cre').replace(/=+$/, '')}`, 'not canonical base64'],
    ['base64url alphabet', `Basic ${Buffer.from('alice:>>>?').toString('base64url')}`, 'not canonical base64'],
    ['characters outside base64', 'Basic !!!!', 'not canonical base64'],
    ['no colon', `Basic ${b64('alice')}`, 'no colon'],
    ['an empty username', `Basic ${b64(':s3cret')}`, 'empty username'],
    ['an empty password', `Basic ${b64('alice:')}`, 'empty password'],
    ['a newline', `Basic ${b64('alice:s3cret\n')}`, 'control characters'],
    ['a NUL', `Basic ${b64('alice\0:s3cret')}`, 'control characters'],
    ['invalid UTF-8', `Basic ${b64(Buffer.from([0x61, 0x3a, 0xff, 0xfe]))}`, 'not UTF-8'],
  ])('refuses %s as malformed', (_name, header, why) => {
    const parsed = parseBasicAuthorization(header);
    expect(parsed).toEqual({ kind: 'malformed', why: expect.stringContaining(why) });
  });

  it('refuses several Basic headers', () => {
    expect(parseBasicAuthorization([`Basic ${b64('a:b')}`, `Basic ${b64('c:d')}`])).toEqual({ kind: 'malformed', why: 'several Authorization headers' });
  });

  it('never quotes the header in what it reports', () => {
    const header = `Basic ${b64('alice\n:Secret-Password')}`;
    expect(JSON.stringify(parseBasicAuthorization(header))).not.toContain('Secret-Password');
  });
});
