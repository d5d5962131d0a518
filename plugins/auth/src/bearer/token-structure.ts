// The security guide's structural rule for bearer tokens. It is only the first gate: it throws out garbage cheaply
// and before any parsing, and a token that passes must still be verified.
const JWT_SHAPE = /^[A-Za-z0-9\-_+]+\.[A-Za-z0-9\-_+]+\.[A-Za-z0-9\-_+]+$/;

export const MIN_TOKEN_LENGTH = 32;

/** True when `token` is header.payload.signature, each part non-empty `A-Z a-z 0-9 - _ +`, 32 characters or more. */
export function hasJwtStructure(token: string): boolean {
  return token.length >= MIN_TOKEN_LENGTH && JWT_SHAPE.test(token);
}
