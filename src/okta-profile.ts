// Okta user-profile attribute -> Segment trait, for the server entry (event hooks) and the schema
// command: Segment's reserved traits where one exists, nested reserved traits as a dotted path
// (`address.postalCode`, `company.name`), every other attribute under its own name. Never imported
// by the browser entries.

/** Okta base profile attributes that have a Segment reserved trait, by the trait's path. */
export const OKTA_PROFILE_TRAITS: Readonly<Record<string, string>> = {
  login: 'username',
  email: 'email',
  firstName: 'firstName',
  lastName: 'lastName',
  displayName: 'name',
  title: 'title',
  mobilePhone: 'phone',
  streetAddress: 'address.street',
  city: 'address.city',
  state: 'address.state',
  zipCode: 'address.postalCode',
  countryCode: 'address.country',
  organization: 'company.name',
  profileUrl: 'website',
}

/**
 * Base attributes that never leave as traits, whatever the configuration: credentials and
 * secrets Okta keeps on the profile or beside it.
 */
export const OKTA_SECRET_ATTRIBUTES: ReadonlySet<string> = new Set([
  'password',
  'recovery_question',
  'recoveryQuestion',
  'credentials',
])

/** The Segment trait path for an Okta profile attribute: the reserved trait, else the attribute's own name. */
export const traitFor = (attribute: string): string =>
  Object.prototype.hasOwnProperty.call(OKTA_PROFILE_TRAITS, attribute) ? OKTA_PROFILE_TRAITS[attribute]! : attribute

/** Sets `value` at a dotted `path` in `target` (`address.postalCode` -> `{ address: { postalCode } }`). */
export const setPath = (target: Record<string, unknown>, path: string, value: unknown): void => {
  const keys = path.split('.')
  let at = target
  for (const key of keys.slice(0, -1)) {
    if (key === '__proto__') return
    const next = at[key]
    at = (at[key] = next && typeof next === 'object' && !Array.isArray(next) ? next : {}) as Record<string, unknown>
  }
  const last = keys[keys.length - 1]!
  if (last !== '__proto__') at[last] = value
}
