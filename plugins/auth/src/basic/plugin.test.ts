import { CnmcpError, hashPassword, type AuthStrategy } from '@cnmcp/core/plugin';
import { hash as bcryptHash } from 'bcryptjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { authRequest, setupStrategy } from '../testing/apikey-basic-context.js';
import type { BasicConfig, BasicUser } from './config-schema.js';
import basic from './plugin.js';

const basicHeader = (username: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` });

// alice: scrypt from `cnmcp auth hash-password`; bob: bcrypt made by PHP; carol: bcryptjs $2b$; dave: plaintext from a reference.
const PHP_BCRYPT = '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a';
let users: BasicUser[];
let strategy: AuthStrategy;

beforeAll(async () => {
  users = [
    { username: 'alice', passwordHash: await hashPassword('alice-Pa55word!'), roles: ['admin'] },
    { username: 'bob', passwordHash: PHP_BCRYPT, roles: ['viewer'] },
    { username: 'carol', passwordHash: await bcryptHash('carol:pass:with:colons', 10), roles: [] },
    { username: 'dave', password: 'dave-from-env-Secret', roles: ['viewer', 'deployer'] },
  ];
  strategy = await setupStrategy(basic, { users });
});

async function setupError(config: BasicConfig): Promise<CnmcpError> {
  const error: unknown = await setupStrategy(basic, config).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CnmcpError);
  return error as CnmcpError;
}

describe('basic plugin', () => {
  it('is an auth plugin named basic with the Basic scheme and a UTF-8 challenge', () => {
    expect(basic).toMatchObject({ kind: 'auth', name: 'basic' });
    expect(strategy.scheme).toBe('Basic');
    expect(strategy.challenge?.('missing')).toBe('realm="cnmcp", charset="UTF-8"');
    expect(strategy.challenge?.('invalid')).toBe('realm="cnmcp", charset="UTF-8"');
  });

  it('answers none without Basic credentials', async () => {
    expect(await strategy.authenticate(authRequest())).toEqual({ kind: 'none' });
    expect(await strategy.authenticate(authRequest({ authorization: 'Bearer abc.def.ghi' }))).toEqual({ kind: 'none' });
    expect(await strategy.authenticate(authRequest({ 'x-api-key': 'Abc123!@#Xyz789!@#' }))).toEqual({ kind: 'none' });
  });

  it.each([
    ['alice', 'a scrypt hash', 'alice-Pa55word!', ['admin']],
    ['bob', 'a $2y$ bcrypt hash', 'rasmuslerdorf', ['viewer']],
    ['carol', 'a $2b$ bcrypt hash', 'carol:pass:with:colons', []],
    ['dave', 'a plaintext password hashed at load', 'dave-from-env-Secret', ['viewer', 'deployer']],
  ])('authenticates %s (%s) with the right password', async (username, _how, password, roles) => {
    expect(await strategy.authenticate(authRequest(basicHeader(username, password)))).toEqual({
      kind: 'ok',
      identity: { id: username, authMethod: 'basic', roles },
    });
  });

  it.each([
    ['alice', 'alice-Pa55word'],
    ['alice', 'ALICE-PA55WORD!'],
    ['bob', 'rasmuslerdorf '],
    ['carol', 'carol'],
    ['dave', 'x'],
  ])('fails %s with a wrong password, naming the user as subject', async (username, password) => {
    expect(await strategy.authenticate(authRequest(basicHeader(username, password)))).toEqual({ kind: 'fail', reason: 'wrong password', subject: username });
  });

  it('fails an unknown user, naming the claimed username as subject', async () => {
    expect(await strategy.authenticate(authRequest(basicHeader('mallory', 'alice-Pa55word!')))).toEqual({
      kind: 'fail',
      reason: 'unknown user',
      subject: 'mallory',
    });
    expect(await strategy.authenticate(authRequest(basicHeader('Alice', 'alice-Pa55word!')))).toEqual({
      kind: 'fail',
      reason: 'unknown user',
      subject: 'Alice',
    });
  });

  it('claims the username for the lockout, known or not, without checking the password', () => {
    expect(strategy.claimedSubject?.(authRequest(basicHeader('alice', 'wrong')))).toBe('alice');
    expect(strategy.claimedSubject?.(authRequest(basicHeader('mallory', 'x')))).toBe('mallory');
    expect(strategy.claimedSubject?.(authRequest())).toBeUndefined();
    expect(strategy.claimedSubject?.(authRequest({ authorization: 'Basic not-base64!' }))).toBeUndefined();
    expect(strategy.claimedSubject?.(authRequest({ authorization: 'Bearer abc.def.ghi' }))).toBeUndefined();
  });

  it.each([
    ['no token', 'Basic'],
    ['not base64', 'Basic alice:alice-Pa55word!'],
    ['no colon', `Basic ${Buffer.from('alice').toString('base64')}`],
    ['an empty password', `Basic ${Buffer.from('alice:').toString('base64')}`],
  ])('fails malformed credentials (%s)', async (_name, authorization) => {
    const outcome = await strategy.authenticate(authRequest({ authorization }));
    expect(outcome).toEqual({ kind: 'fail', reason: expect.stringMatching(/^malformed Basic credentials: /) });
    expect(JSON.stringify(outcome)).not.toContain('alice-Pa55word!');
  });
});

describe('basic plugin configuration', () => {
  const hash = '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a';

  it.each([
    ['an empty username', { username: '', passwordHash: hash, roles: [] }, 'AUTH_INVALID_USER', 'users[0]: username must not be empty'],
    [
      'a control character in the username',
      { username: 'a\nb', passwordHash: hash, roles: [] },
      'AUTH_INVALID_USER',
      'user "a\\nb": username must not contain control characters',
    ],
    ['a colon in the username', { username: 'a:b', passwordHash: hash, roles: [] }, 'AUTH_INVALID_USER', 'user "a:b": username must not contain ":"'],
    ['an empty password', { username: 'eve', password: '', roles: [] }, 'AUTH_EMPTY_PASSWORD', 'user "eve": password must not be empty'],
    ['an empty passwordHash', { username: 'eve', passwordHash: '', roles: [] }, 'AUTH_EMPTY_PASSWORD', 'user "eve": passwordHash must not be empty'],
    [
      'both password fields',
      { username: 'eve', password: 'Plain-Secret-1', passwordHash: hash, roles: [] },
      'AUTH_INVALID_USER',
      'exactly one of passwordHash or password',
    ],
    ['no password field', { username: 'eve', roles: [] }, 'AUTH_INVALID_USER', 'exactly one of passwordHash or password'],
    [
      'an unsupported hash',
      { username: 'eve', passwordHash: 'Plain-Secret-1', roles: [] },
      'AUTH_UNSUPPORTED_PASSWORD_HASH',
      'user "eve": passwordHash is neither',
    ],
    [
      'a weak hash',
      { username: 'eve', passwordHash: hash.replace('$10$', '$04$'), roles: [] },
      'AUTH_WEAK_PASSWORD_HASH',
      'user "eve": passwordHash bcrypt cost 4',
    ],
  ])('refuses %s, naming the user and the rule', async (_name, user, code, message) => {
    const error = await setupError({ users: [user] });
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('Plain-Secret-1');
    expect(error.message).not.toContain(hash.slice(7));
  });

  it('refuses a duplicate username and reports every problem at once', async () => {
    const error = await setupError({
      users: [
        { username: 'eve', passwordHash: hash, roles: [] },
        { username: 'eve', passwordHash: hash, roles: [] },
        { username: 'trent', password: '', roles: [] },
      ],
    });
    expect(error.code).toBe('AUTH_INVALID_USERS');
    expect(error.message).toContain('user "eve": is configured twice');
    expect(error.message).toContain('user "trent": password must not be empty');
  });
});
