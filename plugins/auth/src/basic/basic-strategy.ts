import type { AuthStrategy } from '@cnmcp/core/plugin';
import type { LoadedUsers } from './load-users.js';
import { parseBasicAuthorization } from './parse-basic-credentials.js';

export const BASIC_CHALLENGE = 'realm="cnmcp", charset="UTF-8"';

/**
 * The `Basic` scheme (RFC 7617). A known and an unknown username cost the same: one verification at the usual hash
 * cost, ending in a constant-time comparison. Fail reasons go to the audit log; the subject is the claimed username.
 *
 * A wrong password is a guess at the claimed user's, so the username is the lockout's claimed subject: once locked,
 * the user is refused before any password is checked. Unknown usernames are claims like any other, so a lockout
 * does not tell which users exist.
 */
export function createBasicStrategy(users: LoadedUsers): AuthStrategy {
  return {
    scheme: 'Basic',
    challenge: () => BASIC_CHALLENGE,
    claimedSubject(request) {
      const credentials = parseBasicAuthorization(request.headers.authorization);
      return credentials.kind === 'present' ? credentials.username : undefined;
    },
    async authenticate(request) {
      const credentials = parseBasicAuthorization(request.headers.authorization);
      if (credentials.kind === 'absent') return { kind: 'none' };
      if (credentials.kind === 'malformed') return { kind: 'fail', reason: `malformed Basic credentials: ${credentials.why}` };
      const { username, password } = credentials;
      const user = users.byName.get(username);
      const matches = await (user?.verify ?? users.verifyUnknown)(password);
      if (user === undefined) return { kind: 'fail', reason: 'unknown user', subject: username };
      if (!matches) return { kind: 'fail', reason: 'wrong password', subject: username };
      return { kind: 'ok', identity: user.identity };
    },
  };
}
