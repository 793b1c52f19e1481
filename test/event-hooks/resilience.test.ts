// Segment unavailable: Okta must hear 5xx (so it retries once), and its retry must deliver everything
// exactly once per messageId, whatever analytics-node's own retries of the first attempt did meanwhile.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from 'vitest'
import { createEventHookHandler } from '../../src/event-hooks'
import { delivery, lifecycle, OTHER_USER, profileUpdate, sessionClear } from './fixtures'
import { SECRET, WRITE_KEY, essence, hook, serve } from './helpers'

test('collector down (500), then back: Okta gets 503, its retry delivers, nothing lost or doubled', async () => {
  const h = await hook()
  const body = delivery([
    lifecycle('deactivate'),
    sessionClear(OTHER_USER),
    profileUpdate('email'),
    lifecycle('suspend'),
  ])
  h.collector.mode = 'fail500'
  const first = await h.post(body)
  expect(first.status).toBe(503)
  expect(await first.json()).toEqual({ error: 'Segment did not confirm delivery; retry' })
  expect(h.collector.events).toEqual([])
  expect(h.collector.requests.length).toBeGreaterThan(0) // analytics-node did try
  expect(h.errors.map((e) => e.code)).toEqual(['delivery'])

  h.collector.mode = 'ok'
  const retry = await h.post(body) // Okta's one retry
  expect(retry.status).toBe(204)
  const expected = new Set(h.received().map((e) => e.messageId))
  expect(expected.size).toBe(6)

  // let analytics-node's own retries of the first attempt end (they may deliver copies: same messageIds)
  await h.handler.close(15_000)
  const all = h.received().map(essence)
  expect(new Set(all.map((e) => e.messageId))).toEqual(expected)
  for (const id of expected) {
    const copies = all.filter((e) => e.messageId === id)
    expect(copies.every((c) => JSON.stringify(c) === JSON.stringify(copies[0]))).toBe(true)
  }
})

test('nothing listening where Segment should be: 503, and the handler keeps serving', async () => {
  const closed = http.createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const port = (closed.address() as AddressInfo).port
  await new Promise((resolve) => closed.close(resolve))
  const errors: unknown[] = []
  const handler = createEventHookHandler({
    secret: SECRET,
    segment: { writeKey: WRITE_KEY, host: `http://127.0.0.1:${port}` },
    timeout: 1500,
    onError: (e) => errors.push(e),
  })
  const url = await serve(handler)
  const post = () =>
    fetch(url, {
      method: 'POST',
      headers: { authorization: SECRET, 'content-type': 'application/json' },
      body: JSON.stringify(delivery([lifecycle('deactivate')])),
    })
  expect((await post()).status).toBe(503)
  expect((await post()).status).toBe(503)
  expect(errors).toHaveLength(2)
  await handler.close(100)
})
