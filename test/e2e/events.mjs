// What reached the collector, as the browser suite reads it: labels, one event per messageId, calls
// made twice, secrets in payloads.
import assert from 'node:assert/strict'

/** `identify`, `track:Signed In`, `page`… */
export const label = (e) => `${e.type}${e.event ? `:${e.event}` : ''}`
export const count = (events, what) => events.filter((e) => label(e) === what).length

/**
 * Every place a secret could hide in the scenario's payloads: returns a list of findings
 * (`<event label>: <what>`), empty when clean. Looks for the exact code/state/token/nonce values
 * seen in the browser, any JWT, and OIDC callback parameters in URLs.
 */
export function findSecrets(events, secrets) {
  const found = []
  for (const e of events) {
    const text = JSON.stringify(e)
    for (const v of secrets) if (v && text.includes(v)) found.push(`${label(e)}: contains ${v.slice(0, 12)}…`)
    if (/eyJ[\w-]{2,}\.[\w-]{2,}\./.test(text)) found.push(`${label(e)}: contains a JWT`)
    const m = /[?&#](code|state|session_state|id_token|access_token|nonce)=/.exec(text)
    if (m) found.push(`${label(e)}: a URL with ${m[1]}= (${where(e, m[1])})`)
  }
  return found
}

// The JSON path(s) of the string values that carry `param=`.
function where(e, param) {
  const paths = []
  const walk = (v, p) => {
    if (typeof v === 'string') {
      if (new RegExp(`[?&#]${param}=`).test(v)) paths.push(p)
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, p ? `${p}.${k}` : k)
  }
  walk(e, '')
  return paths.join(', ')
}

/**
 * The events as Segment stores them: one per messageId. analytics-next delivers at least once
 * (an event in flight when the page navigates away is persisted and sent again on the next
 * load, with the same messageId), and Segment deduplicates on messageId.
 */
export function uniqueEvents(events) {
  const seen = new Set()
  return events.filter((e) => !seen.has(e.messageId) && seen.add(e.messageId))
}

/**
 * Calls made twice: one messageId that reached the collector from two separate calls, told apart by
 * their `timestamp` (analytics-next's own retry of one event keeps its timestamp: not counted here;
 * Segment would keep one of two calls, but a call made twice is the bridge deciding twice).
 * @returns {{ messageId: string, label: string, timestamps: string[] }[]} one entry per extra call
 */
export function callsMadeTwice(events) {
  const byId = new Map()
  for (const e of events) {
    const seen =
      byId.get(e.messageId) ?? byId.set(e.messageId, { label: label(e), timestamps: new Set() }).get(e.messageId)
    seen.timestamps.add(e.timestamp)
  }
  return [...byId]
    .filter(([, v]) => v.timestamps.size > 1)
    .flatMap(([messageId, v]) =>
      [...v.timestamps].slice(1).map(() => ({ messageId, label: v.label, timestamps: [...v.timestamps] })),
    )
}

/**
 * Prints how many calls the scenario made twice (`calls made twice (engine, scenario): N`, which
 * scripts/loop-browser.mjs adds up per engine) and fails when there is one: every call the bridge
 * makes is made once (README rule 1), in every engine.
 */
export function assertNoCallsMadeTwice(engine, scenario, events, why = '') {
  const twice = callsMadeTwice(events)
  const which = twice.map((t) => `${t.label} ${t.messageId.slice(-8)}`).join(', ')
  console.log(`calls made twice (${engine}, ${scenario}): ${twice.length}${which ? ` — ${which}` : ''}`)
  if (twice.length) assert.fail(`calls made twice: ${which}${why}`)
}
