import { describe, expect, it } from 'vitest'
import { OKTA_PROFILE_TRAITS, setPath, traitFor } from '../../src/okta-profile'

describe('Okta profile -> Segment traits', () => {
  it('maps base attributes to reserved traits, nested ones as paths', () => {
    expect(traitFor('login')).toBe('username')
    expect(traitFor('mobilePhone')).toBe('phone')
    expect(traitFor('zipCode')).toBe('address.postalCode')
    expect(traitFor('department')).toBe('department')
    expect(traitFor('toString')).toBe('toString') // never an Object.prototype member
    expect(traitFor('constructor')).toBe('constructor')
    expect(Object.values(OKTA_PROFILE_TRAITS)).toContain('address.country')
  })
  it('sets dotted paths as nested objects and refuses prototype keys', () => {
    const t: Record<string, unknown> = { address: { city: 'Oslo' } }
    setPath(t, 'address.postalCode', '0150')
    setPath(t, 'email', 'a@example.com')
    setPath(t, '__proto__.polluted', true)
    setPath(t, 'x.__proto__', true)
    expect(t).toEqual({ address: { city: 'Oslo', postalCode: '0150' }, email: 'a@example.com', x: {} })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
