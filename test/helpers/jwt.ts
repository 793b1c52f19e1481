/**
 * Token fixtures for the real okta-auth-js TokenManager, and a leak scanner.
 *
 * Observed with @okta/okta-auth-js 8.0.1 (browser ESM build):
 * - `tokenManager.setTokens()` only checks shape (`idToken` / `accessToken` string + `scopes` array,
 *   see oidc/util/validateToken.js); signatures and claims are never verified on that path, so the
 *   unsigned JWTs below are accepted. `claims` is taken as given, never decoded from the string.
 * - Expiry: `tokenManager.hasExpired()` subtracts `expireEarlySeconds` (default 30) from
 *   `expiresAt`, so a token with `expiresAt = now + 20` already counts as expired. With
 *   autoRenew/autoRemove off (see okta.ts), an expired token stays in storage and only makes
 *   `isAuthenticated` false.
 * - Every call returns a token string with a fresh random signature segment, so two tokens with
 *   identical claims still differ (as a renewal's do).
 */
import type { AccessToken, IDToken, UserClaims } from '@okta/okta-auth-js'

export const ISSUER = 'http://127.0.0.1:1/oauth2/default'
export const CLIENT_ID = 'test-client'
export const AUTHORIZE_URL = `${ISSUER}/v1/authorize`
export const USERINFO_URL = `${ISSUER}/v1/userinfo`
export const ID_TOKEN_SCOPES = ['openid', 'profile', 'email']

/** A JWT-shaped string: three base64url segments, the first starting with `eyJ` (`{"`). Not global. */
export const JWT_RE = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/

const nowSec = (): number => Math.floor(Date.now() / 1000)

export function base64url(input: string | Uint8Array): string {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function randomSegment(): string {
  const bytes = new Uint8Array(32)
  crypto.getRandomValues(bytes)
  return base64url(bytes)
}

/** An unsigned-looking JWT (`alg: RS256` header, random signature bytes) for the given payload. */
export function makeJwt(payload: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const h = base64url(JSON.stringify({ alg: 'RS256', kid: 'test-key', typ: 'JWT', ...header }))
  return `${h}.${base64url(JSON.stringify(payload))}.${randomSegment()}`
}

export interface IdTokenOptions {
  /** seconds since epoch; default now + 3600 */
  expiresAt?: number
  scopes?: string[]
  issuer?: string
  clientId?: string
}

export function makeIdToken(claims: Record<string, unknown>, opts: IdTokenOptions = {}): IDToken {
  return {
    idToken: makeJwt(claims),
    claims: { ...claims } as UserClaims,
    expiresAt: opts.expiresAt ?? nowSec() + 3600,
    scopes: opts.scopes ?? [...ID_TOKEN_SCOPES],
    issuer: opts.issuer ?? ISSUER,
    clientId: opts.clientId ?? CLIENT_ID,
    authorizeUrl: AUTHORIZE_URL,
  }
}

export interface AccessTokenOptions {
  sub?: string
  expiresAt?: number
  scopes?: string[]
  /** true: an opaque random string instead of a JWT */
  opaque?: boolean
}

export function makeAccessToken(opts: AccessTokenOptions = {}): AccessToken {
  const sub = opts.sub ?? 'unknown-sub'
  const scopes = opts.scopes ?? [...ID_TOKEN_SCOPES]
  const expiresAt = opts.expiresAt ?? nowSec() + 3600
  const accessToken = opts.opaque
    ? `opaque.${randomSegment()}`
    : makeJwt({
        ver: 1,
        jti: `AT.${randomSegment().slice(0, 16)}`,
        iss: ISSUER,
        aud: 'api://default',
        iat: nowSec(),
        exp: expiresAt,
        cid: CLIENT_ID,
        sub,
        scp: scopes,
      })
  return {
    accessToken,
    claims: { sub } as UserClaims,
    expiresAt,
    tokenType: 'Bearer',
    scopes,
    authorizeUrl: AUTHORIZE_URL,
    userinfoUrl: USERINFO_URL,
  }
}

function standardClaims(user: {
  sub: string
  email: string
  given_name: string
  family_name: string
  groups: string[]
  nonce: string
}): Record<string, unknown> & { sub: string; email: string; nonce: string } {
  const iat = nowSec()
  return {
    sub: user.sub,
    email: user.email,
    email_verified: true,
    name: `${user.given_name} ${user.family_name}`,
    given_name: user.given_name,
    family_name: user.family_name,
    preferred_username: user.email,
    groups: user.groups,
    ver: 1,
    iss: ISSUER,
    aud: CLIENT_ID,
    iat,
    exp: iat + 3600,
    auth_time: iat - 5,
    jti: `ID.${user.sub}`,
    nonce: user.nonce,
    amr: ['pwd'],
    idp: '00o1idp0000000000000',
    at_hash: `ath_${user.sub.slice(-6)}_Q3vJ0Xk`,
  }
}

/** Okta-style claim sets. `nonce` and `at_hash` are protocol secrets that must never reach Segment. */
export const alice = standardClaims({
  sub: '00u1alice00000000001',
  email: 'alice@example.com',
  given_name: 'Alice',
  family_name: 'Anders',
  groups: ['Everyone', 'Admins'],
  nonce: 'nonce-alice-7Yc2kQ9x',
})
export const bob = standardClaims({
  sub: '00u2bob0000000000002',
  email: 'bob@example.com',
  given_name: 'Bob',
  family_name: 'Brown',
  groups: ['Everyone'],
  nonce: 'nonce-bob-3Hs8pL1w',
})

/**
 * Deep-scans a JSON-able value (objects, arrays, Maps/Sets, keys and string values, including JSON
 * inside strings) for JWT-shaped strings and for any of `secrets` (also in URI-encoded form).
 * Returns the distinct findings: the JWT matches and the literal secrets that occur.
 */
export function findSecrets(value: unknown, secrets: string[] = []): string[] {
  const found = new Set<string>()
  const seen = new WeakSet<object>()
  const jwtRe = new RegExp(JWT_RE.source, 'g')
  const needles = secrets.filter((s) => s.length > 0)
  const scanString = (s: string): void => {
    for (const m of s.match(jwtRe) ?? []) found.add(m)
    for (const secret of needles) {
      if (s.includes(secret) || s.includes(encodeURIComponent(secret))) found.add(secret)
    }
  }
  const visit = (v: unknown): void => {
    if (typeof v === 'string') return scanString(v)
    if (v === null || typeof v !== 'object') return
    if (seen.has(v)) return
    seen.add(v)
    if (v instanceof Map)
      return v.forEach((val, key) => {
        visit(key)
        visit(val)
      })
    if (v instanceof Set || Array.isArray(v)) return v.forEach((item) => visit(item))
    for (const [key, val] of Object.entries(v)) {
      scanString(key)
      visit(val)
    }
  }
  visit(value)
  return [...found]
}
