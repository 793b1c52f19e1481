// The pure parts: whom an event is about, what changed, messageIds, custom mappings and option checks.
import { describe, expect, test } from 'vitest'
import { createEventHookHandler, createEventMapper, isOptionsError, type Mapper } from '../../src/event-hooks'
import { changedAttributes, userOf } from '../../src/event-hooks/okta-event'
import { ADMIN, APP, APP_USER, USER, delivery, group, lifecycle, logEvent, profileUpdate, sessionEnd } from './fixtures'
import { SECRET, WRITE_KEY, hook } from './helpers'

describe('the user of an event', () => {
  test('is the one User target: never an AppUser, never target[0] blindly', () => {
    expect(userOf(logEvent({ eventType: 'user.lifecycle.suspend', target: [APP, APP_USER, USER] }))).toEqual(USER)
    expect(userOf(logEvent({ eventType: 'user.lifecycle.suspend', target: [APP_USER] }))).toBeUndefined()
    expect(userOf(logEvent({ eventType: 'group.user_membership.add', target: [group('Sales'), USER] }))).toEqual(USER)
  })
  test('is the actor only for session events', () => {
    expect(userOf(sessionEnd(USER))).toEqual(USER)
    expect(userOf(logEvent({ eventType: 'user.lifecycle.suspend', actor: USER, target: null }))).toBeUndefined()
    expect(userOf(logEvent({ eventType: 'user.session.clear', actor: ADMIN, target: [USER] }))).toEqual(USER)
    expect(
      userOf(logEvent({ eventType: 'user.session.end', actor: { ...APP, type: 'PublicClientApp' }, target: null })),
    ).toBeUndefined()
  })
})

test('changed attributes: the comma-separated list, cleaned; undefined when the event does not say', () => {
  expect(changedAttributes(profileUpdate('firstName, lastName,,zip-code,firstName,__proto__x'))).toEqual([
    'firstName',
    'lastName',
    '__proto__x',
  ])
  expect(changedAttributes(logEvent({ eventType: 'user.account.update_profile' }))).toBeUndefined()
})

describe('messageIds', () => {
  test('are stable per (source, event, call), distinct per call and source, and hide the write key', async () => {
    const event = lifecycle('deactivate')
    const [a1, a2] = await createEventMapper({ segment: { writeKey: WRITE_KEY } })(event)
    const [again] = await createEventMapper({ segment: { writeKey: WRITE_KEY } })(structuredClone(event))
    const [b1] = await createEventMapper({ segment: { writeKey: 'other' } })(event)
    expect(again!.messageId).toBe(a1!.messageId)
    expect(new Set([a1!.messageId, a2!.messageId, b1!.messageId]).size).toBe(3)
    expect(a1!.messageId).not.toContain(WRITE_KEY)
  })
})

describe('custom mappings (`map`)', () => {
  test('override, add and drop types; calls repeated within an event get their own messageIds', async () => {
    const twice: Mapper = (event) => [
      { type: 'track', event: 'Password Changed', properties: { at: event.published } },
      { type: 'track', event: 'Password Changed', properties: { at: event.published } },
    ]
    const h = await hook({
      map: {
        'user.lifecycle.deactivate': (_e, { user }) => [
          { type: 'identify', traits: { status: 'inactive', login: user.alternateId } },
        ],
        'user.account.update_password': twice,
        'user.lifecycle.suspend': false,
      },
    })
    expect(
      (
        await h.post(
          delivery([
            lifecycle('deactivate'),
            logEvent({ eventType: 'user.account.update_password' }),
            lifecycle('suspend'),
          ]),
        )
      ).status,
    ).toBe(204)
    const got = h.received()
    expect(got.map((e) => e.event ?? e.traits)).toEqual([
      { status: 'inactive', login: USER.alternateId },
      'Password Changed',
      'Password Changed',
    ])
    expect(new Set(got.map((e) => e.messageId)).size).toBe(3)
  })

  test('a mapping that throws or returns junk is reported; the rest of the batch is delivered', async () => {
    const h = await hook({
      map: {
        'user.lifecycle.create': () => {
          throw new Error('boom')
        },
        'user.lifecycle.activate': (() => [{ type: 'page' }]) as unknown as Mapper,
      },
    })
    expect((await h.post(delivery([lifecycle('create'), lifecycle('activate'), lifecycle('suspend')]))).status).toBe(
      204,
    )
    expect(h.received().map((e) => e.event ?? e.type)).toEqual(['identify', 'User Suspended'])
    expect(h.errors.map((e) => [e.code, e.message])).toEqual([
      ['mapping', expect.stringContaining('user.lifecycle.create threw')],
      ['mapping', expect.stringContaining('user.lifecycle.activate must return a list of calls')],
    ])
  })
})

describe('options fail at creation, naming the option and never its value', () => {
  const base = { secret: SECRET, segment: { writeKey: WRITE_KEY } }
  test.each([
    ['secret', { secret: '' }],
    ['secret', { secret: [] }],
    ['header', { header: 'not a header' }],
    ['segment', { segment: { host: 'http://collector' } }],
    ['segment', { segment: { writeKey: WRITE_KEY, host: 'http://segment.example.com' } }],
    [
      'segment',
      {
        segment: { writeKey: WRITE_KEY, host: 'http://127.0.0.1:1' },
        analytics: { identify() {}, track() {}, group() {} },
      },
    ],
    ['analytics', { analytics: { track() {} } }],
    ['timeout', { timeout: 3000 }],
    ['events', { events: ['user.account.lock'] }],
    ['groups', { groups: { allow: ['Sales'], send: 'trait' } }],
    ['groups', { groups: { allow: 'Sales' } }],
    ['okta', { okta: { orgUrl: 'http://example.okta.com', token: 'x' } }],
    ['map', { map: { 'user.lifecycle.create': 'User Created' } }],
    ['traits', { traits: { department: 1 } }],
    ['maxBodyBytes', { maxBodyBytes: 0 }],
    ['onError', { onError: 'console' }],
    ['secrets', { secrets: SECRET }],
  ])('%s', (option, bad) => {
    let thrown: unknown
    try {
      createEventHookHandler({ ...base, ...bad } as never)
    } catch (e) {
      thrown = e
    }
    expect(isOptionsError(thrown)).toBe(true)
    expect((thrown as Error).message).toContain(`\`${option}\``)
    expect((thrown as Error).message).not.toContain(SECRET)
  })
})
