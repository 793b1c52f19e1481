// The `traits` option's dotted trait names (`zipCode: 'address.postalCode'`): one nested trait,
// merged into its object, never a flat `postalCode`; validated at connect().
import { describe, expect, it } from 'vitest'
import { desiredFrom } from '../../src/core/desired'
import { DEFAULT_TRAITS, mapTraits } from '../../src/core/traits'
import { connect, isOptionsError, type Options } from '../../src/index'

const auth = { authStateManager: { getAuthState: () => null, subscribe() {}, unsubscribe() {} } }
const analytics = { identify() {}, track() {}, reset() {} }
/** The map desiredFrom applies for connect()'s `traits` object: merged over the defaults. */
const map = (traits: Record<string, string | false>) => ({ ...DEFAULT_TRAITS, ...traits })

describe('dotted trait names', () => {
  it('merge into the OIDC address object, and never leave a flat postalCode', () => {
    const claims = { address: { street_address: '1 Main St', locality: 'Oslo' }, zip: '0150', country: 'NO' }
    const traits = mapTraits(claims, map({ zip: 'address.postalCode', country: 'address.country' }))
    expect(traits).toEqual({ address: { street: '1 Main St', city: 'Oslo', postalCode: '0150', country: 'NO' } })
    expect(traits).not.toHaveProperty('postalCode')
    expect(traits).not.toHaveProperty(['address.postalCode'])
  })

  it('create the object when no claim made it, and fill other objects such as company', () => {
    const traits = mapTraits(
      { zip: '0150', org: 'Acme', dept: 'R&D' },
      { zip: 'address.postalCode', org: 'company.name', dept: 'department' },
    )
    expect(traits).toEqual({ address: { postalCode: '0150' }, company: { name: 'Acme' }, department: 'R&D' })
  })

  it('keep the value guards: a token-shaped or absent value sets nothing', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'
    expect(mapTraits({ zip: jwt, org: undefined }, { zip: 'address.postalCode', org: 'company.name' })).toEqual({})
  })

  it('replace a non-object value at the parent rather than spreading it', () => {
    const traits = mapTraits({ a: 'flat', b: 'x', c: ['y'] }, { a: 'company', b: 'company.name', c: 'tags' })
    expect(traits).toEqual({ company: { name: 'x' }, tags: ['y'] })
    expect(mapTraits({ c: ['y'], d: 'z' }, { c: 'list', d: 'list.item' })).toEqual({ list: { item: 'z' } })
  })

  it('go through desiredFrom and connect() options unchanged otherwise', () => {
    const state = { isAuthenticated: true, idToken: { claims: { sub: 'u1', email: 'a@example.com', zip: '0150' } } }
    const d = desiredFrom(state, { traits: { zip: 'address.postalCode' } })
    expect(d).toMatchObject({ kind: 'user', traits: { email: 'a@example.com', address: { postalCode: '0150' } } })
  })
})

describe('connect() validates dotted trait names', () => {
  const attempt = (traits: Record<string, unknown>) => {
    try {
      connect({ auth, analytics, traits } as Options).disconnect()
    } catch (e) {
      return e
    }
    return undefined
  }

  it.each([
    'address.__proto__',
    '__proto__.polluted',
    'constructor.x',
    'address.prototype',
    'constructor',
    'a.b.c',
    '.postalCode',
    'address.',
    '.',
  ])('rejects %j with a message that says what to write', (trait) => {
    const e = attempt({ zip: trait })
    expect(isOptionsError(e)).toBe(true)
    expect((e as Error).message).toMatch(
      /`traits`.*\.zip must be a trait name or false to drop it \(nested: 'address\.postalCode'\)/,
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('accepts one dot between two names, and plain names as before', () => {
    expect(
      attempt({ zip: 'address.postalCode', org: 'company.name', given_name: 'first_name', phone_number: false }),
    ).toBeUndefined()
  })
})
