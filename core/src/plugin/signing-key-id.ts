/**
 * The JWT `kid` of a token signed with version `version` of the stored secret `name`. Token generators write it;
 * the bearer strategy reads it to pick that version's key among the live ones during a rotation grace period.
 *
 * @example signingKeyId('jwt-signing-key', 3) // 'jwt-signing-key#3'
 */
export const signingKeyId = (name: string, version: number) => `${name}#${version}`;
