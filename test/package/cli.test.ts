// The `okta-segment` command as a user installs it: the tarball's bin, run by node in a child
// process on the schema fixtures, and the file is Node-only (nothing from the browser bundles).
import { execFile } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, inject, test } from 'vitest'
import { FIXTURES, FIXTURE_ARGS } from '../schema/fixture-run'
import { ROOT } from './paths'

const run = promisify(execFile)
const installed = () => {
  const dir = join(inject('consumer'), 'node_modules', 'okta-segment')
  const { bin } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { bin: Record<string, string> }
  return join(dir, bin['okta-segment']!)
}
const okta = (args: readonly string[]) =>
  run(process.execPath, [installed(), ...args], { cwd: FIXTURES }).then(
    ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ status: e.code, stdout: e.stdout, stderr: e.stderr }),
  )

describe('the installed okta-segment bin', () => {
  test('is an executable Node script', () => {
    const file = installed()
    expect(readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    expect(statSync(join(ROOT, 'dist', 'cli.js')).mode & 0o111).not.toBe(0)
  })

  test('writes the same module as the sources do (test/schema/fixtures/traits.ts)', async () => {
    const { status, stdout, stderr } = await okta(FIXTURE_ARGS)
    expect([status, stderr]).toEqual([0, ''])
    expect(stdout).toBe(readFileSync(join(FIXTURES, 'traits.ts'), 'utf8'))
  })

  test('--check passes on the committed module, and a user error exits 2 without a stack trace', async () => {
    const check = await okta([...FIXTURE_ARGS, '--check', 'traits.ts'])
    expect(check.status).toBe(0)
    const bad = await okta(['schema', 'claims.json', '--clams', 'claims.json'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toBe(
      "okta-segment: unknown flag '--clams': did you mean '--claims'? (see okta-segment schema --help)\n",
    )
  })

  test('holds no browser code: no DOM, no connect()', () => {
    const code = readFileSync(installed(), 'utf8')
    expect(code).not.toMatch(/\b(window|document|localStorage|requestIdleCallback|addSourceMiddleware)\b/)
    expect(code).not.toMatch(/function connect\b|const connect\b/)
  })
})
