// createUniversalLogoutHandler(): Okta's Universal Logout request -> your revoke() -> `Signed Out`.
//
// Okta POSTs `{ "subject": { "format": "email" | "iss_sub", … } }` (`sub_id` in the later IETF draft)
// with `Authorization: Bearer <JWT>` signed by the issuer. Answers, as Okta's spec says (it reads only
// the status): 401 bad or missing token · 400 malformed or unknown subject format · 404 no such user
// · 403 not allowed · 422 revoke() failed · 204 signed out. The token is checked before the body.
import { OktaSegmentError } from '../errors'
import { empty, isJson, json, parseJson, readText } from './http'
import { jwksUriOf, verifier } from './jwt'
import { messageIdOf, sha256, sourceKey } from './message-id'
import { check, checkDelivery, isFn, isRecord, isServiceUrl, isText, onlyKnown } from './options'
import { delivery } from './segment'
import type { DeliveryOptions, RequestHandler } from './types'

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
  /** Seconds of clock skew allowed. Default 30. */
  clockTolerance?: number
  /** The track sent for a signed-out user (`reason: 'universal_logout'`), or `false`. Default `Signed Out`. */
  signedOut?: string | false
}

const KNOWN = [
  'issuer',
  'audience',
  'revoke',
  'jwksUri',
  'clockTolerance',
  'signedOut',
  'segment',
  'analytics',
  'timeout',
  'onError',
]
const MAX_BODY_BYTES = 16 * 1024

const subjectOf = (body: unknown): LogoutSubject | undefined => {
  const s = isRecord(body) ? (body.subject ?? body.sub_id) : undefined
  if (!isRecord(s)) return undefined
  if (s.format === 'email' && isText(s.email)) return { format: 'email', email: s.email }
  if (s.format === 'iss_sub' && isText(s.iss) && isText(s.sub)) return { format: 'iss_sub', iss: s.iss, sub: s.sub }
  return undefined
}

const refused = (status: number, error: string, headers: Record<string, string> = {}) =>
  json(status, { error }, headers)

/**
 * A Universal Logout endpoint: verifies Okta's signed JWT against the issuer's keys, calls your
 * `revoke(subject)`, sends `Signed Out { reason: 'universal_logout' }` and answers as Okta's spec says.
 * @example
 * const logout = createUniversalLogoutHandler({ issuer, audience: 'https://app.example.com/okta/logout',
 *   segment: { writeKey }, revoke: async (subject) => ({ userId: await sessions.endAll(subject) }) })
 */
/* @__NO_SIDE_EFFECTS__ */
export function createUniversalLogoutHandler(options: UniversalLogoutOptions): RequestHandler {
  check(isRecord(options), 'options', 'must be an object')
  onlyKnown(options as unknown as Record<string, unknown>, KNOWN)
  const {
    issuer,
    audience,
    revoke,
    jwksUri = jwksUriOf(String(issuer)),
    clockTolerance = 30,
    signedOut = 'Signed Out',
  } = options
  check(isServiceUrl(issuer), 'issuer', "must be your Okta org's URL, https://example.okta.com")
  check(
    isText(audience) || (Array.isArray(audience) && audience.every(isText)),
    'audience',
    "must be this endpoint's URL as Okta calls it",
  )
  check(isFn(revoke), 'revoke', 'must be a function (subject) => void | { userId } | "not_found" | "forbidden"')
  check(isServiceUrl(jwksUri), 'jwksUri', 'must be an https URL')
  check(typeof clockTolerance === 'number' && clockTolerance >= 0, 'clockTolerance', 'must be a number of seconds')
  check(signedOut === false || isText(signedOut), 'signedOut', 'must be an event name or false')
  const { report, timeout } = checkDelivery(options, 2900)
  const tokens = verifier({ issuer, audience, jwksUri, clockTolerance })
  tokens.ready.catch((e: unknown) =>
    report(e instanceof OktaSegmentError ? e : new OktaSegmentError('options', String(e), e)),
  )
  const segment = delivery(options, report)
  const source = sourceKey(options.segment.writeKey)

  const signOut = async (userId: string, token: string, claims: Record<string, unknown>, left: number) => {
    if (signedOut === false) return
    const at = typeof claims.iat === 'number' ? new Date(claims.iat * 1000).toISOString() : new Date().toISOString()
    const request = typeof claims.jti === 'string' ? claims.jti : await sha256(token)
    const messageId = await messageIdOf(await source, `universal-logout\n${userId}\n${request}`)
    const message = {
      type: 'track' as const,
      event: signedOut,
      properties: { reason: 'universal_logout' },
      userId,
      timestamp: at,
      messageId,
    }
    const failed = await segment.send([message], left)
    if (failed) report(failed) // the user is signed out either way: Okta hears 204
  }

  const handle = async (request: Request, started: number): Promise<Response> => {
    if (request.method !== 'POST') return refused(405, 'method not allowed', { allow: 'POST' })
    const bearer = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]
    if (!bearer)
      return refused(401, 'a signed JWT is required (Authorization: Bearer)', { 'www-authenticate': 'Bearer' })
    const verified = await tokens.verify(bearer)
    if (!verified.ok) {
      report(new OktaSegmentError('auth', `okta-segment: Universal Logout token refused: ${verified.reason}`))
      return refused(401, 'invalid token', { 'www-authenticate': 'Bearer error="invalid_token"' })
    }
    if (!isJson(request.headers.get('content-type'))) return refused(400, 'content-type must be application/json')
    const body = parseJson(await readText(request, MAX_BODY_BYTES).catch(() => ''))
    if (body === undefined) return refused(400, 'body is not JSON')
    const subject = subjectOf(body)
    if (!subject) return refused(400, 'subject must be { format: "email", email } or { format: "iss_sub", iss, sub }')
    let result: RevokeResult
    try {
      result = await revoke(subject, { claims: verified.claims })
    } catch (e) {
      report(new OktaSegmentError('auth', 'okta-segment: revoke() failed: the user could not be signed out', e))
      return refused(422, 'the user could not be signed out')
    }
    if (result === 'not_found') return refused(404, 'no such user')
    if (result === 'forbidden') return refused(403, 'not allowed to sign this user out')
    const userId =
      (isRecord(result) ? result.userId : undefined) ?? (subject.format === 'iss_sub' ? subject.sub : undefined)
    if (isText(userId)) await signOut(userId, bearer, verified.claims, timeout - (Date.now() - started))
    else if (signedOut !== false)
      report(
        new OktaSegmentError(
          'mapping',
          'okta-segment: no Segment userId for an email subject: return { userId } from revoke()',
        ),
      )
    return empty(204)
  }

  const handler = async (request: Request): Promise<Response> => {
    try {
      return await handle(request, Date.now())
    } catch (e) {
      report(
        e instanceof OktaSegmentError
          ? e
          : new OktaSegmentError('request', 'okta-segment: the Universal Logout handler failed', e),
      )
      return refused(e instanceof OktaSegmentError && e.code === 'options' ? 500 : 503, 'try again')
    }
  }
  return Object.assign(handler, { close: (t?: number) => segment.close(t) })
}
