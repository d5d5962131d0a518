/** A backend call that failed; its message is written for the model (what failed, what to check). */
export class BackendFailure extends Error {
  override readonly name: string = 'BackendFailure';
}
