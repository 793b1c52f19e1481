// The event hook handler under load (numbers, not pass/fail): BENCH_REQUESTS POSTs (default 1,000) of
// 10 Okta events each, BENCH_CONCURRENCY at a time (default 20), on loopback: the real Node adapter,
// the real @segment/analytics-node, the local collector. Prints throughput, p50/p99 from the POST to
// Okta's answer, and whether the collector got every call (each messageId once). Then one delivery of
// 4,900 events (about 1 MB), BENCH_BIG_RUNS times (default 3): its answer (204, or 503 at the default
// 2,500 ms timeout) and when the collector had all 9,800 calls.
//
//   npm run bench:hooks
import http from 'node:http'
import { randomUUID } from 'node:crypto'
import { cpus } from 'node:os'
import { ensureBuilt } from '../scripts/ensure-built.mjs'
import { startCollector } from '../servers/collector.mjs'

ensureBuilt()
const { createEventHookHandler, toNodeListener } = await import('okta-segment/event-hooks')

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20)
const SECRET = 'bench-hook-secret'

// 10 events per POST: 4 deactivations and 3 suspensions (identify + track each), 3 session clears (one track each).
const TYPES = [
  ...Array(4).fill('user.lifecycle.deactivate'),
  ...Array(3).fill('user.lifecycle.suspend'),
  ...Array(3).fill('user.session.clear'),
]
const CALLS_PER_POST = 4 * 2 + 3 * 2 + 3
const event = (eventType, n) => ({
  uuid: randomUUID(),
  published: new Date().toISOString(),
  eventType,
  version: '0',
  severity: 'INFO',
  actor: { id: '00u0admin00000000001', type: 'User', alternateId: 'admin@example.com', displayName: 'Admin' },
  target: [
    {
      id: `00u${String(n).padStart(17, '0')}`,
      type: 'User',
      alternateId: `user${n}@example.com`,
      displayName: `User ${n}`,
    },
  ],
  outcome: { result: 'SUCCESS' },
  transaction: { type: 'WEB', id: randomUUID() },
  debugContext: { debugData: {} },
})
const bodies = Array.from({ length: REQUESTS }, (_, i) =>
  JSON.stringify({ eventType: 'com.okta.event_hook', data: { events: TYPES.map((t, j) => event(t, i * 10 + j)) } }),
)

const collector = await startCollector()
const handler = createEventHookHandler({
  secret: SECRET,
  segment: { writeKey: 'bench', host: collector.url },
  onError: () => {},
})
const server = http.createServer(toNodeListener(handler))
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${server.address().port}/okta/events`
const headers = { authorization: SECRET, 'content-type': 'application/json' }

const latencies = []
const statuses = {}
let next = 0
const worker = async () => {
  while (next < REQUESTS) {
    const body = bodies[next++]
    const t0 = performance.now()
    const res = await fetch(url, { method: 'POST', headers, body })
    await res.arrayBuffer()
    latencies.push(performance.now() - t0)
    statuses[res.status] = (statuses[res.status] ?? 0) + 1
  }
}
const started = performance.now()
await Promise.all(Array.from({ length: CONCURRENCY }, worker))
const seconds = (performance.now() - started) / 1000

await handler.close(10_000)
latencies.sort((a, b) => a - b)
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(0)
const expected = REQUESTS * CALLS_PER_POST
const distinct = new Set(collector.events.map((e) => e.messageId)).size
const complete = collector.events.length === expected && distinct === expected
console.log(`[hooks] ${REQUESTS} POSTs x 10 Okta events, ${CONCURRENCY} at a time, loopback`)
console.log(
  `[hooks] answers: ${JSON.stringify(statuses)} in ${seconds.toFixed(1)} s = ` +
    `${(REQUESTS / seconds).toFixed(0)} POSTs/s, ${((REQUESTS * 10) / seconds).toFixed(0)} Okta events/s`,
)
console.log(
  `[hooks] time to Okta's answer: p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${latencies.at(-1).toFixed(0)} ms`,
)
console.log(
  `[hooks] collector: ${collector.events.length} calls received, ${distinct} distinct messageIds, ` +
    `expected ${expected}: ${complete ? 'all there, none twice' : 'MISMATCH'}`,
)
server.closeAllConnections()
server.close()

// One delivery of 4,900 events, each about a different user: Okta's smallest real events.
const BIG_RUNS = Number(process.env.BENCH_BIG_RUNS ?? 3)
const BIG = 4900
const small = (i) => ({
  uuid: randomUUID(),
  published: new Date().toISOString(),
  eventType: 'user.lifecycle.deactivate',
  actor: { id: '00u0admin00000000001', type: 'User' },
  target: [{ id: `00u${String(i).padStart(17, '0')}`, type: 'User' }],
  outcome: { result: 'SUCCESS' },
})
let bigComplete = true
for (let run = 1; run <= BIG_RUNS; run++) {
  const c = await startCollector()
  const errors = []
  const big = createEventHookHandler({
    secret: SECRET,
    segment: { writeKey: 'bench', host: c.url },
    maxBodyBytes: 2 << 20,
    onError: (e) => errors.push(e.message),
  })
  const s = http.createServer(toNodeListener(big))
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve))
  const body = JSON.stringify({ data: { events: Array.from({ length: BIG }, (_, i) => small(i)) } })
  const t0 = performance.now()
  const res = await fetch(`http://127.0.0.1:${s.address().port}/okta/events`, { method: 'POST', headers, body })
  await res.arrayBuffer()
  const answered = performance.now() - t0
  const deadline = Date.now() + 30_000
  while (c.events.length < BIG * 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  const all = performance.now() - t0
  const ids = new Set(c.events.map((e) => e.messageId)).size
  bigComplete &&= ids === BIG * 2 && c.events.length === BIG * 2
  console.log(
    `[hooks] one delivery of ${BIG} events (${(body.length / 1e6).toFixed(2)} MB), run ${run}: answered ` +
      `${res.status} in ${answered.toFixed(0)} ms${errors.length ? ` (${errors[0]})` : ''}; collector had ` +
      `${c.events.length} calls (${ids} distinct) after ${all.toFixed(0)} ms`,
  )
  await big.close(10_000)
  s.closeAllConnections()
  s.close()
  await c.close()
}

console.log(`[hooks] node ${process.version}, ${cpus().length} cores, ${new Date().toISOString()}`)
await collector.close()
process.exit(complete && bigComplete ? 0 : 1)
