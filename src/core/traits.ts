import type { Claims, Traits } from '../types'

/** OIDC standard claims -> Segment reserved traits: the only claims that leave by default. */
export const DEFAULT_TRAITS: Readonly<Record<string, string>> = {
  email: 'email',
  name: 'name',
  given_name: 'firstName',
  family_name: 'lastName',
  preferred_username: 'username',
  phone_number: 'phone',
  picture: 'avatar',
  website: 'website',
  birthdate: 'birthday',
  gender: 'gender',
  address: 'address',
}

const ADDRESS: Readonly<Record<string, string>> = {
  street_address: 'street',
  locality: 'city',
  region: 'state',
  postal_code: 'postalCode',
  country: 'country',
}

const MAX_STRING = 2048

/** A JWT anywhere in the string, or one long run of token alphabet with letters and digits. */
export const isTokenShaped = (s: string): boolean =>
  /eyJ[\w-]{2,}\.[\w-]{2,}\./.test(s) || (/^[\w+/=.~-]{32,}$/.test(s) && /\d/.test(s) && /[a-z]/i.test(s))

/** A SHA-256 hex digest, as `hashTraits` writes: a hash of a value, not a credential. */
export const isDigest = (s: unknown): boolean => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s)

// An own, non-inherited value: claims are data from the network, never trusted for prototype keys.
export const ownValue = (o: unknown, key: string): unknown =>
  o && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, key) ? (o as Claims)[key] : undefined

/**
 * A value fit to leave as a trait, or `undefined`: strings (not token-shaped, not huge), finite
 * numbers, booleans, short arrays of those, and flat objects of those (the OIDC address).
 */
export const cleanValue = (v: unknown, depth = 0): unknown => {
  if (typeof v === 'string') return v.length <= MAX_STRING && !isTokenShaped(v) ? v : undefined
  if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v
  if (depth || !v || typeof v !== 'object') return undefined
  if (Array.isArray(v)) {
    const items = v.slice(0, 100).map((x) => cleanValue(x, 1))
    return items.every((x) => x !== undefined) ? items : undefined
  }
  return cleanObject(v as Claims, Object.keys(v), 1)
}

// Copies the allowed keys into a fresh object, keys renamed through `map` when given.
export const cleanObject = (
  source: Claims,
  keys: readonly string[],
  depth = 0,
  map?: Readonly<Record<string, string | false>>,
): Traits | undefined => {
  const out: Traits = {}
  for (const key of keys) {
    const name = map ? map[key] : key
    if (!name || name === '__proto__' || key === '__proto__') continue
    const value = cleanValue(ownValue(source, key), depth)
    if (value !== undefined) out[name] = value
  }
  return Object.keys(out).length ? out : undefined
}

/** Claims -> traits through the claim map; the OIDC address object is mapped to Segment's; a dotted
 * trait name sets a nested trait. */
export const mapTraits = (claims: Claims, map: Readonly<Record<string, string | false>>): Traits => {
  const traits = cleanObject(claims, Object.keys(map), 0, map) ?? {}
  const address = ownValue(claims, 'address')
  if (map.address && address && typeof address === 'object') {
    const mapped = cleanObject(address as Claims, Object.keys(ADDRESS), 1, ADDRESS)
    if (mapped) traits[map.address] = mapped
    else delete traits[map.address]
  }
  // A dotted name (`address.postalCode`, one dot: see options.ts) is a nested trait, merged into its object.
  for (const path in traits) {
    const [head, key] = path.split('.') as [string, string?]
    if (!key) continue
    const at = traits[head]
    traits[head] = { ...(at === Object(at) && !Array.isArray(at) ? (at as Traits) : {}), [key]: traits[path] }
    delete traits[path]
  }
  return traits
}
