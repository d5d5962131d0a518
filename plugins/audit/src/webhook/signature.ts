import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying the signature: `t=<unix seconds>,v1=<hex>`, as Stripe and Slack sign their webhooks. */
export const SIGNATURE_HEADER = 'cnmcp-signature';

/**
 * Signs `<t>.<body>` with HMAC-SHA256. The timestamp is inside what is signed (and inside the body), so a receiver
 * that rejects old timestamps refuses a replayed request, and a changed timestamp breaks the signature.
 *
 * @example signatureHeader('whsec-...', '{"type":"audit.event"}', 1764921600) // 't=1764921600,v1=5f1c...'
 */
export function signatureHeader(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does (docs/security/audit-webhook.md shows it standalone): recompute, compare in constant time,
 * refuse a timestamp further than `toleranceSeconds` from now.
 */
export function verifySignature(secret: string, header: string | undefined, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const timestamp = Number(match[1]);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureHeader(secret, body, timestamp).slice(`t=${timestamp},v1=`.length), 'hex');
  return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'));
}
