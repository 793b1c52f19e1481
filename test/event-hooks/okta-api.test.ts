// Profile values and group lists read from the Okta Users API (plain fetch, `Authorization: SSWS`),
// against a local stand-in for an Okta org on 127.0.0.1 that checks the token.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, test } from 'vitest'
import { delivery, membership, OTHER_USER, profileUpdate, USER } from './fixtures'
import { essence, hook, later } from './helpers'

const TOKEN = '00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcd'

/** A local Okta org: /api/v1/users/{id} and /api/v1/users/{id}/groups, answering per `mode`. */
async function oktaOrg(profile: Record<string, unknown>, groups: string[] = []) {
  const org = {
    mode: 'ok' as 'ok' | '500' | '404' | '429',
    requests: [] as { path: string; authorization?: string }[],
    url: '',
  }
  const server = http.createServer((req, res) => {
    org.requests.push({ path: req.url!, authorization: req.headers.authorization })
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    if (req.headers.authorization !== `SSWS ${TOKEN}`)
      return send(401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided' })
    if (org.mode !== 'ok')
      return send(Number(org.mode), { errorCode: 'E0000009', errorSummary: 'Internal Server Error' })
    const m = /^\/api\/v1\/users\/([^/]+)(\/groups)?$/.exec(req.url!)
    if (!m || m[1] !== USER.id) return send(404, { errorCode: 'E0000007', errorSummary: 'Not found' })
    if (m[2])
      return send(
        200,
        groups.map((name, i) => ({ id: `00g${i}`, type: 'OKTA_GROUP', profile: { name, description: null } })),
      )
    send(200, { id: USER.id, status: 'ACTIVE', profile, credentials: { provider: { type: 'OKTA' } } })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  later(() => new Promise((resolve) => server.close(resolve)))
  org.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return org
}

const PROFILE = {
  login: 'ada@example.com',
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  mobilePhone: '+47 555 01234',
  zipCode: '0150',
  city: 'Oslo',
  department: 'Engineering',
  title: null,
  apiKey: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijklmnop',
}

describe('profile updates with the Okta API', () => {
  test('the changed attributes, read now, as reserved traits; nested ones nested; nothing unmapped', async () => {
    const org = await oktaOrg(PROFILE)
    const h = await hook({ okta: { orgUrl: org.url, token: TOKEN } })
    const event = profileUpdate('firstName,zipCode,city,mobilePhone,department,password,title')
    expect((await h.post(delivery([event]))).status).toBe(204)
    expect(h.received().map(essence)).toEqual([
      {
        type: 'identify',
        userId: USER.id,
        timestamp: event.published,
        messageId: expect.stringMatching(/^okta-segment-hook-/),
        traits: {
          firstName: 'Ada',
          address: { postalCode: '0150', city: 'Oslo' },
          phone: '+47 555 01234',
          title: null,
        },
      },
    ])
    expect(org.requests).toEqual([{ path: `/api/v1/users/${USER.id}`, authorization: `SSWS ${TOKEN}` }])
    expect(JSON.stringify(h.collector.events)).not.toContain(TOKEN)
  })

  test('`traits` adds and removes attributes; credentials and token-shaped values never leave', async () => {
    const org = await oktaOrg(PROFILE)
    const h = await hook({
      okta: { orgUrl: org.url, token: TOKEN },
      traits: {
        department: true,
        costCenter: 'company.costCenter',
        mobilePhone: false,
        apiKey: 'apiKey',
        password: 'password',
      },
    })
    expect((await h.post(delivery([profileUpdate('department,mobilePhone,apiKey,password,costCenter')]))).status).toBe(
      204,
    )
    expect(h.received()[0]?.traits).toEqual({ department: 'Engineering', company: { costCenter: null } })
  })

  test('several updates of one user in a batch read the API once', async () => {
    const org = await oktaOrg(PROFILE)
    const h = await hook({ okta: { orgUrl: org.url, token: TOKEN } })
    expect(
      (await h.post(delivery([profileUpdate('firstName'), profileUpdate('lastName'), profileUpdate('email')]))).status,
    ).toBe(204)
    expect(h.received()).toHaveLength(3)
    expect(org.requests).toHaveLength(1)
  })

  test('a refusal (wrong token, unknown user) falls back to profileUpdatedAt and is reported', async () => {
    const org = await oktaOrg(PROFILE)
    const wrongToken = await hook({ okta: { orgUrl: org.url, token: 'wrong-token' } })
    const event = profileUpdate('firstName')
    expect((await wrongToken.post(delivery([event]))).status).toBe(204)
    expect(wrongToken.received().map((e) => e.traits)).toEqual([{ profileUpdatedAt: event.published }])
    expect(wrongToken.errors.map((e) => [e.code, e.message])).toEqual([['okta-api', expect.stringContaining('401')]])
    expect(wrongToken.errors[0]!.message).not.toContain('wrong-token')

    const unknownUser = await hook({ okta: { orgUrl: org.url, token: TOKEN } })
    const other = profileUpdate('firstName', OTHER_USER)
    expect((await unknownUser.post(delivery([other]))).status).toBe(204)
    expect(unknownUser.received().map((e) => [e.userId, e.traits])).toEqual([
      [OTHER_USER.id, { profileUpdatedAt: other.published }],
    ])
    expect(unknownUser.errors.map((e) => e.message)).toEqual([expect.stringContaining('404')])
  })

  test('an Okta API that fails (5xx, 429) is 503 with nothing sent; the retry delivers', async () => {
    const org = await oktaOrg(PROFILE)
    const h = await hook({ okta: { orgUrl: org.url, token: TOKEN } })
    const body = delivery([profileUpdate('firstName')])
    for (const mode of ['500', '429'] as const) {
      org.mode = mode
      expect((await h.post(body)).status, mode).toBe(503)
    }
    expect(h.collector.events).toEqual([])
    org.mode = 'ok'
    expect((await h.post(body)).status).toBe(204)
    expect(h.received().map((e) => e.traits)).toEqual([{ firstName: 'Ada' }])
  })
})

describe("groups as a trait (the user's allowlisted groups, read now)", () => {
  test('a membership change sends the full allowed list', async () => {
    const org = await oktaOrg(PROFILE, ['Everyone', 'Engineering', 'app-billing', 'app-admin'])
    const h = await hook({
      okta: { orgUrl: org.url, token: TOKEN },
      groups: { allow: /^(app-|Engineering$)/, send: 'trait' },
    })
    expect((await h.post(delivery([membership(true, 'app-billing'), membership(true, 'Everyone')]))).status).toBe(204)
    expect(
      h
        .received()
        .map(essence)
        .map(({ type, traits }) => ({ type, traits })),
    ).toEqual([{ type: 'identify', traits: { groups: ['Engineering', 'app-admin', 'app-billing'] } }])
  })
})
