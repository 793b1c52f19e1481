// Live mode (`--org` with OKTA_API_TOKEN) against a local server that answers like Okta's
// management API, including its failures: 401, 403, 404, 429, 500, a bad body, no server at all.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { orgOrigin } from '../../src/cli/okta-api'
import { cli } from './helpers'
import { startOkta, TOKEN, type FakeOkta } from './okta-server'

let okta: FakeOkta
let elsewhere: FakeOkta
beforeAll(async () => {
  ;[okta, elsewhere] = await Promise.all([startOkta(), startOkta()])
})
afterAll(() => Promise.all([okta.close(), elsewhere.close()]))
beforeEach(() => {
  okta.reset()
  okta.seen.length = 0
  elsewhere.seen.length = 0
})

const env = { OKTA_API_TOKEN: TOKEN }
const live = (args: string[], token: string | null = TOKEN) =>
  cli(['schema', '--org', okta.origin, ...args], { env: token === null ? {} : { OKTA_API_TOKEN: token } })

describe('live mode', () => {
  it('reads the schema and every page of the claims with the API token: the same module as from files', async () => {
    const fromOkta = await live([])
    expect(fromOkta.status).toBe(0)
    expect(okta.seen.map((s) => `${s.method} ${s.url}`).sort()).toEqual([
      'GET /api/v1/authorizationServers/default/claims',
      'GET /api/v1/authorizationServers/default/claims?after=ocl10&limit=10',
      'GET /api/v1/meta/schemas/user/default',
    ])
    for (const { headers } of okta.seen)
      expect(headers).toMatchObject({ authorization: `SSWS ${TOKEN}`, accept: 'application/json' })
    const fromFiles = await cli(['schema', 'user-schema.json', '--claims', 'claims.json'])
    const body = (s: string) => s.slice(s.indexOf('/**'))
    expect(body(fromOkta.stdout)).toBe(body(fromFiles.stdout))
    expect(fromOkta.stdout).toContain(`// Claims: ${okta.origin}/api/v1/authorizationServers/default/claims`)
    expect(fromOkta.stdout).toContain(`//   npx okta-segment schema --org ${okta.origin} --check <this file>`)
  })

  it('mixes a file with a live call, and reads the app schema with --app', async () => {
    const { status, stdout } = await cli(
      ['schema', 'user-schema.json', '--org', okta.origin, '--app', '0oa1exampleapp000001'],
      { env },
    )
    expect(status).toBe(0)
    expect(okta.seen.map((s) => s.url)).not.toContain('/api/v1/meta/schemas/user/default')
    expect(okta.seen.map((s) => s.url)).toContain('/api/v1/meta/schemas/apps/0oa1exampleapp000001/default')
    expect(stdout).toMatch(/^ {2}app_role: 'role', \/\/ appuser\.role$/m)
  })

  it('never sends the token to a next page on another origin', async () => {
    okta.answer('/api/v1/authorizationServers/default/claims', 200, [], {
      link: `<${elsewhere.origin}/steal>; rel="next"`,
    })
    const { status } = await live(['user-schema.json'])
    expect(status).toBe(0)
    expect(okta.seen.map((s) => s.url)).toEqual(['/api/v1/authorizationServers/default/claims'])
    expect(elsewhere.seen).toEqual([])
  })
})

describe('a live call that fails says the status and what to check, never the token', () => {
  it.each([
    [
      401,
      /failed: 401 Unauthorized \(E0000011: Invalid token provided\); check OKTA_API_TOKEN: an API token of this org/,
    ],
    [403, /failed: 403 Forbidden \(E0000006: You do not have permission\); the token's admin may not read this/],
    [404, /failed: 404 Not Found \(E0000007: Not found\); check --org \(your Okta domain\), --auth-server/],
    [429, /failed: 429 Too Many Requests \(E0000047: API call exceeded rate limit\); Okta's rate limit/],
    [500, /failed: 500 Internal Server Error \(E0000009: Internal Server Error\); Okta had a problem: try again later/],
  ])('%i', async (status, message) => {
    const codes: Record<number, [string, string]> = {
      401: ['E0000011', 'Invalid token provided'],
      403: ['E0000006', 'You do not have permission'],
      404: ['E0000007', 'Not found'],
      429: ['E0000047', 'API call exceeded rate limit'],
      500: ['E0000009', 'Internal Server Error'],
    }
    const [errorCode, errorSummary] = codes[status]!
    okta.answer('/api/v1/meta/schemas/user/default', status, { errorCode, errorSummary })
    const ran = await live(['--claims', 'claims.json'])
    expect(ran.status).toBe(2)
    expect(ran.stderr).toMatch(/^okta-segment: GET \/api\/v1\/meta\/schemas\/user\/default failed: /)
    expect(ran.stderr).toMatch(message)
    expect(ran.stderr + ran.stdout).not.toContain(TOKEN)
  })

  it('a wrong token: 401 from the real check', async () => {
    const ran = await live([], 'wrong-token')
    expect(ran.status).toBe(2)
    expect(ran.stderr).toMatch(/401 Unauthorized \(E0000011: Invalid token provided\)/)
  })

  it('an unknown authorization server: 404, pointing at --auth-server', async () => {
    const ran = await live(['user-schema.json', '--auth-server', 'aus1nope'])
    expect(ran.stderr).toMatch(
      /GET \/api\/v1\/authorizationServers\/aus1nope\/claims failed: 404 Not Found .*--auth-server/,
    )
  })

  it('an answer that is not JSON, or not a schema', async () => {
    okta.answer('/api/v1/meta/schemas/user/default', 200, '<html>Sign in</html>', { 'content-type': 'text/html' })
    expect((await live(['--claims', 'claims.json'])).stderr).toMatch(/answered 200 with something that is not JSON/)
    okta.answer('/api/v1/meta/schemas/user/default', 200, [])
    expect((await live(['--claims', 'claims.json'])).stderr).toMatch(
      new RegExp(`${okta.origin}/api/v1/meta/schemas/user/default is not an Okta user schema: it is a list`),
    )
  })

  it('no server at that address', async () => {
    const gone = await startOkta()
    await gone.close()
    const ran = await cli(['schema', '--org', gone.origin], { env })
    expect(ran.status).toBe(2)
    expect(ran.stderr).toMatch(
      new RegExp(`could not reach ${gone.origin} \\(ECONNREFUSED\\) for GET /api/v1/.*: check --org and the network`),
    )
  })

  it('no token', async () => {
    expect((await live([], null)).stderr).toMatch(/--org reads from Okta's API: set OKTA_API_TOKEN/)
    expect(okta.seen).toEqual([])
  })
})

describe('--org', () => {
  it.each([
    ['example.okta.com', /must be your Okta org's URL, such as https:\/\/example\.okta\.com/],
    ['http://example.okta.com', /must be an https:\/\/ URL \(the API token is sent to it\)/],
    ['https://example-admin.okta.com', /not the Admin Console's: drop "-admin" \(example\.okta\.com\)/],
    [
      'https://example.okta.com/oauth2/default',
      /without a path \(https:\/\/example\.okta\.com\); the authorization server goes in --auth-server/,
    ],
  ])('refuses %s', (org, message) => {
    expect(() => orgOrigin(org)).toThrow(message)
  })

  it('takes an https org, or http on this machine only', () => {
    expect(orgOrigin('https://example.okta.com/')).toBe('https://example.okta.com')
    expect(orgOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080')
  })
})
