// @vitest-environment happy-dom
// The generated module in a real connect(): the real okta-auth-js holds an ID token with the claims
// Okta would issue for the fixtures, the real analytics-next sends the identify, and what reaches the
// wire has the nested address and none of the attributes the module leaves out.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTab, secretsIn, useWorld } from '../helpers/bridge'
import { ISSUER } from '../helpers/jwt'
import { signIn } from '../helpers/okta'
import { generateModule } from './generated'

const world = useWorld()
let traits: Record<string, string | false>
let dir = ''
beforeAll(async () => {
  const generated = await generateModule()
  dir = generated.dir
  ;({ traits } = (await import(/* @vite-ignore */ generated.file)) as { traits: Record<string, string | false> })
})
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }))

const now = Math.floor(Date.now() / 1000)
const SECRET = { ssn: '010190-12345', salary: 987654, phone: '+47 912 34 567', badge: 'enc:v1:QmFkZ2VDb2Rl' }
// What an Okta authorization server puts in the ID token for the fixtures' user, scopes
// openid profile email phone groups finance (no address scope), and the custom claims.
const claims = {
  sub: '00u1ola0000000000001',
  ver: 1,
  iss: ISSUER,
  aud: 'test-client',
  iat: now,
  exp: now + 3600,
  auth_time: now - 5,
  jti: 'ID.ola',
  amr: ['pwd'],
  idp: '00o1idp0000000000000',
  nonce: 'nonce-ola-Q2x9',
  at_hash: 'ath_ola_Zk81',
  name: 'Ola Nordmann',
  given_name: 'Ola',
  family_name: 'Nordmann',
  preferred_username: 'ola@example.com',
  email: 'ola@example.com',
  email_verified: true,
  locale: 'nb-NO',
  zoneinfo: 'Europe/Oslo',
  updated_at: now - 86400,
  phone_number: SECRET.phone,
  department: 'Engineering',
  zip: '0150',
  country: 'NO',
  shirt_size: 'M',
  languages: ['nb', 'en'],
  clearance: 2,
  hire_date: '2021-08-16T00:00:00.000Z',
  seats: 3,
  contractor: false,
  nick: 'Ola',
  cost_center: 'CC-42',
  app_role: 'editor',
  'https://example.com/claims/division': 'Platform',
  ssn: SECRET.ssn,
  salary: SECRET.salary,
  mobile: SECRET.phone,
  badge: SECRET.badge,
  groups: ['Everyone', 'Engineering'],
  is_admin: true,
  email_domain: 'example.com',
  picture: 'https://example.com/ola.png', // connect() would map it by default; the module turns it off
}

const identifyOf = async (idClaims: Record<string, unknown>) => {
  const tab = await openTab(world, { bridge: { traits } })
  signIn(tab.okta, idClaims)
  await tab.sync()
  const identifies = tab.segment.sent.filter((e) => e.type === 'identify')
  expect(identifies).toHaveLength(1)
  return identifies[0]!.body
}

describe('the generated traits map in connect()', () => {
  it('sends the mapped traits, address nested, and nothing the module leaves out', async () => {
    const identify = await identifyOf(claims)
    expect(identify.userId).toBe(claims.sub)
    expect(identify.traits).toEqual({
      name: 'Ola Nordmann',
      firstName: 'Ola',
      lastName: 'Nordmann',
      username: 'ola@example.com',
      email: 'ola@example.com',
      locale: 'nb-NO',
      timezone: 'Europe/Oslo',
      nickName: 'Ola',
      address: { postalCode: '0150', country: 'NO' },
      department: 'Engineering',
      shirtSize: 'M',
      languages: ['nb', 'en'],
      clearanceLevel: 2,
      hireDate: '2021-08-16T00:00:00.000Z',
      seatCount: 3,
      isContractor: false,
      costCenter: 'CC-42',
      division: 'Platform',
      role: 'editor',
    })
    expect(identify.traits).not.toHaveProperty('postalCode')
    expect(identify.traits).not.toHaveProperty('avatar')
    expect(secretsIn(world, [...Object.values(SECRET).map(String), 'Everyone', claims.nonce, claims.at_hash])).toEqual(
      [],
    )
    expect(world.errors).toEqual([])
  })

  it('merges address.* claims into the OIDC address object when the app asks for the address scope', async () => {
    const address = {
      street_address: '1 Karl Johans gate',
      locality: 'Oslo',
      region: 'Oslo',
      postal_code: '0154',
      country: 'NO',
    }
    const identify = await identifyOf({ ...claims, address, zip: '0150' })
    expect(identify.traits.address).toEqual({
      street: '1 Karl Johans gate',
      city: 'Oslo',
      state: 'Oslo',
      postalCode: '0150',
      country: 'NO',
    })
    expect(Object.keys(identify.traits).filter((k) => /postal|street|city|zip/i.test(k))).toEqual([])
  })
})
