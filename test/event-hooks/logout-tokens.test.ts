// Universal Logout: the token checks beyond signature, issuer, audience and expiry. A token issued in
// the future, one older than `maxTokenAge`, a replayed `jti` (in memory by default, or a store shared
// by several instances) and, for iss_sub, a subject of another issuer are refused before revoke()
// runs. A key set that cannot be read is named, with what failed, and answers 503 within `timeout`.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, test } from 'vitest'
import type { ReplayStore } from '../../src/event-hooks'
import { issSub, receiver } from './logout-helpers'

const now = () => Math.floor(Date.now() / 1000)

describe('iat', () => {
  test('in the future beyond the clock skew (30 s): 401; within it: accepted', async () => {
    const r = await receiver(() => undefined)
    const body = issSub(r.org.issuer)
    const future = await r.token({ iat: now() + 120, exp: now() + 400 })
    expect((await r.post(body, future)).status).toBe(401)
    expect(r.calls).toEqual([])
    expect(r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/iat/)])
    expect((await r.post(body, await r.token({ iat: now() + 10 }))).status).toBe(204)
  })

  test('older than maxTokenAge (default 5 min), though not expired: 401; a longer maxTokenAge accepts it', async () => {
    const r = await receiver(() => undefined)
    const old = await r.token({ iat: now() - 600, exp: now() + 300 })
    expect((await r.post(issSub(r.org.issuer), old)).status).toBe(401)
    expect(r.calls).toEqual([])
    const lenient = await receiver(() => undefined, { maxTokenAge: 900 })
    const fine = await lenient.token({ iat: now() - 600, exp: now() + 300 })
    expect((await lenient.post(issSub(lenient.org.issuer), fine)).status).toBe(204)
  })
})

describe('jti', () => {
  test('a replayed token is refused (401), revoke() runs once', async () => {
    const r = await receiver(() => undefined)
    const jwt = await r.token()
    const body = issSub(r.org.issuer)
    expect((await r.post(body, jwt)).status).toBe(204)
    expect((await r.post(body, jwt)).status).toBe(401)
    expect(r.calls).toHaveLength(1)
    expect(r.collector.events).toHaveLength(1)
    expect(r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/replayed/)])
    expect(r.errors[0]!.message).not.toContain(jwt)
  })

  test('a token without jti is refused: a replay could not be told', async () => {
    const r = await receiver(() => undefined)
    expect((await r.post(issSub(r.org.issuer), await r.token({ jti: null }))).status).toBe(401)
    expect(r.calls).toEqual([])
  })

  test('a store shared by two instances: a token replayed to the other instance is refused', async () => {
    const shared = new Map<string, number>()
    const seenWith: [string, number][] = []
    const replayStore: ReplayStore = {
      seen: async (jti, until) => {
        seenWith.push([jti, until])
        if (shared.has(jti)) return true
        shared.set(jti, until)
        return false
      },
    }
    const a = await receiver(() => undefined, { replayStore })
    const b = await receiver(() => undefined, { replayStore, issuer: a.org.issuer, jwksUri: a.org.jwksUri })
    const jwt = await a.token({ jti: 'okta-jti-1' })
    expect((await a.post(issSub(a.org.issuer), jwt)).status).toBe(204)
    expect((await b.post(issSub(a.org.issuer), jwt)).status).toBe(401)
    expect(b.calls).toEqual([])
    // kept until the token would be refused anyway: iat + maxTokenAge or exp, whichever is first, plus the skew
    expect(seenWith[0]![0]).toBe('okta-jti-1')
    expect(seenWith[0]![1]).toBeGreaterThan(now() + 200)
    expect(seenWith[0]![1]).toBeLessThanOrEqual(now() + 300 + 30 + 1)
  })

  test('a store that fails: 503 (no verdict), revoke() not run', async () => {
    const r = await receiver(() => undefined, {
      replayStore: {
        seen: () => Promise.reject(new Error('redis down')),
      },
    })
    expect((await r.post(issSub(r.org.issuer))).status).toBe(503)
    expect(r.calls).toEqual([])
    expect(r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/replayStore/)])
  })
})

describe('the iss_sub subject', () => {
  test('a subject of another issuer is refused (400); subjectIssuer lists the ones accepted', async () => {
    const r = await receiver(() => undefined)
    const foreign = issSub('https://other.okta.com/oauth2/default')
    expect((await r.post(foreign)).status).toBe(400)
    expect(r.calls).toEqual([])
    const custom = `${'https://example.okta.com'}/oauth2/default`
    const s = await receiver(() => undefined, { subjectIssuer: [custom] })
    expect((await s.post(issSub(custom))).status).toBe(204)
    expect((await s.post(issSub(s.org.issuer))).status).toBe(400)
  })
})

describe('the key set', () => {
  test('answering 500: 503, and onError names the key set and what failed', async () => {
    const r = await receiver(() => undefined)
    r.org.mode = 'fail'
    expect((await r.post(issSub(r.org.issuer))).status).toBe(503)
    const [error] = r.errors
    expect(error?.message).toContain(r.org.jwksUri)
    expect(error?.message).toMatch(/200 OK/)
  })

  test('nothing listening: the connection failure is named', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const jwksUri = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/oauth2/v1/keys`
    await new Promise((resolve) => closed.close(resolve))
    const r = await receiver(() => undefined, { jwksUri })
    expect((await r.post(issSub(r.org.issuer))).status).toBe(503)
    expect(r.errors[0]?.message).toContain(`the key set ${jwksUri} could not be read (fetch failed (ECONNREFUSED))`)
  })

  // Without the limit the receiver waits on the stalled key set forever and the test times out; the
  // wait is not bounded by the wall clock here, which measures the machine's load (60 s: 120 times the limit).
  test('never answering: 503 at `timeout`, the wait named', async () => {
    const r = await receiver(() => undefined, { timeout: 500 })
    r.org.mode = 'stall'
    expect((await r.post(issSub(r.org.issuer))).status).toBe(503)
    expect(r.errors[0]?.message).toMatch(/no answer within 500 ms/)
  }, 60_000)
})
