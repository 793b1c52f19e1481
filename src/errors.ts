/**
 * Where an error came from. In the browser bridge: `options` (thrown by `connect()`), `claims`
 * (bad claims, or a throwing `traits`/`userId`/`groups` function), `analytics` (a call threw or
 * rejected, or analytics did not load), `storage` (storage threw; memory is used), `filter` (a
 * filter threw, or cannot apply), `internal` (a bug of ours). In the server entry also `request`,
 * `mapping`, `okta-api`, `delivery` and `auth`.
 */
export type ErrorCode =
  | 'options'
  | 'claims'
  | 'analytics'
  | 'storage'
  | 'filter'
  | 'internal'
  | 'request'
  | 'mapping'
  | 'okta-api'
  | 'delivery'
  | 'auth'

/**
 * Base class of every error okta-segment throws or reports to `onError`; `code` says where it came
 * from (see `ErrorCode`).
 * @example
 * connect({ auth, analytics, onError: (e) => e.code === 'analytics' && console.warn(e.message) })
 */
export class OktaSegmentError extends Error {
  override name: 'OktaSegmentError' | 'OptionsError' = 'OktaSegmentError'
  constructor(
    readonly code: ErrorCode,
    message: string | false,
    cause?: unknown,
  ) {
    // the production build carries no messages: the code says where (README: Errors)
    super(message || `okta-segment: ${code}`, cause === undefined ? undefined : { cause })
  }
}

/** Thrown by `connect()` for an invalid option; the message says what to write instead. */
export class OptionsError extends OktaSegmentError {
  override name = 'OptionsError' as const
  constructor(
    readonly option: string,
    message: string | false,
  ) {
    // the production build carries no messages: the development build says what to write
    super('options', `okta-segment: option \`${option}\` ${message || 'is invalid (README: Errors)'}`)
  }
}

/** True for any error of okta-segment's, also across bundles. */
export const isOktaSegmentError = (e: unknown): e is OktaSegmentError =>
  e instanceof OktaSegmentError || (e instanceof Error && /^(OktaSegment|Options)Error$/.test(e.name))

/** True for an invalid-option error thrown by `connect()`. */
export const isOptionsError = (e: unknown): e is OptionsError =>
  e instanceof OptionsError || (e instanceof Error && e.name === 'OptionsError')
