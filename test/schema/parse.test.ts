// Reading Okta's JSON: the user schema, an app user schema and the claims list, and the clear
// errors for a file that is something else.
import { describe, expect, it } from 'vitest'
import { parseClaims, readClaim, whenIssued } from '../../src/cli/claims'
import { isCliError } from '../../src/cli/errors'
import { parseSchema } from '../../src/cli/okta-schema'
import { claim, claims, fixture, userSchema } from './helpers'

const failure = (f: () => unknown): string => {
  try {
    f()
  } catch (e) {
    expect(isCliError(e), String(e)).toBe(true)
    return (e as Error).message
  }
  throw new Error('expected a CliError')
}

describe('parseSchema', () => {
  it('reads base and custom attributes with their source', () => {
    const s = userSchema()
    expect(s.id).toBe('https://example.okta.com/meta/schemas/user/default')
    expect(s.attributes.size).toBe(31 + 14)
    expect(s.attributes.get('login')).toMatchObject({ source: 'base', property: { title: 'Username', type: 'string' } })
    expect(s.attributes.get('ssn')).toMatchObject({ source: 'custom', property: { sensitive: true } })
  })

  it.each([
    [
      'an error response',
      { errorCode: 'E0000011', errorSummary: 'Invalid token provided' },
      /Okta error response \(E0000011: Invalid token provided\)/,
    ],
    ['the claims', fixture('claims.json'), /is a list of claims \(give those with --claims\)/],
    ['a list', [1, 2], /is a list; save it from GET \/api\/v1\/meta\/schemas\/user\/default/],
    ['an app schema', fixture('app-schema.json'), /is an app user schema .*; give it with --app-schema/],
    ['some JSON', { name: 'user' }, /has no "definitions"; save it from GET/],
    [
      'base without properties',
      { definitions: { base: { type: 'object' } } },
      /"definitions\.base" has no "properties"/,
    ],
    ['empty definitions', { definitions: {} }, /neither "base" nor "custom" properties/],
    [
      'a bad attribute',
      { definitions: { custom: { properties: { a: 'string' } } } },
      /attribute "a" is "string", not a property object/,
    ],
  ])('refuses %s as the user schema, saying what it is', (_, json, message) => {
    expect(failure(() => parseSchema(json, 'schema.json', 'user'))).toMatch(
      new RegExp(`^schema\\.json is not an Okta user schema: .*${message.source}`),
    )
  })

  it('refuses the user schema as an app schema', () => {
    expect(failure(() => parseSchema(fixture('user-schema.json'), 'a.json', 'app'))).toMatch(
      /a\.json is not an Okta app user schema: it is the user schema .*give it as the first argument/,
    )
  })
})

describe('parseClaims', () => {
  it('reads the list as Okta returns it', () => {
    const list = claims()
    expect(list).toHaveLength(25)
    expect(list.find((c) => c.name === 'groups')).toMatchObject({ valueType: 'GROUPS', group_filter_type: 'REGEX' })
  })

  it.each([
    ['a schema', fixture('user-schema.json'), /it is a profile schema \(give the user schema as the first argument\)/],
    [
      'an error response',
      { errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: nope (AuthorizationServer)' },
      /E0000007/,
    ],
    ['an object', { claims: [] }, /expected the list GET \/api\/v1\/authorizationServers\/\{id\}\/claims returns/],
    ['an entry without a name', [{ claimType: 'IDENTITY' }], /entry 0 has no "name"/],
    [
      'scopes instead of claims',
      [{ name: 'openid', consent: 'IMPLICIT' }],
      /claim "openid" has neither "claimType" nor "valueType"/,
    ],
  ])('refuses %s, saying what it is', (_, json, message) => {
    expect(failure(() => parseClaims(json, 'claims.json'))).toMatch(
      new RegExp(`^claims\\.json is not an authorization server's claims: .*${message.source}`),
    )
  })
})

describe('readClaim', () => {
  it.each([
    ['user.department', { kind: 'attribute', profile: 'user', attribute: 'department' }],
    ['  user.profile.hireDate ', { kind: 'attribute', profile: 'user', attribute: 'hireDate' }],
    ['appuser.role', { kind: 'attribute', profile: 'app', attribute: 'role' }],
    ['user.firstName + " " + user.lastName', { kind: 'skip', reads: ['firstName', 'lastName'] }],
    ['user.isMemberOfGroupName("Admins")', { kind: 'skip', reason: expect.stringMatching(/^computed from groups/) }],
    [
      'Arrays.flatten(Groups.startsWith("OKTA", "app-", 100))',
      { kind: 'skip', reason: expect.stringMatching(/^computed from groups/) },
    ],
    ['', { kind: 'skip', reason: expect.stringMatching(/^computed \(empty\)/) }],
  ])('reads the expression %j', (value, read) => {
    expect(readClaim(claim('c', value))).toMatchObject(read)
  })

  it('skips protocol claims quietly and says why others are skipped', () => {
    expect(readClaim(claim('sub', 'user.login'))).toMatchObject({ kind: 'skip', quiet: true })
    expect(readClaim(claim('x', 'user.a', { valueType: 'SYSTEM' }))).toMatchObject({ kind: 'skip', quiet: true })
    expect(readClaim(claim('x', 'user.a', { claimType: undefined }))).toMatchObject({
      reason: 'claimType undefined: not known to reach the ID token',
    })
    expect(readClaim(claim('x', 'user.a', { valueType: 'CONSTANT' }))).toMatchObject({
      reason: 'valueType CONSTANT: not an expression',
    })
  })

  it('says when Okta puts a claim in the ID token, when not always', () => {
    expect(whenIssued(claim('c', 'user.a'))).toBe('')
    expect(
      whenIssued(claim('c', 'user.a', { conditions: { scopes: ['finance', 'hr'] }, alwaysIncludeInToken: false })),
    ).toBe('scope finance or hr; set "Include in token type: Always", or it is in /userinfo only')
  })
})
