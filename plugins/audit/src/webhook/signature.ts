import { createHmac } from 'node:crypto';

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
