// Shared set-up for the schema command's tests: the fixtures (written from Okta's documented
// shapes) and the command run in-process with its output captured.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseClaims, type OktaClaim } from '../../src/cli/claims'
import { parseSchema, type Attribute, type ProfileSchema, type SchemaProperty } from '../../src/cli/okta-schema'
import { run, type Io } from '../../src/cli/run'
import { FIXTURES } from './fixture-run'

export const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'))

export const userSchema = (): ProfileSchema => parseSchema(fixture('user-schema.json'), 'user-schema.json', 'user')
export const appSchema = (): ProfileSchema => parseSchema(fixture('app-schema.json'), 'app-schema.json', 'app')
export const claims = (): OktaClaim[] => parseClaims(fixture('claims.json'), 'claims.json')

/** A user schema holding just `properties` as custom attributes (and the base ones given). */
export const schemaOf = (
  custom: Record<string, SchemaProperty>,
  base: Record<string, SchemaProperty> = {},
): ProfileSchema =>
  parseSchema({ definitions: { base: { properties: base }, custom: { properties: custom } } }, 'test', 'user')

export const attribute = (
  name: string,
  property: SchemaProperty,
  source: Attribute['source'] = 'custom',
): Attribute => ({ name, source, property })

/** An ID-token claim reading `value` (Okta's shape: IDENTITY, EXPRESSION, active). */
export const claim = (name: string, value: string, extra: Partial<OktaClaim> = {}): OktaClaim => ({
  name,
  status: 'ACTIVE',
  claimType: 'IDENTITY',
  valueType: 'EXPRESSION',
  value,
  alwaysIncludeInToken: true,
  conditions: { scopes: [] },
  ...extra,
})

export interface Ran {
  status: number
  stdout: string
  stderr: string
}

/** Runs `okta-segment <argv>` in-process, in `cwd` (default: the fixtures). */
export const cli = async (argv: readonly string[], io: Partial<Io> = {}): Promise<Ran> => {
  let stdout = ''
  let stderr = ''
  const status = await run(argv, {
    cwd: FIXTURES,
    env: {},
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    ...io,
  })
  return { status, stdout, stderr }
}
