// Small pure parts of the server entry: the replay store's bounds, messageIds whichever hash the
// runtime has, and the group id option.
import { describe, expect, test } from 'vitest'
import { sha256 } from '../../src/event-hooks/message-id'
import { MAX_REMEMBERED, memoryReplayStore } from '../../src/event-hooks/replay'
import { delivery, group, logEvent, USER } from './fixtures'
import { hook } from './helpers'

describe('the in-memory replay store', () => {
  test('a jti is a replay until its time is up, then forgotten', () => {
    let now = 1000
    const store = memoryReplayStore(MAX_REMEMBERED, () => now)
    expect(store.seen('a', 1300)).toBe(false)
    expect(store.seen('a', 1300)).toBe(true)
    now = 1300
    expect(store.seen('a', 1600)).toBe(false) // its token would be refused anyway by now
  })

  test('holds at most `max` jtis: expired ones go first, then the oldest', () => {
    let now = 0
    const store = memoryReplayStore(3, () => now)
    for (const jti of ['a', 'b', 'c']) store.seen(jti, 100)
    expect(store.seen('d', 200)).toBe(false) // full: 'a' (the oldest) goes
    expect(store.seen('a', 200)).toBe(false)
    expect(store.seen('c', 200)).toBe(true)
    now = 150 // b, c expired: swept on the next call
    expect(store.seen('e', 300)).toBe(false)
    expect(store.seen('d', 300)).toBe(true)
    expect(store.seen('b', 300)).toBe(false)
  })
})

test("messageIds are the same on every runtime: Node's hash equals WebCrypto's", async () => {
  for (const text of ['', 'okta-segment:source:k', 'événement\n00u1\nidentify']) {
    const web = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
    expect(await sha256(text)).toBe(Array.from(web, (b) => b.toString(16).padStart(2, '0')).join(''))
  }
})

test("groups.groupId 'id': Okta's group id is Segment's groupId, the name its trait (a rename keeps the account)", async () => {
  const h = await hook({ groups: { allow: ['Engineering'], groupId: 'id' } })
  const engineering = group('Engineering', '00g1engineering0001')
  const added = logEvent({ eventType: 'group.user_membership.add', target: [USER, engineering] })
  const renamed = logEvent({
    eventType: 'group.user_membership.remove',
    target: [USER, { ...engineering, displayName: 'Platform' }],
  })
  expect((await h.post(delivery([added]))).status).toBe(204)
  const [g, track] = h.received()
  expect(g).toMatchObject({ type: 'group', groupId: '00g1engineering0001', traits: { name: 'Engineering' } })
  expect(track?.context?.groupId).toBe('00g1engineering0001')
  // allow lists names or ids: an id on the list keeps matching after a rename
  const byId = await hook({ groups: { allow: ['00g1engineering0001'], groupId: 'id' } })
  expect((await byId.post(delivery([renamed]))).status).toBe(204)
  expect(byId.received().map((e) => e.context?.groupId)).toEqual(['00g1engineering0001'])
})
