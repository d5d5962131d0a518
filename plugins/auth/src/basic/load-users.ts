import { CnmcpAggregateError, CnmcpError, hashPassword, type Identity } from '@cnmcp/core/plugin';
import type { BasicUser } from './config-schema.js';
import { shapeOfHash, type HashShape } from './hash-rules.js';
import { dummyHash, passwordVerifier, type PasswordVerifier } from './verify-password.js';

export interface LoadedUser {
  readonly identity: Identity;
  readonly verify: PasswordVerifier;
}

export interface LoadedUsers {
  readonly byName: ReadonlyMap<string, LoadedUser>;
  /** Verifies against a random hash of the cost most users share: the work an unknown user is made to cost. */
  readonly verifyUnknown: PasswordVerifier;
}

const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * Checks every configured user (reporting all problems at once, naming the user and the rule, never a password or
 * hash), hashes plaintext passwords with scrypt, and keeps only verifiers: no plaintext survives this function.
 */
export async function loadUsers(users: readonly BasicUser[]): Promise<LoadedUsers> {
  const problems: CnmcpError[] = [];
  const seen = new Set<string>();
  const accepted: { user: BasicUser; encoded: string | undefined; shape: HashShape | undefined }[] = [];
  users.forEach((user, index) => {
    // JSON quoting keeps a control character in a username from forging lines in the startup error.
    const name = user.username === '' ? `users[${index}]` : `user ${JSON.stringify(user.username)}`;
    const problem = (code: string, message: string) => problems.push(new CnmcpError(code, `${name}: ${message}`));
    if (user.username === '') problem('AUTH_INVALID_USER', 'username must not be empty');
    else if (user.username.includes(':')) problem('AUTH_INVALID_USER', 'username must not contain ":" (Basic credentials split at the first colon)');
    else if (CONTROL.test(user.username)) problem('AUTH_INVALID_USER', 'username must not contain control characters');
    if (seen.has(user.username)) problem('AUTH_DUPLICATE_USER', 'is configured twice; usernames must be unique');
    seen.add(user.username);
    if ((user.password === undefined) === (user.passwordHash === undefined)) {
      return void problem('AUTH_INVALID_USER', 'set exactly one of passwordHash or password');
    }
    if (user.password !== undefined) {
      if (user.password === '') return void problem('AUTH_EMPTY_PASSWORD', 'password must not be empty');
      return void accepted.push({ user, encoded: undefined, shape: undefined });
    }
    const encoded = user.passwordHash!;
    if (encoded === '') return void problem('AUTH_EMPTY_PASSWORD', 'passwordHash must not be empty');
    const shape = shapeOfHash(encoded);
    if ('problem' in shape) {
      return void problem(shape.code, `passwordHash ${shape.problem}`);
    }
    accepted.push({ user, encoded, shape });
  });
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) throw new CnmcpAggregateError('AUTH_INVALID_USERS', `${problems.length} problems with the configured users:`, problems);

  const loaded = await Promise.all(
    accepted.map(async ({ user, encoded, shape }) => {
      const hash = encoded ?? (await hashPassword(user.password!));
      const hashShape = shape ?? (shapeOfHash(hash) as HashShape);
      const identity: Identity = Object.freeze({ id: user.username, authMethod: 'basic', roles: Object.freeze([...user.roles]) });
      return { identity, shape: hashShape, verify: passwordVerifier(hash, hashShape) };
    }),
  );
  const usual = mostCommonShape(loaded.map((u) => u.shape));
  return {
    byName: new Map(loaded.map(({ identity, verify }) => [identity.id, { identity, verify }])),
    verifyUnknown: passwordVerifier(dummyHash(usual), usual),
  };
}

/** The shape most users share (the first one on a tie), so that an unknown user costs what most known ones do. */
function mostCommonShape(shapes: readonly HashShape[]): HashShape {
  const counts = new Map<string, { shape: HashShape; count: number }>();
  for (const shape of shapes) {
    const entry = counts.get(shape.cost) ?? { shape, count: 0 };
    entry.count += 1;
    counts.set(shape.cost, entry);
  }
  let best: { shape: HashShape; count: number } | undefined;
  for (const entry of counts.values()) if (best === undefined || entry.count > best.count) best = entry;
  return best!.shape;
}
