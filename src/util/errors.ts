/**
 * User-facing errors.
 *
 * A `PamError` carries one line a user can act on: it names the file, field, record or block
 * path at fault. The CLI prints its message alone (no stack trace) and exits non-zero; any other
 * error is a bug in this project and is printed with its stack.
 */
export class PamError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PamError'
  }
}

export const isPamError = (e: unknown): e is PamError => e instanceof PamError

/** Throws a `PamError` with `message`; handy in expression position. */
export const fail = (message: string): never => {
  throw new PamError(message)
}
