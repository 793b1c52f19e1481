// The claims list Okta's API returns carries Okta's own claims too (`"system": true`): the standard
// claims of the OIDC scopes (`email`, `given_name`…) and `sub`. A system claim is a standard claim and
// is mapped as one, whatever its valueType; it is never "the authorization server's own claim", nor
// the reason an attribute is left out. Fixture: fixtures/system-claims.json, in Okta's documented shape.
import { describe, expect, it } from 'vitest'
import { plan } from '../../src/cli/plan'
import { claim, cli, userSchema } from './helpers'

describe('okta-segment schema with Okta system claims in the list', () => {
  it('maps email (scope email) and given_name (scope profile) as standard claims, into the map and OktaTraits', async () => {
    const { status, stdout } = await cli(['schema', 'user-schema.json', '--claims', 'system-claims.json'])
    expect(status).toBe(0)
    const standard = stdout.slice(stdout.indexOf("// Okta's standard claims"), stdout.indexOf('// The authorization'))
    expect(standard).toContain("  email: 'email', // email (scope email)\n")
    expect(standard).toContain("  given_name: 'firstName', // firstName (scope profile)\n")
    const types = stdout.slice(stdout.indexOf('export interface OktaTraits'))
    expect(types).toMatch(/^ {2}email\?: string$/m)
    expect(types).toMatch(/^ {2}firstName\?: string$/m)
    expect(stdout).not.toMatch(/read only by claim (email|given_name)/)
    expect(stdout).not.toMatch(/^\s*(sub|email|given_name): .*\/\/ user\./m)
    // the admin's own claim is still one
    expect(stdout).toMatch(/^ {2}department: 'department', \/\/ user\.department$/m)
  })

  it('whatever the system claim says (SYSTEM, an expression, inactive), it is read as the standard claim', () => {
    const system = { system: true, conditions: { scopes: ['email'] } }
    for (const valueType of ['SYSTEM', 'EXPRESSION']) {
      const p = plan({ user: userSchema(), claims: [claim('email', 'user.email', { ...system, valueType })] })
      expect(p.entries.find((e) => e.claim === 'email')).toEqual({
        claim: 'email',
        trait: 'email',
        note: 'email (scope email)',
      })
    }
    const off = plan({
      user: userSchema(),
      claims: [claim('email', 'user.email', { ...system, valueType: 'SYSTEM', status: 'INACTIVE' })],
    })
    expect(off.entries.find((e) => e.claim === 'email')).toEqual({
      claim: 'email',
      trait: false,
      note: 'inactive in Okta',
    })
    expect(off.left.find((o) => o.what === 'attribute email')?.reason).toMatch(/not in the ID token/)
  })
})
