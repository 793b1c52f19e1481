import { describe, expect, it } from 'vitest'
import { desiredFrom, type IdentityConfig } from '../src/core/desired'
import { isTokenShaped } from '../src/core/traits'
import { groups as groupsPlugin } from '../src/plugins/groups'
import type { GroupsOption } from '../src/types'

/** The groups plugin's hook, as connect() gives it to desiredFrom. */
const groups = (o: GroupsOption) => groupsPlugin(o)({ analytics: [], report() {} }).groups

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'
const base: IdentityConfig = {}
const claims = {
  sub: '00u1alice',
  email: 'alice@example.com',
  name: 'Alice Liddell',
  given_name: 'Alice',
  family_name: 'Liddell',
  preferred_username: 'alice',
  phone_number: '+1 555 0100',
  address: { street_address: '1 Rabbit Hole', locality: 'Oxford', postal_code: 'OX1', country: 'UK', secret: 'x' },
  groups: ['Everyone', 'Admins'],
  nonce: 'n-0S6_WzA2Mj',
  at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q',
  amr: ['pwd'],
  iat: 1700000000,
  auth_time: 1699999990,
  department: 'R&D',
}
const state = (c: Record<string, unknown>, extra: object = {}) => ({
  isAuthenticated: true,
  idToken: { claims: c },
  ...extra,
})
const user = (d: ReturnType<typeof desiredFrom>) => {
  if (d.kind !== 'user') throw new Error(`expected a user, got ${JSON.stringify(d)}`)
  return d
}

describe('desiredFrom', () => {
  it('maps OIDC standard claims to Segment reserved traits, and nothing else', () => {
    const d = user(desiredFrom(state(claims), base))
    expect(d.userId).toBe('00u1alice')
    expect(d.traits).toEqual({
      email: 'alice@example.com',
      name: 'Alice Liddell',
      firstName: 'Alice',
      lastName: 'Liddell',
      username: 'alice',
      phone: '+1 555 0100',
      address: { street: '1 Rabbit Hole', city: 'Oxford', postalCode: 'OX1', country: 'UK' },
    })
  })

  it('is unknown before the first evaluation and for an error state; anonymous when signed out or pendingRemove', () => {
    expect(desiredFrom(null, base).kind).toBe('unknown')
    expect(desiredFrom({ error: new Error('x') }, base).kind).toBe('unknown')
    expect(desiredFrom(state(claims, { error: new Error('x') }), base).kind).toBe('unknown')
    // signOut() under way: a transformAuthState calling /userinfo fails on the revoked token
    const signingOut = { claims, pendingRemove: true }
    expect(desiredFrom({ isAuthenticated: false, idToken: signingOut, error: new Error('401') }, base).kind).toBe(
      'anonymous',
    )
    expect(desiredFrom({ isAuthenticated: false }, base).kind).toBe('anonymous')
    expect(desiredFrom(state(claims, { idToken: { claims, pendingRemove: true } }), base).kind).toBe('anonymous')
  })

  it('renames, drops and picks claims through the traits map', () => {
    const d = user(
      desiredFrom(state(claims), {
        traits: { given_name: 'first_name', phone_number: false, department: 'department' },
      }),
    )
    expect(d.traits.first_name).toBe('Alice')
    expect(d.traits).not.toHaveProperty('phone')
    expect(d.traits.department).toBe('R&D')
  })

  it('computes traits and userId with functions, still refusing token-shaped values', () => {
    const d = user(
      desiredFrom(state(claims), {
        userId: (c) => `okta|${String(c.sub)}`,
        traits: (c, t) => ({ email: t.email, plan: 'pro', leaked: JWT, nonce: c.nonce === 'x' ? 1 : 'ok' }),
      }),
    )
    expect(d.userId).toBe('okta|00u1alice')
    expect(d.traits).toEqual({ email: 'alice@example.com', plan: 'pro', nonce: 'ok' })
  })

  it('refuses a token-shaped value even when it is mapped', () => {
    const d = user(
      desiredFrom(state({ ...claims, email: JWT, custom: 'a'.repeat(20) + '0123456789ABCDEFGHIJ' }), {
        traits: { custom: 'custom' },
      }),
    )
    expect(d.traits).not.toHaveProperty('email')
    expect(d.traits).not.toHaveProperty('custom')
  })

  it('gives unknown with a reason for a missing, empty, non-string or token-shaped sub', () => {
    for (const sub of [undefined, '', 42, JWT, 'x'.repeat(300)]) {
      const d = desiredFrom(state({ ...claims, sub }), base)
      expect(d).toMatchObject({ kind: 'unknown', problem: expect.stringContaining('userId') })
    }
    expect(desiredFrom({ isAuthenticated: true }, base)).toMatchObject({
      kind: 'unknown',
      problem: expect.stringContaining('ID token'),
    })
  })

  it('never copies __proto__ or constructor keys onto traits', () => {
    const evil = JSON.parse(
      '{"sub":"u1","__proto__":{"polluted":1},"address":{"__proto__":{"polluted":2},"locality":"X"}}',
    )
    const d = user(desiredFrom(state(evil), { traits: { __proto__: 'p', constructor: 'c' } as never }))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(d.traits)).toBe(Object.prototype)
    expect(d.traits).toEqual({ address: { city: 'X' } })
  })

  it('keeps groups to the allowlist, as a trait or as group calls', () => {
    const asTrait = user(desiredFrom(state(claims), { ...base, groups: groups({ allow: ['Admins', 'Nope'] }) }))
    expect(asTrait.traits.groups).toEqual(['Admins'])
    expect(asTrait.groups).toEqual([])
    const asCalls = user(desiredFrom(state(claims), { ...base, groups: groups({ allow: /^Ev/, send: 'group' }) }))
    expect(asCalls.groups).toEqual(['Everyone'])
    expect(asCalls.traits).not.toHaveProperty('groups')
    for (const claim of ['Admins', 42, { Admins: true }]) {
      const d = user(
        desiredFrom(state({ ...claims, groups: claim }), { ...base, groups: groups({ allow: ['Admins'] }) }),
      )
      expect(d.traits.groups).toEqual(typeof claim === 'string' ? ['Admins'] : [])
    }
  })

  it('hashes identity and authentication: same claims and new tokens -> same hashes', () => {
    const a = user(desiredFrom(state(claims), base))
    const b = user(desiredFrom(state({ ...claims, iat: claims.iat + 3600, exp: 1, at_hash: 'other' }), base))
    expect(b.identity).toBe(a.identity)
    expect(b.auth).toBe(a.auth) // auth_time wins over iat
    const c = user(desiredFrom(state({ ...claims, email: 'new@example.com' }), base))
    expect(c.identity).not.toBe(a.identity)
    const noAuthTime = { ...claims, auth_time: undefined }
    expect(user(desiredFrom(state(noAuthTime), base)).auth).not.toBe(
      user(desiredFrom(state({ ...noAuthTime, iat: 1 }), base)).auth,
    )
  })
})

describe('isTokenShaped', () => {
  it('knows JWTs and opaque secrets from ordinary values', () => {
    for (const s of [
      JWT,
      `Bearer ${JWT}`,
      'abcdefghijklmnopqrstuvwxyz0123456789ABCD',
      'n-0S6_WzA2MjDlkfjweoiru823749823kjhsdf',
    ])
      expect(isTokenShaped(s)).toBe(true)
    for (const s of [
      'alice@example.com',
      '00u1abcdEFGH2345xyz6',
      'https://example.com/a/b.png',
      'Alice Liddell',
      '1990-01-01',
    ])
      expect(isTokenShaped(s)).toBe(false)
  })
})
