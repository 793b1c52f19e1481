// The claims an Okta authorization server puts in the ID token for the OIDC scopes an app asks for
// ("scope-dependent claims"), with the user profile attributes they read. The claims API does not
// list them: it lists `sub` and the claims an admin added.

/** A standard claim, its scope and the Okta profile attributes it reads. */
export interface StandardClaim {
  claim: string
  scope: string
  reads: readonly string[]
  /** the OIDC `address` object: Segment `address` field -> its attribute (connect() renames the fields) */
  fields?: Readonly<Record<string, string>>
}

/** Okta's standard ID-token claims that carry profile attributes (`email_verified` and `updated_at` carry none). */
export const STANDARD_CLAIMS: readonly StandardClaim[] = [
  { claim: 'name', scope: 'profile', reads: ['firstName', 'lastName'] },
  { claim: 'given_name', scope: 'profile', reads: ['firstName'] },
  { claim: 'family_name', scope: 'profile', reads: ['lastName'] },
  { claim: 'middle_name', scope: 'profile', reads: ['middleName'] },
  { claim: 'nickname', scope: 'profile', reads: ['nickName'] },
  { claim: 'preferred_username', scope: 'profile', reads: ['login'] },
  { claim: 'profile', scope: 'profile', reads: ['profileUrl'] },
  { claim: 'zoneinfo', scope: 'profile', reads: ['timezone'] },
  { claim: 'locale', scope: 'profile', reads: ['locale'] },
  { claim: 'email', scope: 'email', reads: ['email'] },
  { claim: 'phone_number', scope: 'phone', reads: ['mobilePhone'] },
  {
    claim: 'address',
    scope: 'address',
    reads: ['streetAddress', 'city', 'state', 'zipCode', 'countryCode'],
    fields: { street: 'streetAddress', city: 'city', state: 'state', postalCode: 'zipCode', country: 'countryCode' },
  },
]
