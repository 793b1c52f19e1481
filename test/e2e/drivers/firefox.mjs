// Firefox (Debian's firefox-esr, or FIREFOX_PATH) through puppeteer-core over WebDriver BiDi
// (no geckodriver), headless, in a fresh temporary profile. Off 127.0.0.1: the profile's proxy is
// the dead end in offline.mjs with loopback exempt, and Firefox's own services (remote settings,
// telemetry, updates, safe browsing, captive portal, push…) are turned off so that they call nobody;
// what still reaches the dead end is in the context's externalRequests.
import puppeteer from 'puppeteer-core'
import { LOOPBACK, startDeadEnd } from './offline.mjs'

const QUIET = {
  'services.settings.server': 'data:,#remote-settings-off/v1',
  'app.normandy.enabled': false,
  'app.update.disabledForTesting': true,
  'app.update.auto': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.update.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.server': '',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.http.speculative-parallel-limit': 0,
  'network.trr.mode': 5,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.blocklist.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.search.update': false,
  'browser.startup.page': 0,
  'browser.newtabpage.enabled': false,
  'browser.topsites.contile.enabled': false,
  'dom.push.connection.enabled': false,
  'media.gmp-manager.url': '',
  'geo.provider.network.url': '',
  'security.OCSP.enabled': 0,
  'security.remote_settings.crlite_filters.enabled': false,
  'security.remote_settings.intermediates.enabled': false,
  'identity.fxaccounts.enabled': false,
  'browser.translations.enable': false,
  'signon.rememberSignons': false,
}

export async function launch({ binary }) {
  const deadEnd = await startDeadEnd()
  const proxy = {
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': deadEnd.port,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': deadEnd.port,
    'network.proxy.no_proxies_on': LOOPBACK.join(', '),
    'network.proxy.allow_hijacking_localhost': false,
  }
  const browser = await puppeteer
    .launch({
      browser: 'firefox',
      executablePath: binary,
      headless: !process.env.HEADED,
      // a release build takes services.settings.server only with this set
      env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
      extraPrefsFirefox: { ...QUIET, ...proxy },
    })
    .catch(async (e) => {
      await deadEnd.close()
      throw e
    })
  return {
    version: (await browser.version()).replace(/^firefox\//, ''),
    async newContext({ viewport }) {
      const context = await browser.createBrowserContext()
      const since = deadEnd.seen.length
      const initScripts = []
      return {
        get externalRequests() {
          return deadEnd.seen.slice(since)
        },
        // puppeteer has init scripts per page only: the context's go to every page opened after
        addInitScript: async (fn, arg) => void initScripts.push([fn, arg]),
        async newPage() {
          const page = await context.newPage({ type: 'window' })
          await page.setViewport(viewport)
          for (const [fn, arg] of initScripts) await page.evaluateOnNewDocument(fn, arg)
          return rawPage(page)
        },
        close: () => context.close().catch(() => {}),
      }
    },
    async close() {
      await browser.close().catch(() => {})
      await deadEnd.close()
    },
  }
}

const fromBrowser = (e) => !/\n\s+at /.test(e?.stack ?? '')

/** @param {import('puppeteer-core').Page} page */
function rawPage(page) {
  const type = (t) => (t === 'warn' ? 'warning' : t)
  return {
    goto: async (url) => void (await page.goto(url, { waitUntil: 'load' })),
    reload: async () => void (await page.reload({ waitUntil: 'load' })),
    url: async () => page.url(),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    click: (sel) => page.click(sel),
    screenshot: (path) => page.screenshot({ path, fullPage: true }),
    addInitScript: async (fn, arg) => void (await page.evaluateOnNewDocument(fn, arg)),
    // Firefox's own messages (CORS, integrity, CSP) arrive as errors of the page without a stack:
    // they are console lines; an error of the page has frames
    onConsole: (fn) => {
      page.on('console', (m) => fn({ type: type(m.type()), text: m.text(), url: m.location()?.url ?? '' }))
      page.on('pageerror', (e) => fromBrowser(e) && fn({ type: 'error', text: e.message, url: '' }))
    },
    onPageError: (fn) => page.on('pageerror', (e) => fromBrowser(e) || fn(e?.message ?? String(e))),
    close: () => page.close().catch(() => {}),
  }
}
