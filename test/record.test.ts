/**
 * The record every tab shares (io/record.ts), DOM-free: IndexedDB through fake-indexeddb (a
 * complete implementation of the spec in JavaScript; the real engines run in test/e2e), a
 * localStorage stand-in, and storage that throws.
 */
import { IDBFactory, IDBObjectStore } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SentRecord } from '../src/core/record'
import { RECORD_KEY, createRecord } from '../src/io/record'
import { createTabs } from '../src/io/tabs'
import { objectStorage } from './helpers/okta'

const A: SentRecord = { u: 'u1', i: 'i1', n: 'n1', a: 'a1' }
/** A page's record; `page.leaving` as its phase says (from pagehide). */
const page = { leaving: false }
const open = (storage?: Parameters<typeof createRecord>[0], report: (e: Error) => void = () => {}) =>
  createRecord(storage, report, () => page.leaving)
let local: Record<string, string>
let idb: IDBFactory
beforeEach(() => {
  page.leaving = false
  idb = new IDBFactory()
  vi.stubGlobal('indexedDB', idb)
  local = {}
  vi.stubGlobal('localStorage', objectStorage(local))
})
afterEach(() => vi.unstubAllGlobals())

describe('the record in IndexedDB (the default)', () => {
  it('a write, once resolved, is what another tab reads; localStorage is not used', async () => {
    const errors: Error[] = []
    const one = open(undefined, (e) => errors.push(e))
    const two = open(undefined, (e) => errors.push(e))
    expect(await two.read()).toEqual({})
    await one.write(A)
    expect(await two.read()).toEqual(A)
    await two.write({})
    expect(await one.read()).toEqual({})
    expect(local).toEqual({})
    expect(errors).toEqual([])
  })

  it('carries over the record 0.1 kept in localStorage: read while IndexedDB holds none, removed once it holds one', async () => {
    local[RECORD_KEY] = JSON.stringify({ u: 'u1', i: 'i1', a: 'a1' })
    const one = open()
    expect(await one.read()).toEqual({ u: 'u1', i: 'i1', a: 'a1' })
    await one.write({}) // signed out since: an empty record in IndexedDB, not 0.1's again
    expect(local[RECORD_KEY]).toBeUndefined()
    expect(await open().read()).toEqual({})
  })

  it('the read-modify-write of tabs taking turns loses nothing (here: the turns of one process)', async () => {
    const tabs = Array.from({ length: 4 }, () => ({
      record: open(),
      tabs: createTabs(() => {}),
    }))
    const count = (r: SentRecord) => Number(r.i ?? 0)
    await Promise.all(
      tabs.flatMap((t) =>
        Array.from({ length: 25 }, () =>
          t.tabs.turn(async () => {
            const r = await t.record.read()
            await t.record.write({ u: 'u', i: String(count(r) + 1) })
          }, true),
        ),
      ),
    )
    expect(count(await tabs[0]!.record.read())).toBe(100)
    for (const t of tabs) t.tabs.close()
  })

  it('a page that is leaving never touches IndexedDB: it reads what it knew, and writes to localStorage at once', async () => {
    const leaving = open()
    await leaving.write(A)
    page.leaving = true
    vi.stubGlobal('indexedDB', undefined) // any request now would throw
    expect(await leaving.read()).toEqual(A)
    const done = leaving.write({ ...A, a: 'a2' })
    expect(JSON.parse(local[RECORD_KEY]!)).toEqual({ ...A, a: 'a2' }) // synchronously, before any await
    await done
    page.leaving = false
    vi.stubGlobal('indexedDB', idb)
    const next = open()
    expect(await next.read()).toEqual({ ...A, a: 'a2' }) // the next page takes it first
    await next.write({ ...A, a: 'a3' }) // in IndexedDB: the note is gone
    expect(local[RECORD_KEY]).toBeUndefined()
    expect(await open().read()).toEqual({ ...A, a: 'a3' })
  })

  it('a write still open when the page leaves is aborted: its record goes to localStorage at once, unreported, and IndexedDB is free for the next', async () => {
    const win = new EventTarget() // the page's window: pagehide
    vi.stubGlobal('addEventListener', win.addEventListener.bind(win))
    vi.stubGlobal('removeEventListener', win.removeEventListener.bind(win))
    const errors: Error[] = []
    const one = open(undefined, (e) => errors.push(e))
    await one.write(A)
    const marked: SentRecord = { ...A, o: 'signed_out' }
    // signOut()'s redirect while the transaction is open: pagehide right after the put is requested
    const put = IDBObjectStore.prototype.put
    const spy = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementationOnce(function (this: IDBObjectStore, ...a) {
      const r = put.apply(this, a)
      page.leaving = true
      win.dispatchEvent(new Event('pagehide'))
      expect(JSON.parse(local[RECORD_KEY]!)).toEqual(marked) // synchronously, in pagehide
      return r
    })
    await one.write(marked)
    expect(spy).toHaveBeenCalledOnce()
    expect(errors).toEqual([])
    one.close()
    page.leaving = false
    const next = open()
    expect(await next.read()).toEqual(marked) // the next page takes the note first
    await next.write({})
    expect(await open().read()).toEqual({}) // committed: nothing waits on the aborted transaction
    expect(local[RECORD_KEY]).toBeUndefined()
  })

  it('where IndexedDB cannot be opened, localStorage', async () => {
    vi.stubGlobal('indexedDB', {
      open() {
        const request = { error: new DOMException('blocked', 'SecurityError') } as unknown as IDBOpenDBRequest
        setTimeout(() => request.onerror?.(new Event('error')))
        return request
      },
    })
    const one = open()
    await one.write(A)
    expect(JSON.parse(local[RECORD_KEY]!)).toEqual(A)
    expect(await open().read()).toEqual(A)
  })

  it('while leaving, read() is what this page knows: its reads and writes, and what other tabs announced', async () => {
    const one = open()
    const two = open()
    await one.write(A)
    page.leaving = true
    expect(await one.read()).toEqual(A)
    expect(await two.read()).toEqual({}) // not read yet
    two.saw(A) // another tab's announcement (io/tabs.ts)
    expect(await two.read()).toEqual(A)
  })
})

describe('a Storage given to connect(), and storage that throws', () => {
  it('is used as it is: the record as JSON under one key, removed when empty', async () => {
    const backing: Record<string, string> = {}
    const one = open(objectStorage(backing))
    await one.write(A)
    expect(JSON.parse(backing[RECORD_KEY]!)).toEqual(A)
    await one.write({})
    expect(backing).toEqual({})
  })

  it('throws: one report, memory for the page, merged into storage when it works again', async () => {
    const backing: Record<string, string> = { [RECORD_KEY]: JSON.stringify({ u: 'u1', a: 'a1' }) }
    let throws = false
    const inner = objectStorage(backing)
    const guard =
      <A extends unknown[], R>(f: (...a: A) => R) =>
      (...a: A): R => {
        if (throws) throw new DOMException('blocked', 'SecurityError')
        return f(...a)
      }
    const storage = {
      getItem: guard(inner.getItem),
      setItem: guard(inner.setItem),
      removeItem: guard(inner.removeItem),
    }
    const errors: Error[] = []
    const one = open(storage, (e) => errors.push(e))
    expect(await one.read()).toEqual({ u: 'u1', a: 'a1' })
    throws = true
    await one.write({ u: 'u1', i: 'i1', a: 'a1' }) // an identify went while storage threw
    await one.write({ u: 'u1', i: 'i1', a: 'a1' })
    expect(await one.read()).toEqual({ u: 'u1', i: 'i1', a: 'a1' })
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['storage'])
    backing[RECORD_KEY] = JSON.stringify({ u: 'u1', a: 'a2' }) // another page's Signed In meanwhile
    throws = false
    expect(await one.read()).toEqual({ u: 'u1', i: 'i1', a: 'a1' }) // this page's vouched fields win
    expect(JSON.parse(backing[RECORD_KEY]!)).toEqual({ u: 'u1', i: 'i1', a: 'a1' })
  })
})
