// @vitest-environment happy-dom
/**
 * The README's route-change page() recipe ("With okta-react…"), run as written under React's
 * <StrictMode> in development (which runs every effect twice) with react-router and the real
 * analytics-next: one page event per route, none twice.
 */
import { StrictMode, act, createElement as h, useEffect, useRef } from 'react'
import { createRoot } from 'react-dom/client'
import { MemoryRouter, Route, Routes, useLocation, useNavigate } from 'react-router-dom'
import { afterEach, expect, it } from 'vitest'
import { createAnalytics, quiet, resetBrowserState } from './helpers/segment'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
afterEach(() => resetBrowserState())

// As in the README.
function usePageViews(analytics: { page(): unknown }) {
  const { pathname } = useLocation()
  const sent = useRef<string>(undefined)
  useEffect(() => {
    if (sent.current === pathname) return // StrictMode's second run of the same effect
    sent.current = pathname
    analytics.page()
  }, [pathname])
}

it('sends one page() per route change under StrictMode', async () => {
  const segment = createAnalytics()
  let go!: (path: string) => void
  let effects = 0
  function Pages() {
    usePageViews(segment.analytics)
    go = useNavigate()
    useEffect(() => void effects++) // StrictMode runs effects twice: proof it is on
    return h(Routes, null, h(Route, { path: '/', element: 'home' }), h(Route, { path: '/about', element: 'about' }))
  }
  const root = createRoot(document.body.appendChild(document.createElement('div')))
  await act(async () => root.render(h(StrictMode, null, h(MemoryRouter, null, h(Pages)))))
  expect(effects).toBe(2)
  await act(async () => go('/about'))
  await act(async () => go('/'))
  await segment.instance
  await quiet(segment)
  const pages = segment.sent.filter((e) => e.type === 'page')
  expect(pages.map((e) => new URL(e.body.context.page.url).pathname)).toHaveLength(3)
  expect(new Set(pages.map((e) => e.body.messageId)).size).toBe(3)
  act(() => root.unmount())
  segment.restore()
})
