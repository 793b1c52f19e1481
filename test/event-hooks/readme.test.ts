// The README's server section says what the handler does: its answers table agrees with the handler,
// the Next.js line passes Okta's verification (GET and POST), the shutdown order and what is never
// sent (IP address, user agent, the admin actor) are written down, and the last is true on the wire.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ROOT } from '../package/paths'
import { ADMIN, delivery, lifecycle, profileUpdate, sessionClear } from './fixtures'
import { SECRET, hook } from './helpers'

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const start = readme.indexOf('\n## Server: Okta Event Hooks and Universal Logout\n')
const server = readme.slice(start, readme.indexOf('\n## ', start + 1))
const answers = Object.fromEntries(
  [...server.matchAll(/^\| (.+?) \| (\d{3})\b.*\|$/gm)].map(([, request, status]) => [request!, Number(status)]),
)

describe('the answers table', () => {
  test('the secret row and the other-methods row say what the handler answers', async () => {
    const h = await hook()
    const secretRow = Object.keys(answers).find((r) => /wrong or missing secret/.test(r))
    const methodsRow = Object.keys(answers).find((r) => /other methods/.test(r))
    expect(secretRow, 'a row for a wrong secret').toBeDefined()
    expect(methodsRow, 'a row for other methods').toBeDefined()
    for (const method of ['GET', 'POST']) {
      const res = await fetch(h.url, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : undefined,
      })
      expect(res.status, `${method} without the secret`).toBe(answers[secretRow!])
    }
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(h.url, { method })
      expect(res.status, `${method} without the secret`).toBe(answers[methodsRow!])
      const withSecret = await fetch(h.url, { method, headers: { authorization: SECRET } })
      expect(withSecret.status, `${method} with the secret`).toBe(answers[methodsRow!])
    }
    // the secret row must not claim the methods the other row answers
    expect(secretRow).not.toMatch(/any method/)
  })
})

test('the Next.js route handler line exports GET (Okta verifies with a GET) as well as POST', () => {
  expect(server).toMatch(/export const GET = handler/)
  expect(server).toMatch(/export const POST = handler/)
})

test('the shutdown order is written: close the server first, then the handler', () => {
  expect(server).toMatch(/close the server[^.]*, then[^.]*handler\.close\(\)/i)
})

describe('what is never sent', () => {
  test('the README says it: IP address, user agent, the admin actor', () => {
    expect(server).toMatch(/never sent[^.]*IP address[^.]*user agent[^.]*actor/i)
  })

  test('and it is true on the wire', async () => {
    const h = await hook()
    const events = [lifecycle('deactivate'), sessionClear(), profileUpdate('email')]
    expect((await h.post(delivery(events))).status).toBe(204)
    const wire = JSON.stringify(h.collector.events)
    expect(h.collector.events).toHaveLength(4)
    for (const never of ['203.0.113.7', 'Mozilla', 'Oslo', ADMIN.id, ADMIN.alternateId!, 'Example Admin'])
      expect(wire, never).not.toContain(never)
  })
})
