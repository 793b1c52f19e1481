// The generated module: its text (kept in fixtures/traits.ts, which `npm run typecheck` also
// compiles), the map that --check reads back from it, and what --check reports.
import { describe, expect, it } from 'vitest'
import { diffMaps, readTraitsMap } from '../../src/cli/check'
import { isCliError } from '../../src/cli/errors'
import { plan } from '../../src/cli/plan'
import { render } from '../../src/cli/render'
import { FIXTURE_ARGS } from './fixture-run'
import { appSchema, claim, claims, cli, schemaOf, userSchema } from './helpers'

const from = {
  schema: 'user-schema.json',
  claims: 'claims.json',
  command: 'npx okta-segment schema user-schema.json --claims claims.json',
}
const mapOf = (p: ReturnType<typeof plan>) => new Map(p.entries.map((e) => [e.claim, e.trait]))

describe('the generated module', () => {
  it('is the one in fixtures/traits.ts for the fixtures', async () => {
    const { status, stdout } = await cli(FIXTURE_ARGS)
    expect(status).toBe(0)
    await expect(stdout).toMatchFileSnapshot('./fixtures/traits.ts')
  })

  it('keeps every line within 120 characters but the command to copy', async () => {
    const { stdout } = await cli(['schema', 'user-schema.json', '--claims', 'claims.json'])
    expect(stdout.split('\n').filter((l) => l.length > 120 && !l.startsWith('//   npx okta-segment'))).toEqual([])
  })

  it('writes claim names, traits, titles and expressions from Okta as inert text', () => {
    const user = schemaOf({
      evil: { title: "*/ export const pwned = 1 /* ' \n", type: 'string', enum: ["'; x = 1; '"] },
    })
    const p = plan({
      user,
      claims: [claim("it's\n}, pwned: 'x", 'user.evil'), claim('q', 'user.nope */ \n export {}')],
    })
    const text = render(p, { ...from, claims: 'claims.json\nexport const x = 1' })
    expect(text).not.toMatch(/^export const (pwned|x)/m)
    expect(text.match(/^export /gm)).toEqual(['export ', 'export '])
    expect(readTraitsMap(text, 't.ts')).toEqual(new Map([...mapOf(p)]))
    expect(readTraitsMap(text, 't.ts').get("it's\n}, pwned: 'x")).toBe('evil')
  })
})

describe('readTraitsMap', () => {
  it('reads back exactly the map it was written from', () => {
    const p = plan({ user: userSchema(), app: appSchema(), claims: claims() })
    expect(readTraitsMap(render(p, from), 'traits.ts')).toEqual(mapOf(p))
  })

  it('reads a hand-edited map: comments, double quotes, escapes, no trailing comma', () => {
    const source = `export const traits = { /* a */ email: "email", // b
      'zip\\u0041': 'address.postalCode', "x\\"y": false }`
    expect(readTraitsMap(source, 't.ts')).toEqual(
      new Map<string, string | false>([
        ['email', 'email'],
        ['zipA', 'address.postalCode'],
        ['x"y', false],
      ]),
    )
  })

  it.each([
    ['export const other = {}', /no `export const traits = \{`/],
    ['export const traits = { dept: 42 }', /the value of dept is not a trait name in quotes or false/],
    ["export const traits = { dept: 'x", /a string is not closed/],
    ["export const traits = { dept 'x' }", /expected a claim name and ':'/],
    ["export const traits = { a: 'x' b: 'y' }", /expected ',' or '}' after a/],
  ])('refuses %j, pointing at the generated form', (source, message) => {
    let error: unknown
    try {
      readTraitsMap(source, 't.ts')
    } catch (e) {
      error = e
    }
    expect(isCliError(error)).toBe(true)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).toMatch(/^t\.ts: .*--check reads the `export const traits = \{ \.\.\. \}`/)
  })
})

describe('diffMaps', () => {
  it('lists added, changed and removed claims with the reason from Okta', () => {
    const want = new Map<string, string | false>([
      ['email', 'email'],
      ['ssn', false],
      ['zip', 'address.postalCode'],
    ])
    const have = new Map<string, string | false>([
      ['email', 'email'],
      ['ssn', 'ssn'],
      ['dept', 'department'],
    ])
    const why = new Map([
      ['ssn', 'ssn is marked sensitive'],
      ['zip', 'user.zipCode'],
    ])
    expect(diffMaps(want, have, why)).toEqual([
      "  ~ ssn: 'ssn' -> false  (ssn is marked sensitive)",
      "  + zip: 'address.postalCode'  (user.zipCode)",
      "  - dept: 'department'  (no longer in Okta's schema or claims)",
    ])
    expect(diffMaps(want, new Map(want), why)).toEqual([])
  })
})
