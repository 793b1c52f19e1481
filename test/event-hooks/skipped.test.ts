// Nothing is dropped without a word: an event that cannot be sent goes to onError (one call per event,
// with its uuid and why), the good events of the delivery are still sent, and `onEvent` tells what
// happened to every event. What is not an error (a type not taken, a failure outcome, a Preview) is
// only told to onEvent.
import { describe, expect, test } from 'vitest'
import type { HookEventReport } from '../../src/event-hooks'
import { APP, APP_USER, OTHER_USER, USER, delivery, lifecycle, logEvent, preview, sessionEnd } from './fixtures'
import { hook } from './helpers'

describe('events that cannot be sent go to onError', () => {
  test('malformed, no User target, two User targets: one onError each, with uuid and why; the rest is sent', async () => {
    const h = await hook()
    const good = lifecycle('deactivate')
    const appUserOnly = logEvent({ eventType: 'user.lifecycle.suspend', target: [APP_USER, APP] })
    const twoUsers = logEvent({ eventType: 'user.lifecycle.suspend', target: [USER, OTHER_USER] })
    const badTime = { ...lifecycle('activate'), published: 'yesterday' }
    const { uuid: _, ...noUuid } = lifecycle('activate')
    const res = await h.post(
      delivery([good, appUserOnly, 'user.lifecycle.deactivate' as never, twoUsers, badTime, noUuid]),
    )
    expect(res.status).toBe(204)
    expect(h.received().map((e) => e.event ?? e.type)).toEqual(['identify', 'User Deactivated'])
    const messages = h.errors.map((e) => e.message)
    expect(messages).toHaveLength(5)
    expect(h.errors.every((e) => e.code === 'mapping')).toBe(true)
    expect(messages).toEqual([
      expect.stringMatching(new RegExp(`${appUserOnly.uuid}.*user\\.lifecycle\\.suspend.*no User target`)),
      expect.stringMatching(/event 3 of the delivery.*not an object/),
      expect.stringMatching(new RegExp(`${twoUsers.uuid}.*2 User targets`)),
      expect.stringMatching(new RegExp(`${badTime.uuid}.*published`)),
      expect.stringMatching(/event 6 of the delivery.*uuid/),
    ])
    // who the targets were is not repeated (logins are personal data): only their types
    expect(messages.join('\n')).not.toContain(USER.alternateId!)
  })

  test('a session event whose actor is not a User (and no User target) is reported too', async () => {
    const h = await hook({ events: ['user.session.end'] })
    const event = logEvent({ eventType: 'user.session.end', actor: { ...APP, type: 'PublicClientApp' }, target: null })
    expect((await h.post(delivery([event, sessionEnd()]))).status).toBe(204)
    expect(h.received()).toHaveLength(1)
    expect(h.errors.map((e) => e.message)).toEqual([expect.stringContaining(event.uuid)])
  })
})

describe('what is not an error', () => {
  test('a type not taken, a failure outcome and a Preview send nothing and reach onError never', async () => {
    const h = await hook()
    const events = [
      logEvent({ eventType: 'user.session.start', actor: USER, target: null }),
      logEvent({ eventType: 'user.lifecycle.activate', result: 'FAILURE' }),
      preview('user.lifecycle.create'),
    ]
    expect((await h.post(delivery(events))).status).toBe(204)
    expect(h.collector.events).toEqual([])
    expect(h.errors).toEqual([])
  })
})

describe('onEvent: what was sent, skipped and why', () => {
  test('one report per event, after the answer is decided', async () => {
    const reports: HookEventReport[] = []
    const h = await hook({ onEvent: (r) => reports.push(r) })
    const sent = lifecycle('deactivate')
    const notTaken = logEvent({ eventType: 'user.session.start', actor: USER, target: null })
    const failed = logEvent({ eventType: 'user.lifecycle.activate', result: 'FAILURE' })
    const sample = preview('user.lifecycle.create')
    const appUser = logEvent({ eventType: 'user.lifecycle.suspend', target: [APP_USER] })
    expect((await h.post(delivery([sent, notTaken, failed, sample, appUser]))).status).toBe(204)
    const ids = h.received().map((e) => e.messageId)
    expect(reports).toEqual([
      {
        uuid: sent.uuid,
        eventType: 'user.lifecycle.deactivate',
        outcome: 'sent',
        calls: [
          { type: 'identify', messageId: ids[0] },
          { type: 'track', event: 'User Deactivated', messageId: ids[1] },
        ],
      },
      { uuid: notTaken.uuid, eventType: 'user.session.start', outcome: 'skipped', reason: 'type not taken', calls: [] },
      {
        uuid: failed.uuid,
        eventType: 'user.lifecycle.activate',
        outcome: 'skipped',
        reason: 'outcome FAILURE',
        calls: [],
      },
      { uuid: sample.uuid, eventType: 'user.lifecycle.create', outcome: 'skipped', reason: 'preview', calls: [] },
      {
        uuid: appUser.uuid,
        eventType: 'user.lifecycle.suspend',
        outcome: 'failed',
        reason: 'no User target (targets: AppUser)',
        calls: [],
      },
    ])
  })

  test('when Segment does not confirm, the mapped events are reported failed', async () => {
    const reports: HookEventReport[] = []
    const h = await hook({ onEvent: (r) => reports.push(r), timeout: 1000 })
    h.collector.mode = 'fail500'
    expect((await h.post(delivery([lifecycle('deactivate')]))).status).toBe(503)
    expect(reports).toEqual([
      expect.objectContaining({ outcome: 'failed', reason: expect.stringMatching(/Segment did not confirm/) }),
    ])
    expect(reports[0]!.calls).toHaveLength(2)
  })

  test('an onEvent that throws changes nothing', async () => {
    const h = await hook({
      onEvent: () => {
        throw new Error('observer broke')
      },
    })
    expect((await h.post(delivery([lifecycle('deactivate')]))).status).toBe(204)
    expect(h.received()).toHaveLength(2)
  })
})
