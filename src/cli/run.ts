import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { checkCombination, HELP, parseCommand, type SchemaArgs } from './args'
import { diffMaps, readTraitsMap } from './check'
import { CliError, isCliError } from './errors'
import { loadInputs, type Env } from './inputs'
import { plan } from './plan'
import { render } from './render'

/** The process's surroundings: output streams besides `Env`. */
export interface Io extends Env {
  stdout(text: string): void
  stderr(text: string): void
}

// How to run the same command again, for the module's header and --check's hint.
const shell = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`)
const commandOf = (a: SchemaArgs): string =>
  [
    'npx okta-segment schema',
    ...(a.schema ? [a.schema] : []),
    ...(a.claims ? ['--claims', a.claims] : []),
    ...(a.appSchema ? ['--app-schema', a.appSchema] : []),
    ...(a.org ? ['--org', a.org] : []),
    ...(a.org && !a.claims && a.authServer ? ['--auth-server', a.authServer] : []),
    ...(a.app ? ['--app', a.app] : []),
  ]
    .map((part, i) => (i ? shell(part) : part))
    .join(' ')

const schemaCommand = async (a: SchemaArgs, io: Io): Promise<number> => {
  checkCombination(a)
  const inputs = await loadInputs(a, io)
  const result = plan(inputs)
  const command = commandOf(a)
  const file = a.out ?? a.check
  const { id } = inputs.user
  const schema = `${inputs.labels.schema}${id && id !== inputs.labels.schema ? ` (${id})` : ''}`
  const module = render(result, { schema, claims: inputs.labels.claims, command, file })
  const mapped = result.entries.filter((e) => e.trait !== false).length
  const off = result.entries.length - mapped
  const summary = `${mapped} claims mapped to traits, ${off} turned off, ${result.left.length} left out`
  if (a.check) {
    const source = await readFile(resolve(io.cwd, a.check), 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new CliError(
        e.code === 'ENOENT' ? `--check: ${a.check} not found` : `--check: cannot read ${a.check} (${e.code})`,
      )
    })
    const want = new Map(result.entries.map((e) => [e.claim, e.trait] as const))
    const why = new Map(result.entries.map((e) => [e.claim, e.note] as const))
    const diff = diffMaps(want, readTraitsMap(source, a.check), why)
    if (!diff.length) {
      io.stderr(`${a.check} is current with Okta's schema and claims (${summary}).\n`)
      return 0
    }
    io.stderr(
      `${a.check} no longer matches Okta's schema and claims:\n${diff.join('\n')}\n` +
        `Regenerate it: ${command} --out ${shell(a.check)}\n`,
    )
    return 1
  }
  if (!a.out) {
    io.stdout(module)
    return 0
  }
  const target = resolve(io.cwd, a.out)
  try {
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, module)
  } catch (e) {
    throw new CliError(`cannot write ${a.out} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  io.stderr(`Wrote ${a.out}: ${summary} (the module says why).\n`)
  return 0
}

/**
 * Runs `okta-segment <argv>` and resolves to the exit status: 0 done, 1 `--check` found
 * differences, 2 a user error (printed without a stack trace), 3 a bug.
 */
export const run = async (argv: readonly string[], io: Io): Promise<number> => {
  try {
    const parsed = parseCommand(argv)
    if (parsed === 'help') {
      io.stdout(HELP)
      return 0
    }
    return await schemaCommand(parsed, io)
  } catch (e) {
    if (isCliError(e)) {
      io.stderr(`okta-segment: ${e.message}\n`)
      return 2
    }
    io.stderr(`okta-segment: unexpected error (please report it): ${(e as Error)?.stack ?? String(e)}\n`)
    return 3
  }
}
