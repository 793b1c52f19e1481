// The little of classic WebDriver (W3C) that the WebKit driver needs, over fetch, and the processes
// it runs: Xvfb (MiniBrowser has no headless mode) and one WebKitWebDriver per session (it takes one
// session at a time). Every process started here is killed with its group on close and on exit.
import { spawn } from 'node:child_process'
import { openSync } from 'node:fs'
import net from 'node:net'

const started = new Set()
process.on('exit', () => {
  for (const p of started) killGroup(p)
})
for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, () => {
    for (const p of started) killGroup(p)
    process.kill(process.pid, signal)
  })
function killGroup(p) {
  try {
    process.kill(-p.pid, 'SIGKILL')
  } catch {
    // already gone
  }
  started.delete(p)
}

/** Runs `cmd` in its own process group; `stop()` kills the group. */
function run(cmd, args, opts = {}) {
  // E2E_DRIVER_LOG=<file>: the processes' output goes there
  const log = process.env.E2E_DRIVER_LOG ? openSync(process.env.E2E_DRIVER_LOG, 'a') : 'ignore'
  const p = spawn(cmd, args, { detached: true, stdio: ['ignore', log, log], ...opts })
  started.add(p)
  p.on('exit', () => started.delete(p))
  return { process: p, stop: () => killGroup(p) }
}

/** An X server of its own: `{ display: ':N', stop() }`. The screen is tall for full-page screenshots. */
export async function startXvfb() {
  const x = run('Xvfb', ['-displayfd', '3', '-screen', '0', '1600x4000x24', '-nolisten', 'tcp', '-noreset'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  })
  const display = await new Promise((resolve, reject) => {
    let out = ''
    x.process.stdio[3].on('data', (d) => {
      out += d
      if (out.includes('\n')) resolve(`:${out.trim()}`)
    })
    x.process.on('exit', (code) => reject(new Error(`Xvfb exited (${code}) before giving a display`)))
  })
  return { display, stop: x.stop }
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

/** WebKitWebDriver on a free port, ready for a session: `{ url, stop() }`. */
export async function startDriver(binary, display, env = {}) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const d = run(binary, [`--port=${port}`, '--host=local'], { env: { ...process.env, ...env, DISPLAY: display } })
    const url = `http://127.0.0.1:${port}`
    for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
      if (d.process.exitCode !== null) break
      const ready = await fetch(`${url}/status`)
        .then((r) => r.json())
        .then((j) => j.value?.ready !== false)
        .catch(() => false)
      if (ready) return { url, stop: d.stop }
    }
    d.stop()
    if (attempt === 3) throw new Error(`${binary} did not start on 127.0.0.1 (3 attempts)`)
  }
}

/**
 * A session: `cmd(method, path, body)` answers the command's `value` or throws its error. Commands
 * run one at a time, in order (a session has one current window).
 */
export async function newSession(driverUrl, capabilities, { timeout = 120_000 } = {}) {
  const call = async (method, path, body, ms = 120_000) => {
    const r = await fetch(`${driverUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: globalThis.AbortSignal.timeout(ms),
    })
    const { value } = await r.json()
    if (value?.error)
      throw new Error(`WebDriver ${method} ${path.replace(/^\/session\/[^/]+/, '')}: ${value.error}: ${value.message}`)
    return value
  }
  const created = await call('POST', '/session', { capabilities: { alwaysMatch: capabilities } }, timeout)
  const base = `/session/${created.sessionId}`
  let queue = Promise.resolve()
  const serial = (fn) => {
    const p = queue.then(fn)
    queue = p.catch(() => {})
    return p
  }
  return {
    capabilities: created.capabilities,
    cmd: (method, path, body) => serial(() => call(method, `${base}${path}`, body)),
    /** Several commands with nothing of another caller between them. */
    serial: (fn) => serial(() => fn((method, path, body) => call(method, `${base}${path}`, body))),
    close: () => serial(() => call('DELETE', base).catch(() => {})),
  }
}

/** execute/async of `fn(arg)`: answers `{ ok, v, undef, e }` (WebDriver's JSON has no undefined). */
export function executeScript(fn, arg) {
  const script = `const done = arguments[arguments.length - 1];
Promise.resolve().then(() => (${fn})(arguments[0])).then(
  (v) => done({ ok: true, v: v === undefined ? null : v, undef: v === undefined }),
  (e) => done({ ok: false, e: String((e && e.stack) || e) }),
)`
  return { script, args: [arg === undefined ? null : arg] }
}
