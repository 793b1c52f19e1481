/**
 * Base class of every error okta-segment throws or reports to `onError`.
 * `code` says where it came from: `options`, `claims`, `analytics`, `storage`, `auth`; in the server
 * entry also `request`, `mapping`, `okta-api`, `delivery`.
 * @example
 * connect({ auth, analytics, onError: (e) => isOktaSegmentError(e) && report(e.code, e) })
 */
export class OktaSegmentError extends Error {
  override name: 'OktaSegmentError' | 'OptionsError' = 'OktaSegmentError'
  constructor(
    readonly code: string,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause })
  }
}

/** Thrown by `connect()` for an invalid option; the message says what to write instead. */
export class OptionsError extends OktaSegmentError {
  override name = 'OptionsError' as const
  constructor(
    readonly option: string,
    message: string,
  ) {
    super('options', `okta-segment: option \`${option}\` ${message}`)
  }
}

/** True for any error of okta-segment's, also across bundles. */
export const isOktaSegmentError = (e: unknown): e is OktaSegmentError =>
  e instanceof OktaSegmentError || (e instanceof Error && /^(OktaSegment|Options)Error$/.test(e.name))

/** True for an invalid-option error thrown by `connect()`. */
export const isOptionsError = (e: unknown): e is OptionsError =>
  e instanceof OptionsError || (e instanceof Error && e.name === 'OptionsError')
