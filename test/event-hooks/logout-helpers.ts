// Universal Logout set-up: key pairs made here, an Okta org's key set on 127.0.0.1 (/oauth2/v1/keys),
// tokens signed as Okta signs them, the receiver on the real Node adapter and the collector.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import { beforeAll } from 'vitest'
import {
  createUniversalLogoutHandler,
  type LogoutSubject,
  type OktaSegmentError,
  type RevokeResult,
  type UniversalLogoutOptions,
} from '../../src/event-hooks'
import { WRITE_KEY, collector, later, serve } from './helpers'

export type Keys = Awaited<ReturnType<typeof generateKeyPair>>
export const keys: { okta: Keys; stranger: Keys } = {} as never

beforeAll(async () => {
  keys.okta = await generateKeyPair('RS256', { extractable: true })
  keys.stranger = await generateKeyPair('RS256', { extractable: true })
})

/** An Okta org's key set on 127.0.0.1: `mode` 'fail' answers 500, 'stall' never answers. */
export async function org() {
  const jwk = { ...(await exportJWK(keys.okta.publicKey)), kid: 'okta-key-1', alg: 'RS256', use: 'sig' }
  const state = { mode: 'ok' as 'ok' | 'fail' | 'stall', fetches: 0, issuer: '', jwksUri: '' }
  const server = http.createServer((req, res) => {
    state.fetches++
    if (state.mode === 'stall') return
    if (state.mode === 'fail' || req.url !== '/oauth2/v1/keys')
      return res.writeHead(state.mode === 'fail' ? 500 : 404).end()
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  later(() => new Promise((resolve) => server.close(resolve)))
  later(() => server.closeAllConnections())
  state.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  state.jwksUri = `${state.issuer}/oauth2/v1/keys`
  return state
}

export const AUDIENCE = 'https://app.example.com/okta/global-token-revocation'

/** What a test token may change; `iat` and `exp` in seconds since the epoch, `jti: null` leaves it out. */
export interface TokenClaims {
  iss?: string
  aud?: string
  exp?: string | number
  iat?: number
  jti?: string | null
  key?: Keys
  kid?: string
  typ?: string
}

export async function receiver(
  revoke: (s: LogoutSubject) => RevokeResult | Promise<RevokeResult>,
  extra: Partial<UniversalLogoutOptions> = {},
) {
  const o = await org()
  const c = await collector()
  const calls: LogoutSubject[] = []
  const errors: OktaSegmentError[] = []
  const handler = createUniversalLogoutHandler({
    issuer: o.issuer,
    audience: AUDIENCE,
    segment: { writeKey: WRITE_KEY, host: c.url },
    revoke: (subject) => {
      calls.push(subject)
      return revoke(subject)
    },
    onError: (e) => errors.push(e),
    ...extra,
  })
  later(() => handler.close(1000))
  const url = await serve(handler, '/okta/global-token-revocation')
  const token = (claims: TokenClaims = {}) => {
    const jti = claims.jti === undefined ? `jti-${Math.random().toString(36).slice(2)}` : claims.jti
    const jwt = new SignJWT(jti === null ? {} : { jti })
      .setProtectedHeader({
        alg: 'RS256',
        kid: claims.kid ?? 'okta-key-1',
        typ: claims.typ ?? 'global-token-revocation+jwt',
      })
      .setIssuer(claims.iss ?? o.issuer)
      .setAudience(claims.aud ?? AUDIENCE)
      .setSubject('0oa1client000000000001')
      .setIssuedAt(claims.iat)
      .setNotBefore('-1m')
      .setExpirationTime(claims.exp ?? '5m')
    return jwt.sign((claims.key ?? keys.okta).privateKey)
  }
  const post = async (body: unknown, jwt?: string | null, contentType = 'application/json') =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        ...(jwt === null ? {} : { authorization: `Bearer ${jwt ?? (await token())}` }),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  return { url, org: o, collector: c, calls, errors, post, token, handler }
}

/** The `iss_sub` body for the org's own issuer. */
export const issSub = (issuer: string, sub = '00u1qw6mqitPHM8AJ0g7') => ({
  subject: { format: 'iss_sub', iss: issuer, sub },
})
export const EMAIL = { subject: { format: 'email', email: 'ada@example.com' } }
