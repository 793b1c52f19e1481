// The pure core of `okta-segment schema`: Okta's schema and claims -> the traits map, its types
// and what is left out (deny by default).
import { describe, expect, it } from 'vitest'
import { leftOutBecause } from '../../src/cli/attribute'
import { isCliError } from '../../src/cli/errors'
import { plan, type Plan } from '../../src/cli/plan'
import { DEFAULT_TRAITS } from '../../src/core/traits'
import { appSchema, claim, claims, schemaOf, userSchema } from './helpers'

const mapOf = (p: Plan) => Object.fromEntries(p.entries.map((e) => [e.claim, e.trait]))
const noteOf = (p: Plan, name: string) => p.entries.find((e) => e.claim === name)?.note
const leftOf = (p: Plan) => Object.fromEntries(p.left.map((o) => [o.what, o.reason]))
const typeAt = (p: Plan, path: string) => p.fields.find((f) => f.path.join('.') === path)?.type

describe('plan() from the fixtures (base + custom attributes, standard and custom claims)', () => {
  const p = plan({ user: userSchema(), app: appSchema(), claims: claims() })

  it('maps exactly the ID-token claims that carry a safe attribute, and turns off the rest', () => {
    expect(mapOf(p)).toEqual({
      // standard claims, mapped as connect() does (given_name -> firstName) or to the attribute's trait
      name: 'name',
      given_name: 'firstName',
      family_name: 'lastName',
      middle_name: 'middleName',
      nickname: 'nickName',
      preferred_username: 'username',
      profile: 'website',
      zoneinfo: 'timezone',
      locale: 'locale',
      email: 'email',
      phone_number: false,
      address: 'address',
      // connect() maps these by default; Okta issues none of them
      picture: false,
      website: false,
      birthdate: false,
      gender: false,
      // custom claims
      app_role: 'role',
      badge: false,
      clearance: 'clearanceLevel',
      contractor: 'isContractor',
      cost_center: 'costCenter',
      country: 'address.country',
      department: 'department',
      hire_date: 'hireDate',
      'https://example.com/claims/division': 'division',
      languages: 'languages',
      mobile: false,
      nick: 'nickName',
      office: 'office',
      salary: false,
      seats: 'seatCount',
      shirt_size: 'shirtSize',
      ssn: false,
      zip: 'address.postalCode',
    })
  })

  it('says why each claim is off', () => {
    expect(noteOf(p, 'ssn')).toBe('ssn is marked sensitive')
    expect(noteOf(p, 'salary')).toBe('salary is hidden (permission HIDE)')
    expect(noteOf(p, 'phone_number')).toBe('mobilePhone is hidden (permission HIDE)')
    expect(noteOf(p, 'badge')).toBe('badgeCode is hashed or encrypted')
    expect(noteOf(p, 'picture')).toMatch(/Okta issues no such claim/)
    expect(noteOf(p, 'cost_center')).toMatch(/scope finance.*Include in token type: Always/)
  })

  it('never maps a claim to a trait from an attribute that must stay out', () => {
    const user = userSchema()
    for (const e of p.entries.filter((e) => e.trait !== false && e.custom && !e.note.startsWith('appuser.'))) {
      const attribute = user.attributes.get(e.note.replace(/^user\.(\w+).*/, '$1'))
      expect(attribute, e.claim).toBeDefined()
      expect(leftOutBecause(attribute!), e.claim).toBeUndefined()
    }
  })

  it('leaves out group, access-token, computed, inactive and unknown claims, with the reason', () => {
    const left = leftOf(p)
    expect(left['claim groups']).toMatch(
      /^group claim \(REGEX "\.\*"\): send it with connect\(\{ groups: \{ from: 'groups', allow/,
    )
    expect(left['claim is_admin']).toMatch(
      /^computed from groups \(isMemberOfGroupName\("Admins"\)\): send groups with connect/,
    )
    expect(left['claim api_roles']).toMatch(/^access token only \(claimType RESOURCE\)/)
    expect(left['claim email_domain']).toMatch(/^computed \(String\.substringAfter\(user\.email, "@"\)\): .*by hand/)
    expect(left['claim manager_name']).toBe('inactive in Okta')
    expect(left['claim badge_owner']).toBe('reads user.badgeHolder, which the user schema does not have')
    expect(left).not.toHaveProperty('claim sub') // a protocol claim: the userId, not a trait
  })

  it('lists every attribute no claim carries, saying what to do', () => {
    const left = leftOf(p)
    expect(left['attribute favoriteColor']).toBe('not in the ID token: add a claim in Okta to send it')
    expect(left['attribute secondEmail']).toBe('not in the ID token: add a claim in Okta to send it')
    expect(left['attribute vpnSecret']).toBe('named like a secret; not in the ID token')
    expect(left['attribute legacyPin']).toBe('hidden (permission HIDE); not in the ID token')
    expect(left['attribute title']).toBe('read only by claim api_roles: add a claim in Okta to send it')
    const carried = ['email', 'zipCode', 'ssn', 'mobilePhone', 'department', 'shirtSize']
    expect(carried.filter((a) => `attribute ${a}` in left)).toEqual([])
  })

  it('types the traits: enums as unions, arrays, numbers, booleans, and address nested', () => {
    expect(typeAt(p, 'shirtSize')).toBe("'S' | 'M' | 'L' | 'XL'")
    expect(typeAt(p, 'languages')).toBe("('en' | 'nb' | 'de')[]")
    expect(typeAt(p, 'clearanceLevel')).toBe('1 | 2 | 3')
    expect(typeAt(p, 'seatCount')).toBe('number')
    expect(typeAt(p, 'isContractor')).toBe('boolean')
    expect(typeAt(p, 'hireDate')).toBe('string')
    expect(typeAt(p, 'role')).toBe("'viewer' | 'editor' | 'owner'")
    expect(typeAt(p, 'address.postalCode')).toBe('string')
    expect(p.fields.filter((f) => f.path[0] === 'address').map((f) => f.path[1])).toEqual(
      expect.arrayContaining(['street', 'city', 'state', 'postalCode', 'country']),
    )
    expect(p.fields.find((f) => f.path.join('.') === 'shirtSize')?.doc).toBe(
      "Shirt size ('S' Small, 'M' Medium, 'L' Large, 'XL' Extra large). Okta: shirtSize",
    )
    expect(p.fields.map((f) => f.path.join('.'))).not.toContain('ssn')
  })
})

describe('plan() edge cases', () => {
  const base = userSchema()

  it('reads appuser.* claims only against an app schema', () => {
    const without = plan({ user: base, claims: [claim('app_role', 'appuser.role')] })
    expect(mapOf(without)).not.toHaveProperty('app_role')
    expect(leftOf(without)['claim app_role']).toMatch(/give --app-schema/)
  })

  it('lets a custom ID-token claim replace a standard one of the same name, but not an access-token one', () => {
    const p = plan({
      user: base,
      claims: [claim('email', 'user.secondEmail'), claim('locale', 'user.title', { claimType: 'RESOURCE' })],
    })
    expect(p.entries.filter((e) => e.claim === 'email')).toEqual([
      { claim: 'email', trait: 'secondEmail', note: 'user.secondEmail', custom: true },
    ])
    expect(mapOf(p).locale).toBe('locale')
    expect(leftOf(p)['claim locale']).toMatch(/access token only/)
  })

  it('counts the ID-token claim when Okta has an access-token claim of the same name', () => {
    const p = plan({
      user: base,
      claims: [claim('dept', 'user.title', { claimType: 'RESOURCE' }), claim('dept', 'user.department')],
    })
    expect(mapOf(p).dept).toBe('department')
    expect(p.left.filter((o) => o.what === 'claim dept')).toEqual([])
  })

  it('turns off a claim whose trait another attribute already takes, or that would clobber a nested trait', () => {
    const user = schemaOf(
      { phone: { type: 'string' }, company: { type: 'string' } },
      { mobilePhone: { type: 'string' }, organization: { type: 'string' } },
    )
    const p = plan({
      user,
      claims: [claim('phone', 'user.phone'), claim('a_org', 'user.organization'), claim('b_company', 'user.company')],
    })
    expect(mapOf(p).phone_number).toBe('phone')
    expect(p.entries.find((e) => e.claim === 'phone')).toMatchObject({
      trait: false,
      note: 'trait phone is already taken by mobilePhone',
    })
    expect(mapOf(p).a_org).toBe('company.name')
    expect(p.entries.find((e) => e.claim === 'b_company')).toMatchObject({
      trait: false,
      note: 'trait company is already taken by company.* traits',
    })
  })

  it('two claims of one attribute share its trait', () => {
    const p = plan({ user: base, claims: [claim('zip', 'user.zipCode'), claim('postcode', 'user.zipCode')] })
    expect([mapOf(p).zip, mapOf(p).postcode]).toEqual(['address.postalCode', 'address.postalCode'])
    expect(p.fields.filter((f) => f.path.join('.') === 'address.postalCode').length).toBeGreaterThan(0)
  })

  it('never emits a prototype key as a claim or trait name', () => {
    const evil = JSON.parse(
      '[{"name":"__proto__","claimType":"IDENTITY","valueType":"EXPRESSION","value":"user.department"}]',
    )
    const user = schemaOf(
      JSON.parse('{"constructor":{"type":"string"},"__proto__":{"type":"string"},"toString":{"type":"string"}}'),
    )
    const p = plan({
      user,
      claims: [...evil, claim('c', 'user.constructor'), claim('t', 'user.toString'), claim('d', 'user.department')],
    })
    expect(p.entries.map((e) => e.claim)).not.toContain('__proto__')
    expect(p.entries.find((e) => e.claim === 'c')).toMatchObject({
      trait: false,
      note: 'constructor is not a usable trait name',
    })
    expect(leftOf(p)['claim __proto__']).toBe('not a usable claim name')
    expect(mapOf(p).t).toBe('toString') // an attribute's own name, not Object.prototype.toString
  })

  it('turns off standard claims whose attributes the schema lacks, and every default claim Okta does not issue', () => {
    const p = plan({ user: schemaOf({}, { email: { type: 'string' } }), claims: [] })
    expect(mapOf(p).email).toBe('email')
    expect(noteOf(p, 'nickname')).toBe('reads nickName, which the schema does not have')
    expect(Object.keys(DEFAULT_TRAITS).every((c) => c in mapOf(p))).toBe(true)
  })

  it('says when the claims read none of the schema attributes: files from two orgs', () => {
    let error: unknown
    try {
      plan({
        user: schemaOf({ a: { type: 'string' } }),
        claims: [claim('x', 'user.costCode'), claim('y', 'user.region')],
      })
    } catch (e) {
      error = e
    }
    expect(isCliError(error)).toBe(true)
    expect((error as Error).message).toMatch(
      /none of the attributes the claims read are in the schema: are both files from the same org\?/,
    )
  })
})
