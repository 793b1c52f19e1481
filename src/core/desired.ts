import { hash, stable } from './hash'
import { DEFAULT_TRAITS, cleanObject, isTokenShaped, mapTraits, ownValue } from './traits'
import type { AuthStateLike, Claims, Traits, TraitsOption } from '../types'

/** What the bridge wants analytics to hold, derived from one Okta auth state. */
export type Desired =
  | { kind: 'unknown'; problem?: string }
  | { kind: 'anonymous' }
  | {
      kind: 'user'
      userId: string
      traits: Traits
      /** one `group()` call each (the groups plugin) */ groups: string[]
      /** hashes: the user, the identity (userId, traits, groups), the authentication (app, user, auth_time) */
      user: string
      identity: string
      auth: string
    }

/** The options that turn claims into an identity (`connect()`'s, and the groups plugin's). */
export interface IdentityConfig {
  /** claim -> trait map merged over `DEFAULT_TRAITS`, or a function of the claims and the default traits */
  traits?: TraitsOption
  userId?: (claims: Claims) => string
  /** From the groups plugin: the groups to send as `group()` calls (it may set a `groups` trait instead). */
  groups?: (claims: Claims, traits: Traits) => string[]
}

const unknown = (problem: string): Desired => ({ kind: 'unknown', problem })

/** Pure: tokens marked for removal: a signOut() is under way (or was cut off by its redirect). */
export const signingOut = (s: Pick<AuthStateLike, 'idToken' | 'accessToken'> | null | undefined): boolean =>
  !!(s?.idToken?.pendingRemove || s?.accessToken?.pendingRemove)

/**
 * Pure: an auth state -> what analytics should hold. `unknown` (with a problem, if any) means
 * "do nothing": not evaluated yet, an error state, or claims that cannot make a user.
 * User functions may throw; the caller reports that.
 */
export const desiredFrom = (state: AuthStateLike | null, config: IdentityConfig): Desired => {
  if (!state || typeof state !== 'object') return unknown('')
  // tokens being signed out (signOut()): signed out, whatever else the state says
  const leaving = signingOut(state)
  // An error (transformAuthState threw, say on /userinfo) may pass: wait for the next state. Not
  // while signing out: a transform calling /userinfo then fails on the revoked token.
  if (state.error && !leaving)
    return unknown(__DEV__ ? 'auth state has an error; waiting for the next one' : 'claims 2')
  if (!state.isAuthenticated || leaving) return { kind: 'anonymous' }
  const claims = state.idToken?.claims
  if (!claims || typeof claims !== 'object')
    return unknown(__DEV__ ? 'authenticated without ID token claims' : 'claims 3')
  const userId = config.userId ? config.userId(claims) : ownValue(claims, 'sub')
  if (typeof userId !== 'string' || !userId || userId.length > 256 || isTokenShaped(userId))
    return unknown(__DEV__ ? 'userId must be a non-empty string that is not token-shaped' : 'claims 4')
  const option = config.traits
  let traits = mapTraits(claims, typeof option === 'object' ? { ...DEFAULT_TRAITS, ...option } : DEFAULT_TRAITS)
  if (typeof option === 'function') {
    const computed = option(claims, traits)
    if (!computed || typeof computed !== 'object')
      return unknown(__DEV__ ? 'traits() must return an object' : 'claims 5')
    traits = cleanObject(computed, Object.keys(computed)) ?? {}
  }
  const groups = config.groups?.(claims, traits) ?? []
  const at = ownValue(claims, 'auth_time') ?? ownValue(claims, 'iat')
  // Two apps in one Okta session share the user and auth_time: the issuer and audience tell them apart.
  const app = `${String(ownValue(claims, 'iss') ?? '')}|${String(ownValue(claims, 'aud') ?? '')}`
  return {
    kind: 'user',
    userId,
    traits,
    groups,
    user: hash(userId),
    identity: hash(stable([userId, traits, groups])),
    auth: hash(`${app}|${userId}@${typeof at === 'number' || typeof at === 'string' ? at : ''}`),
  }
}
