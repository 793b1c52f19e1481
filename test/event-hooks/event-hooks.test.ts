// The event hook handler end to end: Okta's requests (fetch) -> the real Node adapter -> the handler
// -> the real @segment/analytics-node -> the local collector. A 204 means the collector already has
// every call, so what it recorded is asserted right after each answer.
import { describe, expect, test } from 'vitest'
import { DEFAULT_EVENTS } from '../../src/event-hooks'
import {
  APP,
  APP_USER,
  ADMIN,
  OTHER_USER,
  USER,
  delivery,
  lifecycle,
  logEvent,
  membership,
  preview,
  profileUpdate,
  sessionClear,
  sessionEnd,
  universalLogout,
} from './fixtures'
import { SECRET, WRITE_KEY, byTime, essence, hook } from './helpers'

describe('verification (one-time GET)', () => {
  test('echoes x-okta-verification-challenge as {"verification": value}', async () => {
    const { url } = await hook()
    const res = await fetch(url, {
      headers: { authorization: SECRET, 'x-okta-verification-challenge': 'PyIsfWQxP5R1fnCzBo7PSlbbpIKt0KHVv4WHvIWM' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.json()).toEqual({ verification: 'PyIsfWQxP5R1fnCzBo7PSlbbpIKt0KHVv4WHvIWM' })
  })

  test('checks the secret on the GET too, in the configured header', async () => {
    const { url, errors } = await hook({ header: 'X-Okta-Secret' })
    const challenge = { 'x-okta-verification-challenge': 'abc' }
    expect((await fetch(url, { headers: challenge })).status).toBe(401)
    expect((await fetch(url, { headers: { ...challenge, authorization: SECRET } })).status).toBe(401)
    expect((await fetch(url, { headers: { ...challenge, 'x-okta-secret': `${SECRET}x` } })).status).toBe(401)
    const ok = await fetch(url, { headers: { ...challenge, 'x-okta-secret': SECRET } })
    expect(await ok.json()).toEqual({ verification: 'abc' })
    expect(errors.map((e) => e.code)).toEqual(['request', 'request', 'request'])
    expect(errors.map((e) => e.message).join(' ')).not.toContain(SECRET)
  })

  test('a GET without the challenge is 400, with nothing sent', async () => {
    const { url, collector } = await hook()
    const res = await fetch(url, { headers: { authorization: SECRET } })
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatch(/x-okta-verification-challenge/)
    expect(collector.events).toEqual([])
  })
})

describe('delivery: each mapped event type', () => {
  test('lifecycle events: identify with status + a track, for the User target, at the event time', async () => {
    const h = await hook()
    const actions = [
      'create',
      'activate',
      'reactivate',
      'deactivate',
      'suspend',
      'unsuspend',
      'delete.initiated',
    ] as const
    const events = actions.map((a) => lifecycle(a))
    expect((await h.post(delivery(events))).status).toBe(204)
    const got = h.received().map(essence).sort(byTime)
    const expected = [
      ['STAGED', 'User Created'],
      ['ACTIVE', 'User Activated'],
      ['PROVISIONED', 'User Reactivated'],
      ['DEPROVISIONED', 'User Deactivated'],
      ['SUSPENDED', 'User Suspended'],
      ['ACTIVE', 'User Unsuspended'],
      ['DELETED', 'User Deleted'],
    ]
    expect(got.map(({ messageId: _, ...rest }) => rest)).toEqual(
      expected.flatMap(([status, track], i) => [
        { type: 'identify', userId: USER.id, timestamp: events[i]!.published, traits: { status } },
        { type: 'track', userId: USER.id, timestamp: events[i]!.published, event: track, properties: { status } },
      ]),
    )
    expect(new Set(got.map((e) => e.messageId)).size).toBe(14)
    expect(
      h.received().every((e) => e.writeKey === WRITE_KEY && /^okta-segment-hook-[0-9a-f]{40}$/.test(e.messageId)),
    ).toBe(true)
  })

  test('profile update without the Okta API: identify with profileUpdatedAt only', async () => {
    const h = await hook()
    const event = profileUpdate('firstName,zipCode')
    expect((await h.post(delivery([event]))).status).toBe(204)
    expect(h.received().map(essence)).toEqual([
      {
        type: 'identify',
        userId: USER.id,
        timestamp: event.published,
        messageId: expect.any(String),
        traits: { profileUpdatedAt: event.published },
      },
    ])
  })

  test('a profile update of attributes that are not mapped sends nothing', async () => {
    const h = await hook()
    expect((await h.post(delivery([profileUpdate('costCenter,password')]))).status).toBe(204)
    expect(h.collector.events).toEqual([])
  })

  test('session events: Signed Out with a reason; the session end takes its user from the actor', async () => {
    const h = await hook({ events: [...DEFAULT_EVENTS, 'user.session.end'] })
    const events = [sessionEnd(), sessionClear(OTHER_USER), universalLogout()]
    expect((await h.post(delivery(events))).status).toBe(204)
    expect(
      h
        .received()
        .map(essence)
        .sort(byTime)
        .map(({ messageId: _, ...e }) => e),
    ).toEqual([
      {
        type: 'track',
        userId: USER.id,
        timestamp: events[0]!.published,
        event: 'Signed Out',
        properties: { reason: 'session_end' },
      },
      {
        type: 'track',
        userId: OTHER_USER.id,
        timestamp: events[1]!.published,
        event: 'Signed Out',
        properties: { reason: 'session_clear' },
      },
      {
        type: 'track',
        userId: USER.id,
        timestamp: events[2]!.published,
        event: 'Signed Out',
        properties: { reason: 'universal_logout' },
      },
    ])
  })

  test('user.session.end is not taken by default (the browser bridge sends the sign-out)', async () => {
    const h = await hook()
    expect((await h.post(delivery([sessionEnd()]))).status).toBe(204)
    expect(h.collector.events).toEqual([])
  })

  test("one admin 'clear sessions' (a clear, one end per session, a universal logout) is one Signed Out", async () => {
    const h = await hook({ events: [...DEFAULT_EVENTS, 'user.session.end'] })
    const tx = 'WclearSessionsTransaction0001'
    expect((await h.post(delivery([sessionClear(USER, tx), sessionEnd(USER, tx), sessionEnd(USER, tx)]))).status).toBe(
      204,
    )
    expect((await h.post(delivery([universalLogout(USER, tx)]))).status).toBe(204)
    const ids = h.received().map((e) => e.messageId)
    expect(ids).toHaveLength(2) // one per request; Segment keeps the first of the two
    expect(new Set(ids).size).toBe(1)
  })

  test('group membership: group() + Account Added User on the list, Account Removed User, nothing off it', async () => {
    const h = await hook({ groups: { allow: ['Engineering'] } })
    const events = [
      membership(true, 'Engineering'),
      membership(true, 'Everyone'),
      membership(false, 'Engineering'),
      membership(false, 'Sales'),
    ]
    expect((await h.post(delivery(events))).status).toBe(204)
    const got = h.received().sort(byTime)
    expect(got.map(essence).map(({ messageId: _, timestamp: __, ...e }) => e)).toEqual([
      { type: 'group', userId: USER.id, groupId: 'Engineering', traits: { name: 'Engineering' } },
      { type: 'track', userId: USER.id, event: 'Account Added User' },
      { type: 'track', userId: USER.id, event: 'Account Removed User' },
    ])
    expect(got.filter((e) => e.type === 'track').map((e) => e.context?.groupId)).toEqual(['Engineering', 'Engineering'])
  })

  test('without `groups`, membership events send nothing', async () => {
    const h = await hook()
    expect((await h.post(delivery([membership(true, 'Engineering')]))).status).toBe(204)
    expect(h.collector.events).toEqual([])
  })
})

describe('what is not sent', () => {
  test('a batch of 10 (mixed) sends exactly the calls of its 6 mappable events', async () => {
    const h = await hook()
    const batch = [
      lifecycle('deactivate'),
      lifecycle('suspend', OTHER_USER),
      logEvent({ eventType: 'user.lifecycle.deactivate', target: [APP_USER] }), // an AppUser is not the user
      logEvent({ eventType: 'user.lifecycle.activate', result: 'FAILURE' }),
      logEvent({ eventType: 'user.session.start', actor: USER, target: null }), // not taken
      sessionClear(),
      profileUpdate('email'),
      lifecycle('activate'),
      preview('user.lifecycle.create'),
      universalLogout(OTHER_USER),
    ]
    expect(batch).toHaveLength(10)
    expect((await h.post(delivery(batch))).status).toBe(204)
    const got = h.received()
    expect(got).toHaveLength(2 + 2 + 1 + 1 + 2 + 1)
    expect(new Set(got.map((e) => e.userId))).toEqual(new Set([USER.id, OTHER_USER.id]))
    expect(got.some((e) => e.userId === APP_USER.id || e.userId === ADMIN.id)).toBe(false)
  })

  test('a Preview delivery (null actor and target) is 204 and sends nothing', async () => {
    const h = await hook()
    const res = await h.post(delivery(DEFAULT_EVENTS.map(preview)))
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
    expect(h.collector.events).toEqual([])
    expect(h.collector.requests).toEqual([])
  })

  test('a failure outcome and an AppUser target send nothing', async () => {
    const h = await hook()
    const failed = logEvent({ eventType: 'user.lifecycle.deactivate', result: 'FAILURE' })
    const appUser = logEvent({ eventType: 'user.lifecycle.deactivate', target: [APP_USER, { ...APP }] })
    expect((await h.post(delivery([failed, appUser]))).status).toBe(204)
    expect(h.collector.events).toEqual([])
  })

  test('two User targets are ambiguous: nothing is guessed', async () => {
    const h = await hook()
    expect(
      (await h.post(delivery([logEvent({ eventType: 'user.lifecycle.suspend', target: [USER, OTHER_USER] })]))).status,
    ).toBe(204)
    expect(h.collector.events).toEqual([])
  })
})

describe('redelivery and order', () => {
  test('a duplicate delivery carries the same messageIds: Segment keeps one of each', async () => {
    const h = await hook()
    const body = delivery([lifecycle('deactivate'), sessionClear(), lifecycle('suspend', OTHER_USER)])
    expect((await h.post(body)).status).toBe(204)
    const first = h.received().map(essence)
    expect((await h.post(body)).status).toBe(204)
    const all = h.received().map(essence)
    expect(all).toHaveLength(first.length * 2)
    expect(new Set(all.map((e) => e.messageId)).size).toBe(first.length)
    // the second copy is the same call, not a second one with other content
    expect(all.slice(first.length)).toEqual(first)
  })

  test('out of order: batches delivered in reverse give the same calls', async () => {
    const events = [
      lifecycle('create'),
      lifecycle('activate'),
      profileUpdate('email'),
      lifecycle('suspend'),
      lifecycle('unsuspend'),
      lifecycle('deactivate'),
    ]
    const inOrder = await hook()
    for (const e of events) expect((await inOrder.post(delivery([e]))).status).toBe(204)
    const reversed = await hook()
    for (const e of [...events].reverse()) expect((await reversed.post(delivery([e]))).status).toBe(204)
    const a = inOrder.received().map(essence).sort(byTime)
    expect(a).toHaveLength(11)
    expect(reversed.received().map(essence).sort(byTime)).toEqual(a)
    // the latest status by event time is the deactivation, whichever arrived last
    expect(a.filter((e) => e.type === 'identify' && e.traits?.status).at(-1)?.traits).toEqual({
      status: 'DEPROVISIONED',
    })
  })

  test('two sources (write keys) never share a messageId for the same Okta event', async () => {
    const one = await hook()
    const two = await hook({ segment: { writeKey: 'another-source' } })
    const body = delivery([lifecycle('deactivate')])
    await one.post(body)
    await two.post(body)
    const ids = [...one.received(), ...two.received()].map((e) => e.messageId)
    expect(ids).toHaveLength(4)
    expect(new Set(ids).size).toBe(4)
  })
})
