// Universal Logout: a key pair made here, its JWKS served on 127.0.0.1 as an Okta org serves it
// (/oauth2/v1/keys), tokens signed as Okta signs them, the real Node adapter and the collector
// (test/event-hooks/logout-helpers.ts). The token checks beyond the signature: logout-tokens.test.ts.
import { describe, expect, test } from 'vitest'
import { createUniversalLogoutHandler, type RevokeResult } from '../../src/event-hooks'
import { EMAIL, issSub, keys, receiver } from './logout-helpers'

describe('a valid request', () => {
  test('iss_sub: revoke(subject), Signed Out { reason: universal_logout } for sub, 204', async () => {
    const r = await receiver(() => undefined)
    const ISS_SUB = issSub(r.org.issuer)
    const res = await r.post(ISS_SUB)
    expect(res.status).toBe(204)
    expect(r.calls).toEqual([ISS_SUB.subject])
    expect(r.collector.events.map((e) => [e.type, e.event, e.userId, e.properties])).toEqual([
      ['track', 'Signed Out', '00u1qw6mqitPHM8AJ0g7', { reason: 'universal_logout' }],
    ])
    expect(r.collector.events[0]!.messageId).toMatch(/^okta-segment-hook-[0-9a-f]{40}$/)
    expect(r.org.fetches).toBe(1)
    // a second request is verified with the cached key set, and is a second Signed Out (another jti)
    expect((await r.post(ISS_SUB)).status).toBe(204)
    expect(r.org.fetches).toBe(1)
    expect(new Set(r.collector.events.map((e) => e.messageId)).size).toBe(2)
  })

  test('email: the userId revoke() returns; without one, nothing is sent and onError says why', async () => {
    const r = await receiver((s) =>
      s.format === 'email' && s.email === 'ada@example.com' ? { userId: '00u1qw6mqitPHM8AJ0g7' } : undefined,
    )
    expect((await r.post(EMAIL)).status).toBe(204)
    expect(r.collector.events.map((e) => e.userId)).toEqual(['00u1qw6mqitPHM8AJ0g7'])
    expect((await r.post({ subject: { format: 'email', email: 'grace@example.com' } })).status).toBe(204)
    expect(r.collector.events).toHaveLength(1)
    expect(r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/no Segment userId for an email subject/)])
    expect(JSON.stringify(r.errors.map((e) => e.message))).not.toContain('grace@example.com')
  })

  test("the later draft's `sub_id` body is read as well", async () => {
    const r = await receiver(() => undefined)
    const ISS_SUB = issSub(r.org.issuer)
    expect((await r.post({ sub_id: ISS_SUB.subject })).status).toBe(204)
    expect(r.calls).toEqual([ISS_SUB.subject])
  })
})

describe('refused: the token (401), before revoke() runs', () => {
  test.each([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 600 }],
    ['for another audience', { aud: 'https://other.example.com/logout' }],
    ['from another issuer', { iss: 'https://evil.example.com' }],
    ['signed by another key (same kid)', { key: 'stranger' }],
    ['signed by an unknown key', { key: 'stranger', kid: 'unknown-kid' }],
    ['of another type', { typ: 'logout+jwt' }],
  ])('%s', async (_, claims) => {
    const r = await receiver(() => undefined)
    const jwt = await r.token({
      ...claims,
      key: (claims as { key?: string }).key === 'stranger' ? keys.stranger : keys.okta,
    } as Parameters<typeof r.token>[0])
    const res = await r.post(issSub(r.org.issuer), jwt)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect(r.calls).toEqual([])
    expect(r.collector.events).toEqual([])
    expect(r.errors.map((e) => e.message).join('\n')).not.toContain(jwt)
  })

  test('no bearer token, or not a JWT', async () => {
    const r = await receiver(() => undefined)
    expect((await r.post(issSub(r.org.issuer), null)).status).toBe(401)
    for (const authorization of ['Basic YTpi', 'Bearer not-a-jwt', 'Bearer a.b']) {
      const res = await fetch(r.url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: '{}',
      })
      expect(res.status, authorization).toBe(401)
    }
    expect(r.calls).toEqual([])
  })
})

describe('refused: the request or the outcome', () => {
  test('an unknown subject format, or a malformed body, is 400', async () => {
    const r = await receiver(() => undefined)
    for (const body of [
      { subject: { format: 'opaque', id: '00u1' } },
      { subject: { format: 'email' } },
      { subject: 'ada@example.com' },
      {},
      '{not json',
    ])
      expect((await r.post(body)).status, JSON.stringify(body)).toBe(400)
    expect((await r.post(issSub(r.org.issuer), undefined, 'text/plain')).status).toBe(400)
    expect(r.calls).toEqual([])
  })

  test("revoke()'s answer: not_found 404, forbidden 403, a throw 422; nothing sent for them", async () => {
    const outcomes: (() => RevokeResult)[] = [
      () => 'not_found',
      () => 'forbidden',
      () => {
        throw new Error('session store down')
      },
    ]
    let next = 0
    const r = await receiver(() => outcomes[next++]!())
    const ISS_SUB = issSub(r.org.issuer)
    expect((await r.post(ISS_SUB)).status).toBe(404)
    expect((await r.post(ISS_SUB)).status).toBe(403)
    expect((await r.post(ISS_SUB)).status).toBe(422)
    expect(r.collector.events).toEqual([])
    expect(r.errors.map((e) => (e as { code?: string }).code)).toEqual(['auth'])
  })

  test('a key set that cannot be fetched is 503 (not a verdict on the token)', async () => {
    const r = await receiver(() => undefined)
    r.org.mode = 'fail'
    expect((await r.post(issSub(r.org.issuer))).status).toBe(503)
    expect(r.calls).toEqual([])
  })

  test('options fail fast, naming the option', () => {
    const base = {
      issuer: 'https://example.okta.com',
      audience: 'https://app.example.com/logout',
      revoke: () => undefined,
      segment: { writeKey: 'k' },
    }
    expect(() => createUniversalLogoutHandler({ ...base, issuer: 'example.okta.com' })).toThrow(/`issuer`/)
    expect(() => createUniversalLogoutHandler({ ...base, revoke: undefined as never })).toThrow(/`revoke`/)
    expect(() => createUniversalLogoutHandler({ ...base, segment: {} as never })).toThrow(/`segment`/)
    expect(() => createUniversalLogoutHandler({ ...base, audiance: 'x' } as never)).toThrow(
      /`audiance` is not an option/,
    )
  })
})
