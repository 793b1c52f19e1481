// The browser suite's own counting (test/e2e/events.mjs), DOM-free: a call made twice is one
// messageId that reached the collector with two timestamps; analytics-next's retry of one event
// keeps its timestamp and is not one. The loops' "0 calls made twice" is only as good as this.
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a JavaScript module of the browser suite, without types
import { assertNoCallsMadeTwice, callsMadeTwice, uniqueEvents } from './e2e/events.mjs'

const e = (messageId: string, timestamp: string, event = 'Signed In') => ({
  type: 'track',
  event,
  messageId,
  timestamp,
})

describe('calls made twice', () => {
  it('one messageId with two timestamps is one call made twice; a retry (same timestamp) is none', () => {
    const events = [e('m1', 't1'), e('m1', 't1'), e('m2', 't1'), e('m2', 't2'), e('m3', 't3')]
    expect(callsMadeTwice(events)).toEqual([{ messageId: 'm2', label: 'track:Signed In', timestamps: ['t1', 't2'] }])
    expect(uniqueEvents(events).map((x: { messageId: string }) => x.messageId)).toEqual(['m1', 'm2', 'm3'])
  })

  it('three calls with one messageId are two made twice', () => {
    expect(callsMadeTwice([e('m', 'a'), e('m', 'b'), e('m', 'c')])).toHaveLength(2)
  })

  it('the assertion fails on one and prints the count the loops add up', () => {
    const lines: string[] = []
    const log = console.log
    console.log = (line: string) => void lines.push(line)
    try {
      expect(() =>
        assertNoCallsMadeTwice('firefox', 'sign-out', [e('m', 'a', 'Signed Out'), e('m', 'b', 'Signed Out')]),
      ).toThrow(/calls made twice: track:Signed Out/)
      assertNoCallsMadeTwice('firefox', 'sign-in', [e('m', 'a'), e('m', 'a')])
    } finally {
      console.log = log
    }
    expect(lines[0]).toMatch(/^calls made twice \(firefox, sign-out\): 1 — track:Signed Out/)
    expect(lines[1]).toBe('calls made twice (firefox, sign-in): 0')
  })
})
