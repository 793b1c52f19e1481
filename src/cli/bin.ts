// The `okta-segment` command (Node >= 20), built to dist/cli.js with a `#!/usr/bin/env node` line.
import { run } from './run'

run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((status) => {
  process.exitCode = status
})
