import { parseArgs } from 'node:util'
import { CliError } from './errors'
import { nearest } from '../dev/nearest'

/** What `okta-segment schema` was asked to do. */
export interface SchemaArgs {
  /** the user schema file (positional); fetched from `org` when absent */
  schema?: string
  claims?: string
  appSchema?: string
  org?: string
  /** the authorization server for live claims (default `default`) */
  authServer?: string
  app?: string
  out?: string
  check?: string
}

const OPTIONS = {
  claims: { type: 'string' },
  'app-schema': { type: 'string' },
  org: { type: 'string' },
  'auth-server': { type: 'string' },
  app: { type: 'string' },
  out: { type: 'string' },
  check: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/** The text of `okta-segment --help`. */
export const HELP = `Usage: okta-segment schema [<schema.json>] [--claims <claims.json>] [options]

Writes the \`traits\` map for connect({ traits }) and its TypeScript types from Okta's user schema
and the authorization server's claims. Deny by default: an attribute is mapped only when an ID-token
claim carries it and Okta does not mark it sensitive, hidden, write-only or secret; the module says
why each other attribute and claim is left out.

Input (files saved from Okta's management API, or read live):
  <schema.json>            the user schema: GET /api/v1/meta/schemas/user/default
  --claims <claims.json>   the claims: GET /api/v1/authorizationServers/{id}/claims
  --app-schema <file>      the app user schema, for appuser.* claims: GET /api/v1/meta/schemas/apps/{appId}/default
  --org <url>              read what no file gives live from this org (https://example.okta.com),
                           with the API token in OKTA_API_TOKEN (sent as "Authorization: SSWS <token>")
  --auth-server <id>       the authorization server whose claims to read live (default: default)
  --app <appId>            the app whose user schema to read live, for appuser.* claims

Output:
  --out <file>             write the module to <file> (default: standard output)
  --check <file>           compare the traits map in <file> with Okta's; exit 1 and show what differs
  -h, --help               show this help

Exit status: 0 done, 1 --check found differences, 2 bad input or a failed call to Okta.
`

const COMMANDS = ['schema']
const FLAGS = Object.keys(OPTIONS)

/** `--help`, or the parsed arguments of `okta-segment schema`. Throws `CliError` with a suggestion. */
export const parseCommand = (argv: readonly string[]): 'help' | SchemaArgs => {
  const [command, ...rest] = argv
  if (command === undefined)
    throw new CliError(`no command given: write okta-segment schema <schema.json> --claims <claims.json>\n\n${HELP}`)
  if (command === '--help' || command === '-h' || command === 'help') return 'help'
  if (!COMMANDS.includes(command)) {
    const hint = nearest(command, COMMANDS)
    throw new CliError(
      `unknown command '${command}'${hint ? `: did you mean '${hint}'?` : ''} (see okta-segment --help)`,
    )
  }
  for (const arg of rest) {
    if (arg === '--') break
    if (!arg.startsWith('-') || arg === '-') continue
    const name = arg.replace(/^--?/, '').split('=')[0]!
    if (arg.startsWith('--') ? FLAGS.includes(name) : name === 'h') continue
    const hint = nearest(name, FLAGS)
    throw new CliError(
      `unknown flag '${arg}'${hint ? `: did you mean '--${hint}'?` : ''} (see okta-segment schema --help)`,
    )
  }
  let parsed
  try {
    parsed = parseArgs({ args: [...rest], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (e) {
    throw new CliError(`${(e as Error).message.replace(/\.$/, '')} (see okta-segment schema --help)`)
  }
  const { values: v, positionals } = parsed
  if (v.help) return 'help'
  if (positionals.length > 1) throw new CliError(`one schema file, please; got ${positionals.join(', ')}`)
  return {
    schema: positionals[0],
    claims: v.claims,
    appSchema: v['app-schema'],
    org: v.org,
    authServer: v['auth-server'],
    app: v.app,
    out: v.out,
    check: v.check,
  }
}

/** Refuses combinations that cannot mean what the user wants. */
export const checkCombination = (a: SchemaArgs): void => {
  if (a.out && a.check) throw new CliError(`--out writes the module and --check compares one: give one of them`)
  if (a.app && a.appSchema)
    throw new CliError(`--app reads the app user schema live and --app-schema from a file: give one of them`)
  if (a.authServer && a.claims)
    throw new CliError(`--auth-server reads the claims live and --claims from a file: give one of them`)
  if (!a.org) {
    if (!a.schema)
      throw new CliError(
        `no user schema: give the file saved from GET /api/v1/meta/schemas/user/default, or --org to read it live`,
      )
    if (!a.claims)
      throw new CliError(
        'no claims: give --claims <file> saved from GET /api/v1/authorizationServers/{id}/claims, ' +
          'or --org to read them live',
      )
    if (a.app) throw new CliError(`--app reads the app user schema live: add --org, or give --app-schema <file>`)
  }
}
