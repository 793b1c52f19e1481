// Delivery through an analytics-node client you made (its default 10 s flush interval: the handler
// nudges it with flush()), and many concurrent requests on one client.
import { Analytics } from '@segment/analytics-node'
import { expect, test } from 'vitest'
import { delivery, lifecycle, logEvent, USER } from './fixtures'
import { WRITE_KEY, collector, hook, later } from './helpers'

test('your own Analytics: answered once it has the calls, without waiting for its flush interval', async () => {
  const c = await collector()
  const analytics = new Analytics({ writeKey: WRITE_KEY, host: c.url })
  later(() => analytics.closeAndFlush({ timeout: 1000 }))
  const h = await hook({ analytics, segment: { writeKey: WRITE_KEY } })
  // 204 within the 2.5 s deadline, though the client would send only after 10 s: flush() was asked for
  expect((await h.post(delivery([lifecycle('deactivate')]))).status).toBe(204)
  expect(c.events.map((e) => e.event ?? e.type)).toEqual(['identify', 'User Deactivated'])
})

test('50 concurrent deliveries on one client: each answered 204, each call delivered', async () => {
  const h = await hook()
  const bodies = Array.from({ length: 50 }, (_, i) =>
    delivery([
      lifecycle('suspend', { ...USER, id: `00u${String(i).padStart(17, '0')}` }),
      logEvent({ eventType: 'user.session.clear' }),
    ]),
  )
  const answers = await Promise.all(bodies.map((b) => h.post(b)))
  expect(answers.map((r) => r.status)).toEqual(bodies.map(() => 204))
  expect(h.received()).toHaveLength(50 * 3)
  expect(new Set(h.received().map((e) => e.messageId)).size).toBe(150)
})
