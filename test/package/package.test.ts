// The npm package as a user installs it: the tarball's contents, its entry points, and types
// that resolve for ESM, CJS and bundler consumers.
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, inject, test } from 'vitest'
import { BIN, ROOT } from './paths'

const run = promisify(execFile)
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))

describe('tarball', () => {
  test('holds only what a user needs: the built files, README, CHANGELOG, LICENSE', () => {
    // A new file in dist/ must be added here on purpose (no source maps, tests or sources leak).
    expect(inject('packed')).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/cli.js',
      'dist/event-hooks.cjs',
      'dist/event-hooks.d.cts',
      'dist/event-hooks.d.ts',
      'dist/event-hooks.js',
      'dist/index.cjs',
      'dist/index.d.cts',
      'dist/index.d.ts',
      'dist/index.js',
      'dist/index.prod.cjs',
      'dist/index.prod.js',
      'dist/okta-segment.global.js',
      'dist/okta-segment.global.min.js',
      'package.json',
    ])
  })

  test('every path package.json points to is in it', () => {
    const paths = new Set<string>()
    const walk = (v: unknown): void => {
      if (typeof v === 'string') paths.add(v.replace(/^\.\//, ''))
      else if (v && typeof v === 'object') Object.values(v).forEach(walk)
    }
    walk([pkg.main, pkg.module, pkg.types, pkg.exports, pkg.unpkg, pkg.jsdelivr, pkg.sideEffects, pkg.bin])
    paths.delete('package.json')
    expect([...paths].filter((p) => !inject('packed').includes(p))).toEqual([])
    expect(pkg.unpkg).toBe('./dist/okta-segment.global.min.js')
    expect(pkg.bin).toEqual({ 'okta-segment': './dist/cli.js' })
  })

  test('has no runtime dependencies', () => {
    expect(pkg.dependencies ?? {}).toEqual({})
  })
})

describe('entry points', () => {
  const names = async (code: string, type: 'module' | 'commonjs') => {
    const { stdout } = await run(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: inject('consumer') })
    return JSON.parse(stdout) as string[]
  }

  test('import and require give the same exports, from the installed package', async () => {
    const esm = await names(
      `const m = await import('okta-segment'); console.log(JSON.stringify(Object.keys(m).sort()))`,
      'module',
    )
    const cjs = await names(
      `const m = require('okta-segment'); console.log(JSON.stringify(Object.keys(m).sort()))`,
      'commonjs',
    )
    expect(esm).toContain('connect')
    expect(cjs).toEqual(esm)
  })

  test('okta-segment/event-hooks: import and require give the same exports', async () => {
    const esm = await names(
      `const m = await import('okta-segment/event-hooks'); console.log(JSON.stringify(Object.keys(m).sort()))`,
      'module',
    )
    const cjs = await names(
      `const m = require('okta-segment/event-hooks'); console.log(JSON.stringify(Object.keys(m).sort()))`,
      'commonjs',
    )
    expect(esm).toEqual(
      expect.arrayContaining([
        'createEventHookHandler',
        'createUniversalLogoutHandler',
        'toNodeListener',
        'toLambdaHandler',
      ]),
    )
    expect(cjs).toEqual(esm)
  })

  // What a bad option says: the development build what to write (every option checked), the
  // production build (the `production` export condition: Vite and webpack production builds) a short
  // code, for what would break the page or leak data only: auth, analytics, 0.1's filters and groups.
  test.each([
    ['module', [], { trait: {} }, /did you mean `traits`\?/],
    ['commonjs', [], { trait: {} }, /did you mean `traits`\?/],
    ['module', [], { filters: [] }, /moved to a plugin in 0\.2: write plugins: \[filters\(/],
    [
      'module',
      ['--conditions=production'],
      { auth: {} },
      /^okta-segment: option `auth` is invalid \(README: Errors\)$/,
    ],
    [
      'commonjs',
      ['--conditions=production'],
      { analytics: null },
      /^okta-segment: option `analytics` is invalid \(README: Errors\)$/,
    ],
    [
      'module',
      ['--conditions=production'],
      { filters: [] },
      /^okta-segment: option `filters` is invalid \(README: Errors\)$/,
    ],
    [
      'commonjs',
      ['--conditions=production'],
      { groups: { allow: ['A'] } },
      /^okta-segment: option `groups` is invalid \(README: Errors\)$/,
    ],
  ] as const)('%s %j %j: the build the conditions choose', async (type, flags, bad, message) => {
    const load = type === 'module' ? `await import('okta-segment')` : `require('okta-segment')`
    const code = `(async () => { const { connect, isOptionsError } = ${load}
      const auth = { authStateManager: { getAuthState: () => null, subscribe() {}, unsubscribe() {} } }
      try { connect({ auth, analytics: [], ...${JSON.stringify(bad)} }) } catch (e) { console.log(JSON.stringify([isOptionsError(e), e.message])) } })()`
    const { stdout } = await run(process.execPath, [...flags, `--input-type=${type}`, '-e', code], {
      cwd: inject('consumer'),
    })
    const [isOptions, text] = JSON.parse(stdout) as [boolean, string]
    expect(isOptions).toBe(true)
    expect(text).toMatch(message)
  })

  // The production build logs, with `debug: true`, each call it makes: method, event, messageId.
  test('production, debug: true: one line per call, no reasons, no values', async () => {
    const code = `(async () => { const { connect } = await import('okta-segment')
      const store = { ajs_user_id: null, ajs_anonymous_id: 'anon-1' }
      const user = () => ({ idKey: 'ajs_user_id', traitsKey: 't', identityStore: { get: (k) => store[k] }, traitsStore: { get: () => null } })
      const analytics = { identify: (id) => void (store.ajs_user_id = id), track() {}, reset() {}, user }
      let emit
      const state = { isAuthenticated: true, idToken: { claims: { sub: 'u1', email: 'a@example.com', auth_time: 1 } } }
      const auth = { authStateManager: { getAuthState: () => null, subscribe: (f) => (emit = f), unsubscribe() {} } }
      const lines = []
      console.info = (...a) => lines.push(a.join(' '))
      const bridge = connect({ auth, analytics, debug: true, storage: null })
      emit(state)
      await bridge.flush()
      bridge.disconnect()
      console.log(JSON.stringify(lines)) })()`
    const { stdout } = await run(process.execPath, ['--conditions=production', '--input-type=module', '-e', code], {
      cwd: inject('consumer'),
    })
    const lines = JSON.parse(stdout) as string[]
    expect(lines).toEqual([
      expect.stringMatching(/^\[okta-segment\] identify okta-segment-id-\w+$/),
      expect.stringMatching(/^\[okta-segment\] track Signed In okta-segment-in-\w+$/),
    ])
  })

  test('the production build carries none of the development messages', () => {
    const prod = readFileSync(join(ROOT, 'dist', 'index.prod.js'), 'utf8')
    const dev = readFileSync(join(ROOT, 'dist', 'index.js'), 'utf8')
    for (const text of ['did you mean', 'useOktaAuth() result', 'identify skipped: already sent'])
      expect([dev.includes(text), prod.includes(text)]).toEqual([true, false])
    const min = readFileSync(join(ROOT, 'dist', 'okta-segment.global.min.js'), 'utf8')
    expect(min).not.toContain('did you mean')
  })

  // The consumer has neither optional peer installed: the entry still loads, and says what to install.
  test.each(['module', 'commonjs'] as const)(
    'okta-segment/event-hooks without analytics-node (%s): a clear error at creation',
    async (type) => {
      const load =
        type === 'module' ? `await import('okta-segment/event-hooks')` : `require('okta-segment/event-hooks')`
      const code = `(async () => { const { createEventHookHandler } = ${load}
      createEventHookHandler({ secret: 's', segment: { writeKey: 'k' }, onError: (e) => console.log(JSON.stringify([e.name, e.message])) }) })()`
      const [name, message] = await names(code, type)
      expect(name).toBe('OptionsError')
      expect(message).toMatch(/npm install @segment\/analytics-node/)
    },
  )
})

describe('types', () => {
  test('are the right ones for every resolution (arethetypeswrong)', async () => {
    const { stdout } = await run(join(BIN, 'attw'), [inject('tarball'), '--format', 'json'], {
      cwd: ROOT,
      maxBuffer: 64 << 20,
    })
    const { problems } = JSON.parse(stdout.slice(stdout.indexOf('{')))
    expect(problems).toEqual({})
  })

  // A consumer of each kind, compiled against the installed tarball with its own resolution.
  const source = `
    import { connect, isOptionsError, type Bridge, type Options } from 'okta-segment'
    const auth = { authStateManager: { getAuthState: () => null, subscribe() {}, unsubscribe() {} } }
    const options: Options = { auth, analytics: [] }
    const bridge: Bridge = connect(options)
    bridge.flush().then(() => bridge.disconnect())
    export const guard: (e: unknown) => boolean = isOptionsError
    // @ts-expect-error: auth is required
    connect({ analytics: [] })

    import { createEventHookHandler, toNodeListener, type EventHookOptions } from 'okta-segment/event-hooks'
    const hookOptions: EventHookOptions = { secret: 's', segment: { writeKey: 'k' } }
    const hook: (request: Request) => Promise<Response> = createEventHookHandler(hookOptions)
    export const listener = toNodeListener(hook)
    // @ts-expect-error: the Segment write key is required
    createEventHookHandler({ secret: 's' })
  `
  const consumers = [
    { kind: 'ESM (node16)', file: 'esm.mts', module: 'node16', moduleResolution: 'node16' },
    { kind: 'CJS (node16)', file: 'cjs.cts', module: 'node16', moduleResolution: 'node16' },
    { kind: 'bundler', file: 'bundler.ts', module: 'esnext', moduleResolution: 'bundler' },
  ]
  test.concurrent.each(consumers)(
    'resolve and check for a $kind consumer',
    async ({ file, module, moduleResolution }) => {
      const dir = join(inject('consumer'), `types-${file.replace('.', '-')}`)
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, file), source)
      const compilerOptions = {
        module,
        moduleResolution,
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        lib: ['es2022', 'dom'],
        types: [],
      }
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: [file] }))
      const { stdout } = await run(join(BIN, 'tsc'), ['-p', dir, '--traceResolution'], {
        cwd: dir,
        maxBuffer: 64 << 20,
      }).catch((e) => {
        throw new Error(
          `tsc failed for ${file}:\n${e.stdout
            .split('\n')
            .filter((l: string) => /error/.test(l))
            .join('\n')}`,
        )
      })
      const resolved = /Module name 'okta-segment' was successfully resolved to '([^']+)'/.exec(stdout)?.[1]
      expect(resolved).toMatch(
        file.endsWith('.cts')
          ? /node_modules\/okta-segment\/dist\/index\.d\.cts$/
          : /node_modules\/okta-segment\/dist\/index\.d\.ts$/,
      )
      const server = /Module name 'okta-segment\/event-hooks' was successfully resolved to '([^']+)'/.exec(stdout)?.[1]
      expect(server).toMatch(
        file.endsWith('.cts') ? /okta-segment\/dist\/event-hooks\.d\.cts$/ : /okta-segment\/dist\/event-hooks\.d\.ts$/,
      )
    },
  )
})
