// A hook for browsers that cannot run a script in a page before the page's own (WebKit over
// classic WebDriver: no init scripts, no console events). While a hook is set, every HTML page that
// startStatic serves loads `/__e2e/page.js` first, and startStatic hands every `/__e2e/` request
// to the hook (test/e2e/drivers/relay.mjs: the console relay and the init scripts). No hook, no
// change: the demo, `npm start` and the other engines' tests serve their pages untouched.
//
//   setPageHook({ serve(req, res) {} })   // one per process; setPageHook(undefined) removes it
let hook

export const setPageHook = (h) => void (hook = h)
export const pageHook = () => hook

const TAG = '<script src="/__e2e/page.js"></script>'

/** The page with the hook's script first: right after `<head…>`, else after `<html…>`, else at the top. */
export function withHookScript(html) {
  for (const re of [/<head\b[^>]*>/i, /<html\b[^>]*>/i, /<!doctype[^>]*>/i]) {
    const m = re.exec(html)
    if (m) return html.slice(0, m.index + m[0].length) + TAG + html.slice(m.index + m[0].length)
  }
  return TAG + html
}

/**
 * Makes `res` add the hook's script to an HTML answer (whatever writes it: a file, a route). The
 * answer is buffered and its Content-Length dropped; other answers pass through as they are.
 */
export function injectHookScript(res) {
  const { writeHead, write, end } = res
  let html
  const decide = (headers) => {
    if (html !== undefined) return
    const own = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1]
    html = /text\/html/i.test(String(own ?? res.getHeader('content-type') ?? ''))
    if (!html) return
    for (const k of Object.keys(headers ?? {})) if (k.toLowerCase() === 'content-length') delete headers[k]
    if (!res.headersSent) res.removeHeader('content-length')
  }
  const chunks = []
  res.writeHead = function (status, ...rest) {
    decide(rest.find((h) => h && typeof h === 'object'))
    return writeHead.call(this, status, ...rest)
  }
  res.write = function (chunk, ...rest) {
    decide()
    if (!html) return write.call(this, chunk, ...rest)
    chunks.push(Buffer.from(chunk))
    return true
  }
  res.end = function (chunk, ...rest) {
    decide()
    if (!html) return end.call(this, chunk, ...rest)
    if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk))
    return end.call(this, withHookScript(Buffer.concat(chunks).toString('utf8')))
  }
}
