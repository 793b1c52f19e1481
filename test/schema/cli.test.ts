// `okta-segment schema` run in-process: output, --out, --check and every user error (a message
// that says what to do, exit status 2, never a stack trace).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { HELP } from '../../src/cli/args'
import { FIXTURES } from './fixture-run'
import { cli } from './helpers'

const work = mkdtempSync(join(tmpdir(), 'okta-segment-cli-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))
const files = ['schema', join(FIXTURES, 'user-schema.json'), '--claims', join(FIXTURES, 'claims.json')]
const STACK = /\n\s+at /

describe('output', () => {
  it('writes the module to standard output, and nothing else', async () => {
    const { status, stdout, stderr } = await cli(files)
    expect(status).toBe(0)
    expect(stdout).toMatch(/^export const traits = \{$/m)
    expect(stdout).toMatch(/^export interface OktaTraits \{$/m)
    expect(stderr).toBe('')
  })

  it('--out writes the file (creating its folder) and says what it holds', async () => {
    const out = join(work, 'src', 'generated', 'traits.ts')
    const { status, stdout, stderr } = await cli([...files, '--out', out])
    expect(status).toBe(0)
    expect(stdout).toBe('')
    expect(stderr).toMatch(
      /^Wrote .*traits\.ts: 24 claims mapped to traits, 9 turned off, 24 left out \(the module says why\)\.\n$/,
    )
    expect(readFileSync(out, 'utf8')).toBe((await cli(files)).stdout.replace('--check <this file>', `--check ${out}`))
  })

  it('--help prints the usage and exits 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['schema', '--help'], ['schema', '-h']]) {
      const { status, stdout } = await cli(argv)
      expect([status, stdout]).toEqual([0, HELP])
    }
    expect(HELP).toMatch(
      /--claims <claims\.json>.*\n[\s\S]*--org <url>[\s\S]*--check <file>[\s\S]*Exit status: 0 done, 1 --check/,
    )
  })
})

describe('--check', () => {
  const file = join(work, 'check', 'traits.ts')

  it('exits 0 when the file is current', async () => {
    expect((await cli([...files, '--out', file])).status).toBe(0)
    const { status, stderr } = await cli([...files, '--check', file])
    expect(status).toBe(0)
    expect(stderr).toMatch(/traits\.ts is current with Okta's schema and claims/)
  })

  it('exits 1 and says what differs when Okta changed, with the command that regenerates it', async () => {
    const claims = JSON.parse(readFileSync(join(FIXTURES, 'claims.json'), 'utf8')) as Record<string, unknown>[]
    const changed = claims
      .filter((c) => c.name !== 'department')
      .concat({ ...claims[1], name: 'dept', value: 'user.department' })
    const schema = JSON.parse(readFileSync(join(FIXTURES, 'user-schema.json'), 'utf8'))
    schema.definitions.custom.properties.shirtSize.sensitive = true
    writeFileSync(join(work, 'claims.json'), JSON.stringify(changed))
    writeFileSync(join(work, 'schema.json'), JSON.stringify(schema))
    const { status, stderr } = await cli(['schema', 'schema.json', '--claims', 'claims.json', '--check', file], {
      cwd: work,
    })
    expect(status).toBe(1)
    expect(stderr.split('\n')).toEqual([
      expect.stringMatching(/traits\.ts no longer matches Okta's schema and claims:$/),
      "  + dept: 'department'  (user.department)",
      "  ~ shirt_size: 'shirtSize' -> false  (shirtSize is marked sensitive)",
      "  - department: 'department'  (no longer in Okta's schema or claims)",
      `Regenerate it: npx okta-segment schema schema.json --claims claims.json --out ${file}`,
      '',
    ])
  })

  it('exits 2 when the file is not there or is not a generated module', async () => {
    writeFileSync(join(work, 'other.ts'), 'export const x = 1\n')
    expect(await cli([...files, '--check', join(work, 'missing.ts')])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--check: .*missing\.ts not found/),
    })
    expect(await cli([...files, '--check', join(work, 'other.ts')])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/no `export const traits = \{`/),
    })
  })
})

describe('user errors: a message, status 2, no stack trace', () => {
  mkdirSync(join(work, 'a-folder'), { recursive: true })
  writeFileSync(join(work, 'broken.json'), '{ "definitions": ')

  it.each([
    [[], /^okta-segment: no command given: write okta-segment schema <schema\.json> --claims <claims\.json>/],
    [['shema'], /unknown command 'shema': did you mean 'schema'\?/],
    [['schema', '--clams', 'x'], /unknown flag '--clams': did you mean '--claims'\?/],
    [['schema', '--auth_server=x'], /unknown flag '--auth_server=x': did you mean '--auth-server'\?/],
    [['schema', '--verbose'], /unknown flag '--verbose' \(see okta-segment schema --help\)$/m],
    [['schema', '-x'], /unknown flag '-x'/],
    [['schema', 'user-schema.json', '--claims'], /Option '--claims <value>' argument missing/],
    [['schema', 'a.json', 'b.json', '--claims', 'c.json'], /one schema file, please; got a\.json, b\.json/],
    [
      ['schema', '--claims', 'claims.json'],
      /no user schema: give the file saved from GET \/api\/v1\/meta\/schemas\/user\/default, or --org/,
    ],
    [
      ['schema', 'user-schema.json'],
      /no claims: give --claims <file> saved from GET \/api\/v1\/authorizationServers\/\{id\}\/claims, or --org/,
    ],
    [['schema', 'nope.json', '--claims', 'claims.json'], /user schema file not found: nope\.json/],
    [['schema', 'user-schema.json', '--claims', 'nope.json'], /claims file not found: nope\.json/],
    [
      ['schema', join(work, 'broken.json'), '--claims', 'claims.json'],
      /broken\.json is not JSON \(.*\): give the user schema exactly as Okta's API returned it/,
    ],
    [
      ['schema', join(work, 'a-folder'), '--claims', 'claims.json'],
      /cannot read user schema file .*a-folder \(EISDIR\)/,
    ],
    [
      ['schema', 'claims.json', '--claims', 'user-schema.json'],
      /claims\.json is not an Okta user schema: it is a list of claims/,
    ],
    [['schema', 'user-schema.json', '--claims', 'claims.json', '--out', 'x.ts', '--check', 'y.ts'], /give one of them/],
    [
      ['schema', 'user-schema.json', '--claims', 'claims.json', '--auth-server', 'aus1'],
      /--auth-server reads the claims live and --claims from a file: give one of them/,
    ],
    [
      ['schema', 'user-schema.json', '--claims', 'claims.json', '--app', '0oa1'],
      /--app reads the app user schema live: add --org/,
    ],
    [
      ['schema', 'user-schema.json', '--claims', 'claims.json', '--app', '0oa1', '--app-schema', 'app-schema.json'],
      /give one of them/,
    ],
    [
      ['schema', 'user-schema.json', '--claims', 'claims.json', '--out', join(work, 'broken.json', 'x.ts')],
      /cannot write .*x\.ts \((ENOTDIR|EEXIST)\)/,
    ],
  ])('%j', async (argv, message) => {
    const { status, stdout, stderr } = await cli(argv)
    expect(status).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^okta-segment: /)
    expect(stderr).toMatch(message)
    expect(stderr).not.toMatch(STACK)
  })

  it('a bug is reported as one, with its stack, status 3', async () => {
    const { status, stderr } = await cli(files, {
      stdout: () => {
        throw new TypeError('boom')
      },
    })
    expect(status).toBe(3)
    expect(stderr).toMatch(/^okta-segment: unexpected error \(please report it\): TypeError: boom/)
    expect(stderr).toMatch(STACK)
  })
})
