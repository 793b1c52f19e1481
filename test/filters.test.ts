import { describe, expect, it } from 'vitest'
import { allowTraits, consent, dropEvents, dropTraits, hashTraits, type FilterEvent } from '../src/index'
import { runFilters } from '../src/plugins/run-filters'
import { scrubUrl } from '../src/core/page-url'

const identify: FilterEvent = {
  type: 'identify',
  userId: 'u1',
  traits: { email: ' Test@Example.com ', phone: '+1 555', firstName: 'Ann' },
  context: { traits: { email: 'Test@Example.com', plan: 'pro' } },
}
const track = (event: string): FilterEvent => ({ type: 'track', event, properties: { total: 3 } })

describe('built-in filters', () => {
  it('allowTraits and dropTraits edit traits and context.traits, returning copies', async () => {
    const allowed = await allowTraits(['email']).apply(identify, {})
    expect(allowed).toMatchObject({
      traits: { email: ' Test@Example.com ' },
      context: { traits: { email: 'Test@Example.com' } },
    })
    expect(Object.keys(allowed!.traits!)).toEqual(['email'])
    const dropped = await dropTraits(['email', 'plan']).apply(identify, {})
    expect(dropped).toMatchObject({ traits: { phone: '+1 555', firstName: 'Ann' }, context: { traits: {} } })
    expect(dropped!.traits).not.toHaveProperty('email')
    expect(identify.traits).toHaveProperty('email') // input untouched
    expect(await dropTraits(['email']).apply(track('X'), {})).toEqual(track('X'))
  })

  it('hashTraits: SHA-256 hex of the trimmed, lower-cased value (known vectors), idempotent', async () => {
    const hashed = await hashTraits(['email', 'missing']).apply(identify, {})
    // sha256("test@example.com"), computed independently
    expect(hashed!.traits!.email).toBe('973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b')
    expect(hashed!.context!.traits!.email).toBe('973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b')
    const abc = await hashTraits(['x']).apply({ type: 'identify', traits: { x: 'ABC' } }, {})
    expect(abc!.traits!.x).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad') // FIPS 180-2 "abc"
    expect(await hashTraits(['email']).apply(hashed!, {})).toEqual(hashed)
    expect(hashed!.traits).not.toHaveProperty('missing')
  })

  it('dropEvents by names, RegExp or predicate', async () => {
    expect(await dropEvents(['Signed In']).apply(track('Signed In'), {})).toBeNull()
    expect(await dropEvents(['Signed In']).apply(track('Signed Out'), {})).toEqual(track('Signed Out'))
    expect(await dropEvents(/^Debug /).apply(track('Debug click'), {})).toBeNull()
    expect(await dropEvents(/^Debug /).apply(identify, {})).toBe(identify)
    expect(await dropEvents((e) => e.type === 'identify').apply(identify, {})).toBeNull()
  })

  it('consent: per destination, by category, read at filter time', async () => {
    let granted: string[] = []
    const f = consent(() => granted, {
      categories: { 'Facebook Pixel': 'marketing', Mixpanel: ['analytics', 'marketing'] },
    })
    expect(f.destinations).toEqual(['Facebook Pixel', 'Mixpanel'])
    expect(await f.apply(identify, { destination: 'Facebook Pixel' })).toBeNull()
    granted = ['analytics']
    expect(await f.apply(identify, { destination: 'Facebook Pixel' })).toBeNull()
    expect(await f.apply(identify, { destination: 'Mixpanel' })).toBe(identify)
    const byMap = consent(async () => ({ marketing: true }), { categories: { 'Facebook Pixel': 'marketing' } })
    expect(await byMap.apply(identify, { destination: 'Facebook Pixel' })).toBe(identify)
  })

  it('runFilters: in order, on a copy; a throwing or rejecting filter drops the event and is reported', async () => {
    const errors: Error[] = []
    const order: string[] = []
    const tag = (name: string) => ({ name, apply: (e: FilterEvent) => (order.push(name), { ...e, [name]: true }) })
    const out = await runFilters([tag('a'), tag('b')], identify, {}, (e) => errors.push(e))
    expect(order).toEqual(['a', 'b'])
    expect(out).toMatchObject({ a: true, b: true })
    expect(identify).not.toHaveProperty('a')
    const boom = { name: 'boom', apply: () => Promise.reject(new Error('x')) }
    expect(await runFilters([boom, tag('c')], identify, { destination: 'Mixpanel' }, (e) => errors.push(e))).toBeNull()
    expect(errors.map((e) => e.message)).toEqual(['filter "boom" threw; the event was withheld from Mixpanel'])
  })
})

describe('scrubUrl', () => {
  it.each([
    ['https://app.example/login/callback?code=abc&state=xyz', 'https://app.example/login/callback'],
    ['https://app.example/cb?code=abc&foo=1&state=xyz&bar=2', 'https://app.example/cb?foo=1&bar=2'],
    ['?code=abc&session_state=s&iss=https%3A%2F%2Fidp&foo=1', '?foo=1'],
    ['?error=access_denied&error_description=No', ''],
    ['https://app.example/#id_token=eyJ.a.b&access_token=t&state=s', 'https://app.example/'],
    ['https://app.example/#section-2', 'https://app.example/#section-2'],
    ['https://app.example/p?utm_source=x#top', 'https://app.example/p?utm_source=x#top'],
    ['https://app.example/p?%63ode=abc', 'https://app.example/p'],
    ['https://app.example/p?codes=1&state_id=2', 'https://app.example/p?codes=1&state_id=2'],
  ])('%s -> %s', (input, output) => expect(scrubUrl(input)).toBe(output))
})
