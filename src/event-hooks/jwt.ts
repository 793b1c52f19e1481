// The signed JWT Okta authenticates a Universal Logout request with (`Authorization: Bearer …`),
// verified with `jose` against the issuer's key set: signature, `iss`, `aud`, `exp`/`iat`, and the
// type Okta gives it. jose is loaded on first use (an optional peer dependency, like analytics-node).
import { OptionsError } from '../errors'

/** Okta's `typ` for these tokens; a plain `JWT` or none is accepted too. */
export const LOGOUT_TOKEN_TYPES: readonly string[] = ['global-token-revocation+jwt', 'JWT']

/** The verified claims, or why the token was refused (a credential problem: the answer is 401). */
export type Verified = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string }

export interface VerifierOptions {
  issuer: string
  audience: string | readonly string[]
  jwksUri: string
  /** Seconds of clock skew allowed on `exp`, `nbf` and `iat`. */
  clockTolerance: number
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

/** A verifier with its key set fetched on first use and cached by jose (refetched for an unknown `kid`). */
export function verifier(options: VerifierOptions): {
  ready: Promise<unknown>
  verify(token: string): Promise<Verified>
} {
  const loaded = import('jose').then(
    (jose: Jose) => ({ jose, keys: jose.createRemoteJWKSet(new URL(options.jwksUri)) }),
    (e: unknown) => Promise.reject(Object.assign(missing(), { cause: e })),
  )
  return {
    ready: loaded,
    async verify(token) {
      const { jose, keys } = await loaded
      try {
        const { payload, protectedHeader } = await jose.jwtVerify(token, keys, {
          issuer: options.issuer,
          audience: options.audience as string | string[],
          clockTolerance: options.clockTolerance,
          requiredClaims: ['exp', 'iat'],
        })
        if (protectedHeader.typ !== undefined && !LOGOUT_TOKEN_TYPES.includes(protectedHeader.typ))
          return { ok: false, reason: `token type ${protectedHeader.typ} is not a logout token` }
        return { ok: true, claims: payload }
      } catch (e) {
        // The key set could not be fetched or read: no verdict on the token, the caller answers 5xx.
        if (!(e instanceof jose.errors.JOSEError) || KEY_SET_UNAVAILABLE.has(e.code)) throw e
        return { ok: false, reason: e.code }
      }
    },
  }
}
