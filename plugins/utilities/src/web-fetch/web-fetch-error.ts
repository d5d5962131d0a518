/** Why a fetch did not produce a response. Each message is written for the model that asked. */
export type WebFetchErrorCode = 'BLOCKED' | 'BAD_URL' | 'BAD_REDIRECT' | 'TOO_MANY_REDIRECTS' | 'TIMEOUT' | 'CANCELLED' | 'NETWORK';

export class WebFetchError extends Error {
  readonly code: WebFetchErrorCode;

  constructor(code: WebFetchErrorCode, message: string) {
    super(message);
    this.name = 'WebFetchError';
    this.code = code;
  }
}
