// The signed JWT Okta authenticates a Universal Logout request with (`Authorization: Bearer …`),
// verified with `jose` against the issuer's key set: signature, `iss`, `aud`, `exp`, `iat` (not in
// the future beyond the clock skew, not older than `maxTokenAge`), a `jti`, and the type Okta gives
// it. jose is loaded on first use (an optional peer dependency, like analytics-node).
import { OktaSegmentError, OptionsError } from '../errors'

/** Okta's `typ` for these tokens; a plain `JWT` or none is accepted too. */
export const LOGOUT_TOKEN_TYPES: readonly string[] = ['global-token-revocation+jwt', 'JWT']

/** The verified claims (`jti`, `iat`, `exp` among them), or why the token was refused (the answer is 401). */
export type Verified =
  | { ok: true; claims: Record<string, unknown> & { jti: string; iat: number; exp: number } }
  | { ok: false; reason: string }

export interface VerifierOptions {
  issuer: string
  audience: string | readonly string[]
  jwksUri: string
  /** Seconds of clock skew allowed on `exp`, `nbf` and `iat`. */
  clockTolerance: number
  /** Seconds after `iat` a token is refused. */
  maxTokenAge: number
  /** Ms the key set may take to arrive. */
  timeout: number
}

type Jose = typeof import('jose')

// jose's codes for a key set that did not arrive (timeout, non-200, not a JWKS), as opposed to a bad token.
const KEY_SET_UNAVAILABLE: ReadonlySet<string> = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JOSE_GENERIC', 'ERR_JWKS_INVALID'])

const missing = () => new OptionsError('jose', "needs the package jose to verify Okta's JWT: `npm install jose`")

/** The JWKS URL of an Okta issuer: the org's (`/oauth2/v1/keys`) or a custom authorization server's (`/v1/keys`). */
export const jwksUriOf = (issuer: string): string => {
  const base = issuer.replace(/\/+$/, '')
  return /\/oauth2\/[^/]+$/.test(base) ? `${base}/v1/keys` : `${base}/oauth2/v1/keys`
}

// What went wrong with the key set, in words: no answer in time, not 200, not a key set, or the network's code.
const keySetFailure = (e: unknown, timeout: number): string => {
  const { code, message, cause } = (e ?? {}) as { code?: string; message?: string; cause?: unknown }
  if (code === 'ERR_JWKS_TIMEOUT') return `no answer within ${timeout} ms`
  const net = cause as { code?: string; message?: string; errors?: { code?: string }[] } | undefined
  const why = net?.code ?? net?.errors?.find((x) => x.code)?.code ?? net?.message?.slice(0, 100)
  return `${String(message ?? e).slice(0, 200)}${why ? ` (${why})` : ''}`
}

/** A verifier with its key set fetched on first use and cached by jose (refetched for an unknown `kid`). */
export function verifier(options: VerifierOptions): {
  ready: Promise<unknown>
  verify(token: string): Promise<Verified>
} {
  const loaded = import('jose').then(
    (jose: Jose) => ({
      jose,
      keys: jose.createRemoteJWKSet(new URL(options.jwksUri), { timeoutDuration: Math.ceil(options.timeout) }),
    }),
    (e: unknown) => Promise.reject(Object.assign(missing(), { cause: e })),
  )
  const unavailable = (e: unknown) =>
    new OktaSegmentError(
      'auth',
      `okta-segment: Universal Logout: the key set ${options.jwksUri} could not be read ` +
        `(${keySetFailure(e, options.timeout)}): answered 503 until it can`,
      e,
    )
  return {
    ready: loaded,
    async verify(token) {
      const { jose, keys } = await loaded
      let verified: Awaited<ReturnType<Jose['jwtVerify']>>
      try {
        verified = await jose.jwtVerify(token, keys, {
          issuer: options.issuer,
          audience: options.audience as string | string[],
          clockTolerance: options.clockTolerance,
          maxTokenAge: options.maxTokenAge,
          requiredClaims: ['exp', 'iat'],
        })
      } catch (e) {
        // The key set could not be fetched or read: no verdict on the token, the caller answers 5xx.
        if (!(e instanceof jose.errors.JOSEError) || KEY_SET_UNAVAILABLE.has(e.code)) throw unavailable(e)
        return { ok: false, reason: `${e.code}: ${e.message}` }
      }
      const { payload, protectedHeader } = verified
      if (protectedHeader.typ !== undefined && !LOGOUT_TOKEN_TYPES.includes(protectedHeader.typ))
        return { ok: false, reason: `token type ${protectedHeader.typ.slice(0, 50)} is not a logout token` }
      if (typeof payload.jti !== 'string' || !payload.jti)
        return { ok: false, reason: 'no jti: a replayed token could not be told from a new one' }
      return { ok: true, claims: payload as Record<string, unknown> & { jti: string; iat: number; exp: number } }
    },
  }
}
