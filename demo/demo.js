// The demo app: okta-auth-js + analytics-next (standalone, via the snippet) + okta-segment (the npm
// build as an ES module), with a live view of what reached the collector and what each
// destination receives after the filters.
import { localOktaAuth } from '/vendor/local-okta.js'
const DEMO = window.DEMO
const PIXEL = DEMO.pixel // device mode: runs in this page (demo/pixel.js), reports what it got
const CRM = 'Demo CRM' // cloud mode: Segment forwards what reached the collector, unless routed away
const $ = (id) => document.getElementById(id)

// The bridge's debug lines (`console.info('[okta-segment] <decision>')`), kept by the demo server so
// they survive the sign-in redirects.
const post = (item) => navigator.sendBeacon('/recorder', JSON.stringify(item))
const PREFIX = '[okta-segment] '
const info = console.info.bind(console)
console.info = (...args) => {
  if (typeof args[0] === 'string' && args[0].startsWith(PREFIX)) {
    const text = args[0].slice(PREFIX.length).trim()
    if (text) post({ kind: 'log', text, path: location.pathname })
  }
  info(...args)
}

const lib = await import('/dist/index.js')

// A couple of filters, each only if this build exports it.
const filters = []
const described = []
const use = (name, make, text, where) => {
  if (typeof lib[name] !== 'function') return
  filters.push(make(lib[name]))
  described.push({ text, where })
}
use('dropTraits', (f) => f(['username']), "dropTraits(['username'])", 'every destination')
use('hashTraits', (f) => f(['email'], { destinations: [PIXEL] }), "hashTraits(['email'])", PIXEL)
use('dropEvents', (f) => f(['Clicked Buy'], { destinations: [CRM] }), "dropEvents(['Clicked Buy'])", CRM)
// Until filters exist, the view shows the Segment.io destination only.
const destinations = filters.length
  ? [
      { name: 'Segment.io', note: 'what reached the collector' },
      { name: CRM, note: 'cloud mode' },
      { name: PIXEL, note: 'device mode, in the page' },
    ]
  : [{ name: 'Segment.io', note: 'what reached the collector' }]

const oktaAuth = (window.oktaAuth = localOktaAuth({ issuer: DEMO.issuer, clientId: DEMO.clientId }))

window.bridge = lib.connect({
  auth: oktaAuth,
  analytics: window.analytics,
  plugins: filters.length ? [lib.filters(filters)] : [],
  debug: true,
  onError: (e) => post({ kind: 'log', text: `onError: ${e.message}`, path: location.pathname, error: true }),
})
// The page view, on the loaded instance: analytics.js never makes a call pushed onto the snippet's
// stub in the moment it swaps it for the instance, where this module may run (README, Script tag).
// Looked for every 50 ms for a minute: a blocked analytics.js stays an array.
const whenLoaded = (fn, tries = 1200) =>
  Array.isArray(window.analytics) ? tries && setTimeout(whenLoaded, 50, fn, tries - 1) : fn(window.analytics)
whenLoaded((analytics) => analytics.page())

// ---- the app
const showUser = (s) => {
  const signedIn = !!(s?.isAuthenticated && s.idToken && !s.idToken.pendingRemove)
  const state = s ? (signedIn ? 'signed-in' : 'signed-out') : 'loading'
  $('user').dataset.state = state
  $('user-text').textContent = signedIn
    ? `${s.idToken.claims.name} · ${s.idToken.claims.email}`
    : s
      ? 'signed out'
      : 'loading…'
  for (const b of document.querySelectorAll('[data-when]')) b.hidden = b.dataset.when !== state
}
const act = (id, fn) => {
  $(id).onclick = () =>
    Promise.resolve()
      .then(fn)
      .catch((e) => post({ kind: 'log', text: `${id}: ${e.message}`, path: location.pathname, error: true }))
}
act('signin-alice', () => oktaAuth.signInWithRedirect({ originalUri: '/', loginHint: 'alice' }))
act('signin-bob', () => oktaAuth.signInWithRedirect({ originalUri: '/', loginHint: 'bob' }))
act('switch', () => oktaAuth.signInWithRedirect({ originalUri: '/', prompt: 'login' }))
act('signout', () => oktaAuth.signOut())
act('buy', () => window.analytics.track('Clicked Buy', { sku: 'demo-42', price: 19 }))
act('renew', () => oktaAuth.tokenManager.renew('idToken'))
act('reload', () => location.reload())
act('clear', async () => {
  await Promise.all([
    fetch(`${DEMO.collectorURL}/events`, { method: 'DELETE' }),
    fetch('/recorder/clear', { method: 'POST' }),
  ])
  clearView()
})

// ---- the live view
const esc = (v) =>
  String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c])
const rows = new Map() // messageId -> { collector, copies, pixel }
const logs = []
const clearView = () => {
  rows.clear()
  logs.length = 0
  schedule()
}

$('columns').insertAdjacentHTML(
  'beforeend',
  destinations.map((d) => `<th>${esc(d.name)}<small>${esc(d.note)}</small></th>`).join(''),
)
$('filters').innerHTML = described.length
  ? described.map((f) => `<span class="chip"><code>${esc(f.text)}</code> → ${esc(f.where)}</span>`).join('')
  : '<span class="chip none">none exported by this build: showing Segment.io only</span>'

const short = (v) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v)
  return /^[0-9a-f]{64}$/.test(s)
    ? `${s.slice(0, 10)}…${s.slice(-6)} <em>sha-256</em>`
    : esc(s.length > 60 ? `${s.slice(0, 57)}…` : s)
}
const fields = (e) =>
  (e.type === 'identify'
    ? e.traits
    : e.type === 'track'
      ? e.properties
      : e.type === 'page'
        ? { path: e.properties?.path }
        : {}) ?? {}
const list = (obj, base) => {
  const entries = Object.entries(obj)
  if (!entries.length) return '<span class="ok">received</span>'
  return `<dl>${entries
    .map(([k, v]) => {
      const changed = base && JSON.stringify(base[k]) !== JSON.stringify(v)
      return `<dt>${esc(k)}</dt><dd${changed ? ' class="changed" title="rewritten by a filter for this destination"' : ''}>${short(v)}</dd>`
    })
    .join('')}</dl>`
}
// One event, however many times it reached the collector: analytics-next delivers at least once (an
// event still in flight when the page leaves is kept and sent again by the next page, with the same
// messageId), and Segment keeps one event per messageId.
const copies = (row) =>
  row.copies > 1 ? `<div class="resend-note">delivered ${row.copies}× with one messageId: Segment keeps one</div>` : ''
const what = (row) => {
  const e = row.collector ?? row.pixel
  const name = e.type === 'track' ? e.event : e.type === 'page' ? e.properties?.path : ''
  const who = e.userId
    ? `<span class="uid" title="${esc(e.userId)}">${esc(e.userId)}</span>`
    : '<span class="anon">anonymous</span>'
  const badge = `<span class="badge ${esc(e.type)}">${esc(e.type)}</span>`
  return `${badge} <b>${esc(name ?? '')}</b><div class="who">${who}</div>${copies(row)}`
}
const cell = (row, d) => {
  const e = row.collector
  if (d.name === 'Segment.io') return e ? list(fields(e)) : '<span class="missing">not received</span>'
  if (d.name === PIXEL) {
    if (row.pixel) return list(fields(row.pixel), e && fields(e))
    if (e?.integrations?.[PIXEL] === false) return '<span class="dropped">not sent · filtered out</span>'
    return '<span class="missing" title="the in-page destination did not see this event (e.g. sent from a page that navigated away before it loaded)">not received in this page</span>'
  }
  if (!e) return ''
  if (e.integrations?.[d.name] === false || (e.integrations?.All === false && !e.integrations?.[d.name]))
    return '<span class="dropped">not sent · filtered out</span>'
  return list(fields(e))
}
const time = (row) => (row.collector ?? row.pixel)?.timestamp ?? ''

let pending = false
const schedule = () => {
  if (pending) return
  pending = true
  window.requestAnimationFrame(render)
}
function render() {
  pending = false
  const sorted = [...rows.values()].sort((a, b) => (time(a) < time(b) ? 1 : -1)).slice(0, 200)
  $('rows').innerHTML = sorted
    .map((row) => {
      const e = row.collector ?? row.pixel
      const t = new Date(time(row)).toLocaleTimeString([], { hour12: false })
      const cells = destinations.map((d) => `<td>${cell(row, d)}</td>`).join('')
      const tr = `<tr class="${esc(e.type)}" data-copies="${row.copies}">`
      return `${tr}<td class="time">${esc(t)}</td><td class="what">${what(row)}</td>${cells}</tr>`
    })
    .join('')
  $('empty').hidden = rows.size > 0
  $('log').innerHTML = logs
    .slice(-60)
    .reverse()
    .map(
      (l) =>
        `<li class="${l.error ? 'error' : /skipped|stale/.test(l.text) ? 'skip' : ''}"><time>${esc(new Date(l.at).toLocaleTimeString([], { hour12: false }))}</time> <code>${esc(l.path)}</code> ${esc(l.text)}</li>`,
    )
    .join('')
}

const row = (id) => rows.get(id) ?? rows.set(id, { copies: 0 }).get(id)
const collectorEvents = new window.EventSource(`${DEMO.collectorURL}/events/stream`)
collectorEvents.onmessage = (m) => {
  const e = JSON.parse(m.data)
  if (e.writeKey && e.writeKey !== DEMO.writeKey) return
  const r = row(e.messageId)
  r.collector ??= e
  r.copies++
  schedule()
}
const recorded = new window.EventSource('/recorder')
recorded.onmessage = (m) => {
  const item = JSON.parse(m.data)
  if (item.kind === 'clear') return clearView()
  if (item.kind === 'log') logs.push(item)
  if (item.kind === 'destination' && item.destination === PIXEL) row(item.messageId).pixel = item.event
  schedule()
}

try {
  if (oktaAuth.isLoginRedirect()) {
    await oktaAuth.handleLoginRedirect()
  } else {
    oktaAuth.authStateManager.subscribe(showUser)
    await oktaAuth.start()
    showUser(oktaAuth.authStateManager.getAuthState())
  }
} catch (e) {
  post({ kind: 'log', text: `start: ${e.message}`, path: location.pathname, error: true })
  showUser(null)
}
