// @vitest-environment happy-dom
/**
 * What the bridge leaves in the browser, with the real SDKs and the default storage
 * (`localStorage`): no cookie of its own (analytics-next's `ajs_*` cookies are Segment's), and one
 * localStorage key, `okta-segment`, holding hashes only: no user id, e-mail or other trait.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { reopenedTab, signedInTab, useWorld } from './helpers/bridge'
import { alice, bob } from './helpers/jwt'
import { clear, renew, signIn } from './helpers/okta'

const world = useWorld()
let written: string[]
let restoreCookie: () => void
const proto = Object.getPrototypeOf(document) as object

/** Records the name of every cookie written through document.cookie. */
function spyOnCookies() {
  let owner: object | null = proto
  while (owner && !Object.getOwnPropertyDescriptor(owner, 'cookie'))
    owner = Object.getPrototypeOf(owner) as object | null
  const descriptor = Object.getOwnPropertyDescriptor(owner!, 'cookie')!
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get: () => descriptor.get!.call(document) as string,
    set: (value: string) => {
      written.push(value.split('=')[0]!.trim())
      descriptor.set!.call(document, value)
    },
  })
  return () => delete (document as { cookie?: string }).cookie
}

const cookieNames = () =>
  document.cookie
    .split(';')
    .map((c) => c.split('=')[0]!.trim())
    .filter(Boolean)
const notSegment = (names: string[]) => names.filter((n) => !n.startsWith('ajs_'))
const ownKeys = () => Object.keys(localStorage).filter((k) => !k.startsWith('ajs_') && !k.startsWith('persisted-queue'))

beforeEach(() => {
  written = []
  restoreCookie = spyOnCookies()
})
afterEach(() => restoreCookie())

/** Sign-in, renewal, changed claims, user switch, reload, sign-out: every path that writes. */
async function lifecycle(check: (signedIn?: boolean) => void) {
  const bridge = { storage: undefined } // the default: localStorage
  const tab = await signedInTab(world, alice, { bridge })
  check()
  renew(tab.okta, { ...alice, email: 'alice@new.example.com', name: 'Alice Renamed' })
  await tab.sync()
  check()
  signIn(tab.okta, bob)
  await tab.sync()
  check()
  tab.close()
  const reloaded = await reopenedTab(world, { bridge })
  check()
  clear(reloaded.okta)
  await reloaded.sync()
  check(false)
}

describe('what the bridge stores in the browser', () => {
  it('writes no cookies (analytics-next’s ajs_* cookies are Segment’s)', async () => {
    const before = cookieNames()
    await lifecycle(() => expect(notSegment(cookieNames())).toEqual(notSegment(before)))
    expect(written.filter((n) => n.startsWith('ajs_')).length).toBeGreaterThan(0) // the spy sees writes
    expect(notSegment(written)).toEqual([])
  })

  it('keeps the record where IndexedDB is missing in `okta-segment` (four short hashes; signed out, at most one) and the last delivered sign-out in `okta-segment:out` (two), nothing else', async () => {
    expect(ownKeys()).toEqual([])
    const secrets = [alice, bob].flatMap(
      (c) => [c.sub, c.email, c.name, c.given_name, c.family_name, c.nonce, c.at_hash] as string[],
    )
    secrets.push('alice@new.example.com', 'Alice Renamed')
    let checked = 0
    await lifecycle((signedIn = true) => {
      checked++
      expect(Object.keys(sessionStorage)).toEqual([])
      // `:out` names the session whose Signed Out was delivered (two hashes)
      const out = localStorage.getItem('okta-segment:out')
      if (out !== null) expect(out).toMatch(/^[0-9a-z]{1,16}\/[0-9a-z]{1,16}$/)
      const keys = ownKeys().filter((k) => k !== 'okta-segment:out')
      const raw = localStorage.getItem('okta-segment') ?? '{}'
      const record = JSON.parse(raw) as Record<string, unknown>
      // signed out: no session, at most the hash of the ended session's anonymousId (README rule 8)
      if (!signedIn) expect(Object.keys(record).filter((k) => k !== 'x')).toEqual([])
      else expect(Object.keys(record).sort()).toEqual(['a', 'i', 'n', 'u'])
      expect(keys).toEqual(raw === '{}' ? [] : ['okta-segment'])
      for (const v of Object.values(record)) expect(v).toMatch(/^[0-9a-z]{1,16}$/)
      for (const s of secrets) expect(raw.toLowerCase()).not.toContain(s.toLowerCase())
    })
    expect(checked).toBe(5)
  })
})
