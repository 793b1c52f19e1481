// createUniversalLogoutHandler()'s options, and their checks: what Okta's request names (the subject),
// what revoke() may answer, the token rules (skew, age, replay) and the issuers a subject may name.
import { jwksUriOf } from './jwt'
import { check, checkDelivery, isFn, isRecord, isServiceUrl, isText, onlyKnown } from './options'
import { memoryReplayStore, type ReplayStore } from './replay'
import type { OktaSegmentError } from '../errors'
import type { DeliveryOptions } from './types'

/** Whom Okta asks to sign out: Subject Identifiers for Security Event Tokens, `email` or `iss_sub`. */
export type LogoutSubject = { format: 'email'; email: string } | { format: 'iss_sub'; iss: string; sub: string }

/** What `revoke()` found: signed out (with the Segment userId, if you know it), or why not. */
export type RevokeResult = void | { userId?: string } | 'not_found' | 'forbidden'

/** `createUniversalLogoutHandler()`'s options. */
export interface UniversalLogoutOptions extends DeliveryOptions {
  /** The JWT's `iss`: your Okta org, `https://example.okta.com`. */
  issuer: string
  /** The JWT's `aud`: this endpoint's URL as configured in Okta. */
  audience: string | readonly string[]
  /** Ends the subject's sessions and refresh tokens in your app. A throw answers 422. */
  revoke: (subject: LogoutSubject, context: { claims: Record<string, unknown> }) => RevokeResult | Promise<RevokeResult>
  /** The issuer's key set. Default `<issuer>/oauth2/v1/keys` (`<issuer>/v1/keys` for a custom authorization server). */
  jwksUri?: string
  /** Seconds of clock skew allowed on `exp`, `nbf` and `iat`. Default 30. */
  clockTolerance?: number
  /** Seconds after its `iat` a token is refused, even if its `exp` is later. Default 300. */
  maxTokenAge?: number
  /** Where accepted tokens' `jti`s are remembered, to refuse a replay. Default: this process's memory (one instance). */
  replayStore?: ReplayStore
  /** The `iss` an `iss_sub` subject may name (your org, a custom authorization server's issuer). Default `issuer`. */
  subjectIssuer?: string | readonly string[]
  /** The track sent for a signed-out user (`reason: 'universal_logout'`), or `false`. Default `Signed Out`. */
  signedOut?: string | false
}

const KNOWN = [
  'issuer',
  'audience',
  'revoke',
  'jwksUri',
  'clockTolerance',
  'maxTokenAge',
  'replayStore',
  'subjectIssuer',
  'signedOut',
  'segment',
  'analytics',
  'timeout',
  'onError',
]

/** The checked options, with their defaults. */
export interface LogoutConfig {
  issuer: string
  audience: string | readonly string[]
  revoke: UniversalLogoutOptions['revoke']
  jwksUri: string
  clockTolerance: number
  maxTokenAge: number
  replayStore: ReplayStore
  subjectIssuers: ReadonlySet<string>
  signedOut: string | false
  report: (error: OktaSegmentError) => void
  timeout: number
}

const seconds = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0
const noSlash = (url: string) => url.replace(/\/+$/, '')

export function logoutConfig(options: UniversalLogoutOptions): LogoutConfig {
  check(isRecord(options), 'options', 'must be an object')
  onlyKnown(options as unknown as Record<string, unknown>, KNOWN)
  const { issuer, audience, revoke, clockTolerance = 30, maxTokenAge = 300, signedOut = 'Signed Out' } = options
  const { jwksUri = jwksUriOf(String(issuer)), replayStore = memoryReplayStore(), subjectIssuer = issuer } = options
  check(isServiceUrl(issuer), 'issuer', "must be your Okta org's URL, https://example.okta.com")
  check(
    isText(audience) || (Array.isArray(audience) && audience.every(isText)),
    'audience',
    "must be this endpoint's URL as Okta calls it",
  )
  check(isFn(revoke), 'revoke', 'must be a function (subject) => void | { userId } | "not_found" | "forbidden"')
  check(isServiceUrl(jwksUri), 'jwksUri', 'must be an https URL')
  check(seconds(clockTolerance), 'clockTolerance', 'must be a number of seconds')
  check(seconds(maxTokenAge) && maxTokenAge > 0, 'maxTokenAge', 'must be a number of seconds above 0')
  check(isRecord(replayStore) && isFn(replayStore.seen), 'replayStore', 'must be { seen(jti, until) => boolean }')
  const issuers = typeof subjectIssuer === 'string' ? [subjectIssuer] : subjectIssuer
  check(Array.isArray(issuers) && issuers.every(isText), 'subjectIssuer', 'must be an issuer URL, or a list of them')
  check(signedOut === false || isText(signedOut), 'signedOut', 'must be an event name or false')
  const { report, timeout } = checkDelivery(options, 2900)
  const subjectIssuers = new Set(issuers.map(noSlash))
  return {
    issuer,
    audience,
    revoke,
    jwksUri,
    clockTolerance,
    maxTokenAge,
    replayStore,
    subjectIssuers,
    signedOut,
    report,
    timeout,
  }
}

/** The subject of Okta's request body (`subject`, or `sub_id` in the later IETF draft), if well-formed. */
export const subjectOf = (body: unknown): LogoutSubject | undefined => {
  const s = isRecord(body) ? (body.subject ?? body.sub_id) : undefined
  if (!isRecord(s)) return undefined
  if (s.format === 'email' && isText(s.email)) return { format: 'email', email: s.email }
  if (s.format === 'iss_sub' && isText(s.iss) && isText(s.sub)) return { format: 'iss_sub', iss: s.iss, sub: s.sub }
  return undefined
}

/** Whether an `iss_sub` subject names an issuer this endpoint accepts (an email subject names none). */
export const acceptedIssuer = (subject: LogoutSubject, config: LogoutConfig): boolean =>
  subject.format !== 'iss_sub' || config.subjectIssuers.has(noSlash(subject.iss))
