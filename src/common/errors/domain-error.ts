/**
 * The one error services throw. `code` is registered with defineErrors (status + Chinese message);
 * `details` is safe to show the client (field paths, current state, ids — never personal data).
 * Services never throw HttpException: the global filter turns codes into HTTP answers.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'DomainError';
  }
}
