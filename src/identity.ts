import { hash, stable } from './hash'
import { cleanObject, cleanValue, isTokenShaped, mapTraits, ownValue } from './traits'
import type { AuthStateLike, Claims, GroupsOption, Traits, TraitsOption } from './types'

/** What the bridge wants analytics to hold, derived from one Okta auth state. */
export type Desired =
  | { kind: 'unknown'; problem?: string }
  | { kind: 'anonymous' }
  | {
      kind: 'user'
      userId: string
      traits: Traits
      /** one `group()` call each */ groups: string[]
      user: string
      identity: string
      auth: string
    }

/** The compiled options that turn claims into an identity. */
export interface IdentityConfig {
  map: Readonly<Record<string, string | false>>
  traits?: Exclude<TraitsOption, Record<string, unknown>>
  userId?: (claims: Claims) => string
  groups?: GroupsOption
}

const unknown = (problem: string): Desired => ({ kind: 'unknown', problem })

const groupsOf = (claims: Claims, option: GroupsOption): string[] => {
  const from = option.from ?? 'groups'
  let raw = typeof from === 'function' ? from(claims) : ownValue(claims, from)
  if (typeof raw === 'string') raw = [raw]
  if (!Array.isArray(raw)) return []
  const { allow } = option
  const ok = (g: unknown): g is string =>
    typeof g === 'string' &&
    cleanValue(g) !== undefined &&
    (Array.isArray(allow) ? allow.includes(g) : (allow as RegExp).test(g))
  return [...new Set(raw.filter(ok))].sort()
}

/**
 * Pure: an auth state -> what analytics should hold. `unknown` (with a problem, if any) means
 * "do nothing": not evaluated yet, an error state, or claims that cannot make a user.
 * User functions may throw; the caller reports that.
 */
export const desiredFrom = (state: AuthStateLike | null, config: IdentityConfig): Desired => {
  if (!state || typeof state !== 'object') return unknown('')
  const token = state.idToken
  // tokens being signed out (signOut()): signed out, whatever else the state says
  const leaving = token?.pendingRemove || state.accessToken?.pendingRemove
  // An error (transformAuthState threw, say on /userinfo) may pass: wait for the next state. Not
  // while signing out: a transform calling /userinfo then fails on the revoked token.
  if (state.error && !leaving)
    return unknown(__DEV__ ? 'auth state has an error; waiting for the next one' : 'claims 2')
  if (!state.isAuthenticated || leaving) return { kind: 'anonymous' }
  const claims = token?.claims
  if (!claims || typeof claims !== 'object')
    return unknown(__DEV__ ? 'authenticated without ID token claims' : 'claims 3')
  const userId = config.userId ? config.userId(claims) : ownValue(claims, 'sub')
  if (typeof userId !== 'string' || !userId || userId.length > 256 || isTokenShaped(userId))
    return unknown(__DEV__ ? 'userId must be a non-empty string that is not token-shaped' : 'claims 4')
  let traits = mapTraits(claims, config.map)
  if (config.traits) {
    const computed = config.traits(claims, traits)
    if (!computed || typeof computed !== 'object')
      return unknown(__DEV__ ? 'traits() must return an object' : 'claims 5')
    traits = cleanObject(computed, Object.keys(computed)) ?? {}
  }
  let groups = config.groups ? groupsOf(claims, config.groups) : []
  if (config.groups && config.groups.send !== 'group') {
    traits.groups = groups
    groups = []
  }
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
