// @vitest-environment happy-dom
// What the filters do to what analytics-next really sends (cloud mode: the `integrations` flags on
// the wire) and to what a device-mode destination in the page really receives.
import { createHash } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { consent, dropEvents, dropTraits, hashTraits, isOktaSegmentError, type Filter, filters } from '../src/index'
import { openTab, quiet, signedInTab, useWorld } from './helpers/bridge'
import { localDestination } from './helpers/destination'
import { alice } from './helpers/jwt'
import { readAjs } from './helpers/segment'
import { signIn } from './helpers/okta'

// vitest sets NODE_ENV=test, which makes analytics-next skip destination routing: run as a page would.
const env = process.env.NODE_ENV
beforeAll(() => void (process.env.NODE_ENV = 'production'))
afterAll(() => void (process.env.NODE_ENV = env))

const world = useWorld()

const A = alice.sub as string
// computed independently of WebCrypto
const EMAIL_SHA256 = createHash('sha256').update('alice@example.com').digest('hex')
const byType = (tab: Awaited<ReturnType<typeof openTab>>, type: string, event?: string) =>
  tab.segment.sent.filter((e) => e.type === type && (event === undefined || e.body.event === event)).map((e) => e.body)
const filterErrors = () =>
  world.errors.filter((e) => isOktaSegmentError(e) && e.code === 'filter').map((e) => e.message)

describe('filters without destinations run before analytics sees the data', () => {
  it('a dropped trait is neither stored by analytics-next nor sent', async () => {
    const tab = await signedInTab(world, alice, { bridge: { plugins: [filters([dropTraits(['email'])])] } })
    const [identify] = byType(tab, 'identify')
    expect(identify!.traits).toEqual({
      name: 'Alice Anders',
      firstName: 'Alice',
      lastName: 'Anders',
      username: 'alice@example.com',
    })
    expect(readAjs().traits).not.toHaveProperty('email')
    expect(JSON.stringify(localStorage)).not.toContain('"email"')
  })

  it('the app’s own calls are filtered too (source middleware)', async () => {
    const tab = await openTab(world, {
      bridge: { plugins: [filters([dropEvents(['Internal']), dropTraits(['phone'])])] },
    })
    const analytics = await tab.segment.instance
    await analytics.track('Internal', { x: 1 })
    await analytics.track('Checkout', { total: 3 })
    await analytics.identify('app-user', { phone: '+1 555 0100', plan: 'pro' })
    await quiet(tab.segment)
    expect(byType(tab, 'track').map((e) => e.event)).toEqual(['Checkout'])
    expect(byType(tab, 'identify')[0]!.traits).toEqual({ plan: 'pro' })
  })

  it('events leave in the order they came, whatever their filters cost: identify before Signed In', async () => {
    // a filter that takes a while on an identify only (as hashTraits awaits WebCrypto)
    const slow: Filter = {
      name: 'slow',
      apply: (e) => (e.type === 'identify' ? new Promise((r) => setTimeout(r, 30, e)) : e),
    }
    const tab = await signedInTab(world, alice, { bridge: { plugins: [filters([slow])] } })
    await tab.segment.waitFor((e) => e.body.event === 'Signed In')
    await quiet(tab.segment, 60)
    expect(tab.segment.sent.map((e) => e.body.event ?? e.type)).toEqual(['identify', 'Signed In'])
    const analytics = await tab.segment.instance
    void analytics.identify(A, { plan: 'pro' })
    void analytics.track('After')
    await quiet(tab.segment, 60)
    expect(tab.segment.sent.slice(2).map((e) => e.body.event ?? e.type)).toEqual(['identify', 'After'])
    // Signed In carries the username the identify kept
    expect(byType(tab, 'track', 'Signed In')[0]!.properties).toEqual({ username: 'alice@example.com' })
  })

  it('a throwing filter without destinations drops the event rather than sending it unfiltered', async () => {
    const boom: Filter = { name: 'boom', apply: (e) => (e.type === 'identify' ? Promise.reject(new Error('bug')) : e) }
    const tab = await signedInTab(world, alice, { bridge: { plugins: [filters([boom])] } })
    expect(tab.segment.sent.map((e) => e.type)).toEqual(['track'])
    expect(filterErrors()).toEqual(['filter "boom" threw; the event was withheld'])
  })
})

describe('filters with destinations: cloud mode', () => {
  it('a drop becomes integrations[destination] = false on that call only', async () => {
    const tab = await signedInTab(world, alice, {
      bridge: { plugins: [filters([dropEvents(['Signed In'], { destinations: ['Intercom'] })])] },
    })
    expect(byType(tab, 'track', 'Signed In')[0]!.integrations).toEqual({ Intercom: false })
    expect(byType(tab, 'identify')[0]!.integrations ?? {}).not.toHaveProperty('Intercom')
  })

  it('a rewrite aimed at a cloud-mode destination withholds the event from it and reports it', async () => {
    const tab = await signedInTab(world, alice, {
      bridge: { plugins: [filters([dropTraits(['email'], { destinations: ['Google Analytics'] })])] },
    })
    const [identify] = byType(tab, 'identify')
    expect(identify!.integrations).toEqual({ 'Google Analytics': false })
    expect(identify!.traits.email).toBe('alice@example.com') // other destinations get what they are allowed
    expect(byType(tab, 'track')[0]!.integrations ?? {}).not.toHaveProperty('Google Analytics') // unchanged by the filter
    expect(filterErrors()).toEqual([
      expect.stringContaining('Google Analytics, which does not run in this page (cloud mode)'),
    ])
  })

  it('a throwing filter affects only its own destination', async () => {
    const boom: Filter = {
      name: 'boom',
      destinations: ['Mixpanel'],
      apply: () => {
        throw new Error('bug')
      },
    }
    const tab = await signedInTab(world, alice, {
      bridge: { plugins: [filters([boom, dropEvents(['Nope'], { destinations: ['Amplitude'] })])] },
    })
    for (const e of tab.segment.sent) expect(e.body.integrations).toEqual({ Mixpanel: false })
    expect(tab.segment.sent).toHaveLength(2)
  })
})

describe('filters with destinations: device mode', () => {
  it('a rewrite reaches a destination in the page through destination middleware; the wire keeps the original', async () => {
    const pixel = localDestination('Local Pixel')
    const tab = await openTab(world, {
      analytics: { cdnSettings: pixel.cdnSettings, plugins: [pixel.factory] },
      bridge: { plugins: [filters([hashTraits(['email'], { destinations: ['Local Pixel'] })])] },
    })
    signIn(tab.okta, alice)
    await tab.sync()
    await expect.poll(() => pixel.received.map((e) => e.type).sort()).toEqual(['identify', 'track'])
    expect(pixel.received.find((e) => e.type === 'identify')!.traits.email).toBe(EMAIL_SHA256)
    expect(byType(tab, 'identify')[0]!.traits.email).toBe('alice@example.com')
    expect(byType(tab, 'identify')[0]!.integrations ?? {}).not.toHaveProperty('Local Pixel')
    // the app's own identify too
    await (await tab.segment.instance).identify(A, { email: 'ALICE@example.com ' })
    await expect.poll(() => pixel.received.length).toBe(3)
    expect(pixel.received[2]!.traits.email).toBe(EMAIL_SHA256)
    expect(filterErrors()).toEqual([])
  })

  it('consent: withheld while not granted, not sent retroactively; refresh() sends the current identify', async () => {
    const pixel = localDestination('Local Pixel')
    let granted: string[] = []
    const tab = await openTab(world, {
      analytics: { cdnSettings: pixel.cdnSettings, plugins: [pixel.factory] },
      bridge: { plugins: [filters([consent(() => granted, { categories: { 'Local Pixel': 'marketing' } })])] },
    })
    signIn(tab.okta, alice)
    await tab.sync()
    expect(pixel.received).toEqual([])
    expect(tab.segment.sent.map((e) => e.body.integrations)).toEqual([
      { 'Local Pixel': false },
      { 'Local Pixel': false },
    ])
    granted = ['marketing']
    await tab.bridge.refresh()
    await tab.sync()
    await expect.poll(() => pixel.received.map((e) => `${e.type}:${e.userId}`)).toEqual([`identify:${A}`])
    await quiet(tab.segment)
    expect(tab.segment.sent.map((e) => e.type)).toEqual(['identify', 'track', 'identify']) // no second Signed In
  })
})

describe('clean page context', () => {
  const callback = 'http://localhost:3000/login/callback?code=c0de-123&state=st4te-456&session_state=ss&foo=1'
  afterEach(() => (window as any).happyDOM.setURL('http://localhost:3000/'))

  const leaks = (tab: Awaited<ReturnType<typeof openTab>>) =>
    JSON.stringify(tab.segment.sent).match(/c0de-123|st4te-456|session_state/g)

  it('removes the OIDC parameters from every event, the app’s page() on the callback URL included', async () => {
    ;(window as any).happyDOM.setURL(callback)
    const tab = await openTab(world)
    const analytics = await tab.segment.instance
    await analytics.page()
    // an SPA that keeps some of the parameters in its URL after handling the callback
    ;(window as any).happyDOM.setURL('http://localhost:3000/home?state=st4te-456&session_state=ss&foo=1')
    signIn(tab.okta, alice)
    await tab.sync()
    expect(tab.segment.sent.map((e) => e.type)).toEqual(['page', 'identify', 'track'])
    const [page, ...bridge] = tab.segment.sent.map((e) => e.body)
    expect(page!.context.page).toMatchObject({ url: 'http://localhost:3000/login/callback?foo=1', search: '?foo=1' })
    expect(page!.properties).toMatchObject({ url: 'http://localhost:3000/login/callback?foo=1', search: '?foo=1' })
    for (const body of bridge)
      expect(body.context.page).toMatchObject({ url: 'http://localhost:3000/home?foo=1', search: '?foo=1' })
    expect(leaks(tab)).toBeNull()
  })

  it('is opt-out', async () => {
    ;(window as any).happyDOM.setURL(callback)
    const tab = await openTab(world, { bridge: { cleanPage: false } })
    await (await tab.segment.instance).page()
    await quiet(tab.segment)
    expect(leaks(tab)).not.toBeNull()
  })

  it('the bridge waits on the OIDC callback page (it redirects at once) and sends on the page the user lands on', async () => {
    ;(window as any).happyDOM.setURL(callback)
    const tab = await openTab(world)
    window.history.replaceState(null, '', '/login/callback') // handleLoginRedirect strips the query first
    signIn(tab.okta, alice)
    await tab.sync()
    window.dispatchEvent(new Event('pagehide'))
    await quiet(tab.segment)
    expect(tab.segment.sent).toEqual([])
    window.history.replaceState(null, '', '/dashboard') // okta-react's restoreOriginalUri
    await tab.segment.waitFor((e) => e.body.event === 'Signed In', 3000)
    expect(tab.segment.sent.map((e) => e.body.context.page.url)).toEqual([
      'http://localhost:3000/dashboard',
      'http://localhost:3000/dashboard',
    ])
  })

  it('knows the callback by the URL the document loaded: a late script tag on the page the SPA moved to does not wait', async () => {
    // The document was loaded as the callback; okta and the SPA's router moved on to /dashboard
    // before the bridge connected. Only the callback path is waited on, not wherever the page is now.
    const entries = vi.spyOn(performance, 'getEntriesByType').mockReturnValue([{ name: callback } as PerformanceEntry])
    try {
      ;(window as any).happyDOM.setURL('http://localhost:3000/dashboard')
      const tab = await openTab(world)
      signIn(tab.okta, alice)
      await tab.segment.waitFor((e) => e.body.event === 'Signed In', 1500) // no flush(): the bridge's own schedule
      expect(tab.segment.sent.map((e) => e.type)).toEqual(['identify', 'track'])
    } finally {
      entries.mockRestore()
    }
  })
})
