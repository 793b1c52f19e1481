// createUniversalLogoutHandler(): Okta's Universal Logout request -> your revoke() -> `Signed Out`.
//
// Okta POSTs `{ "subject": { "format": "email" | "iss_sub", … } }` (`sub_id` in the later IETF draft)
// with `Authorization: Bearer <JWT>` signed by the issuer. Answers, as Okta's spec says (it reads only
// the status): 401 bad, missing, stale or replayed token · 400 malformed body, unknown subject format,
// or a subject of another issuer · 404 no such user · 403 not allowed · 422 revoke() failed · 204
// signed out · 503 the key set (or the replay store) could not be read. The token is checked first.
import { OktaSegmentError } from '../errors'
import { empty, isJson, json, parseJson, readText } from './http'
import { verifier } from './jwt'
import {
  acceptedIssuer,
  logoutConfig,
  subjectOf,
  type LogoutConfig,
  type RevokeResult,
  type UniversalLogoutOptions,
} from './logout-options'
import { messageIdOf, sourceKey } from './message-id'
import { isRecord, isText } from './options'
import { delivery } from './segment'
import type { RequestHandler } from './types'

export type { LogoutSubject, RevokeResult, UniversalLogoutOptions } from './logout-options'

const MAX_BODY_BYTES = 16 * 1024

const refused = (status: number, error: string, headers: Record<string, string> = {}) =>
  json(status, { error }, headers)
const invalidToken = () => refused(401, 'invalid token', { 'www-authenticate': 'Bearer error="invalid_token"' })

// Seconds since the epoch until which a token's jti must be remembered: after that it is refused anyway.
const rememberUntil = (claims: { iat: number; exp: number }, config: LogoutConfig) =>
  Math.min(claims.exp, claims.iat + config.maxTokenAge) + config.clockTolerance

/**
 * A Universal Logout endpoint: verifies Okta's signed JWT against the issuer's keys (and refuses a
 * replayed one), calls your `revoke(subject)`, sends `Signed Out { reason: 'universal_logout' }` and
 * answers as Okta's spec says.
 * @example
 * const logout = createUniversalLogoutHandler({ issuer, audience: 'https://app.example.com/okta/logout',
 *   segment: { writeKey }, revoke: async (subject) => ({ userId: await sessions.endAll(subject) }) })
 */
/* @__NO_SIDE_EFFECTS__ */
export function createUniversalLogoutHandler(options: UniversalLogoutOptions): RequestHandler {
  const config = logoutConfig(options)
  const { report, timeout } = config
  const tokens = verifier({ ...config, timeout })
  tokens.ready.catch((e: unknown) =>
    report(e instanceof OktaSegmentError ? e : new OktaSegmentError('options', String(e), e)),
  )
  const segment = delivery(options, report)
  const source = sourceKey(options.segment.writeKey)
  const refuseToken = (reason: string) => {
    report(new OktaSegmentError('auth', `okta-segment: Universal Logout token refused: ${reason}`))
    return invalidToken()
  }

  const signOut = async (userId: string, claims: { jti: string; iat: number }, left: number) => {
    if (config.signedOut === false) return
    const messageId = await messageIdOf(await source, `universal-logout\n${userId}\n${claims.jti}`)
    const message = {
      type: 'track' as const,
      event: config.signedOut,
      properties: { reason: 'universal_logout' },
      userId,
      timestamp: new Date(claims.iat * 1000).toISOString(),
      messageId,
    }
    const failed = await segment.send([message], AbortSignal.timeout(Math.max(1, left)))
    // the user is signed out either way: Okta hears 204
    if (failed)
      report(
        failed === 'aborted'
          ? new OktaSegmentError(
              'delivery',
              `okta-segment: Segment did not confirm the Signed Out in ${Math.round(left)} ms`,
            )
          : failed,
      )
  }

  const handle = async (request: Request, started: number): Promise<Response> => {
    if (request.method !== 'POST') return refused(405, 'method not allowed', { allow: 'POST' })
    const bearer = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]
    if (!bearer)
      return refused(401, 'a signed JWT is required (Authorization: Bearer)', { 'www-authenticate': 'Bearer' })
    const verified = await tokens.verify(bearer)
    if (!verified.ok) return refuseToken(verified.reason)
    const { claims } = verified
    let replayed: boolean
    try {
      replayed = await config.replayStore.seen(claims.jti, rememberUntil(claims, config))
    } catch (e) {
      report(
        new OktaSegmentError(
          'auth',
          'okta-segment: Universal Logout: replayStore.seen() failed: no verdict on the token, answered 503',
          e,
        ),
      )
      return refused(503, 'try again')
    }
    if (replayed) return refuseToken('replayed (its jti was accepted before)')
    if (!isJson(request.headers.get('content-type'))) return refused(400, 'content-type must be application/json')
    const body = parseJson(await readText(request, MAX_BODY_BYTES).catch(() => ''))
    if (body === undefined) return refused(400, 'body is not JSON')
    const subject = subjectOf(body)
    if (!subject) return refused(400, 'subject must be { format: "email", email } or { format: "iss_sub", iss, sub }')
    if (!acceptedIssuer(subject, config)) {
      report(
        new OktaSegmentError(
          'auth',
          'okta-segment: Universal Logout: the subject names an issuer not in `subjectIssuer`',
        ),
      )
      return refused(400, 'subject.iss is not an issuer this endpoint accepts')
    }
    let result: RevokeResult
    try {
      result = await config.revoke(subject, { claims })
    } catch (e) {
      report(new OktaSegmentError('auth', 'okta-segment: revoke() failed: the user could not be signed out', e))
      return refused(422, 'the user could not be signed out')
    }
    if (result === 'not_found') return refused(404, 'no such user')
    if (result === 'forbidden') return refused(403, 'not allowed to sign this user out')
    const userId =
      (isRecord(result) ? result.userId : undefined) ?? (subject.format === 'iss_sub' ? subject.sub : undefined)
    if (isText(userId)) await signOut(userId, claims, timeout - (Date.now() - started))
    else if (config.signedOut !== false)
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
