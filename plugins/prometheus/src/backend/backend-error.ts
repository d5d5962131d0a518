/** A backend call that failed, with a message saying what failed and what to check. Becomes an `isError` result. */
export class BackendError extends Error {
  /** HTTP status when the backend answered, undefined when it could not be reached. */
  readonly status?: number;

  constructor(message: string, status?: number) {
    super(message);
    this.name = 'BackendError';
    if (status !== undefined) this.status = status;
  }
}
