/**
 * A mistake in what the command was given: a flag, a file, or Okta's answer to a live call. The
 * command prints its message without a stack trace and exits with 2.
 */
export class CliError extends Error {
  override readonly name = 'CliError'
}

/** Whether `e` is a `CliError` (also across copies of the module: checks `name`). */
export const isCliError = (e: unknown): e is CliError => e instanceof Error && e.name === 'CliError'
