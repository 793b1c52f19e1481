// Size budgets (brotli; an import is bundled and minified with esbuild, as a user's bundler would),
// checked by `npm run size` in `npm test`. Limit = measured size + about 5%. The README's "Size"
// section quotes these and test/package/readme.test.ts keeps it in step: change both together.
// One line per entry: a new export is one `named(...)` line. Measured in the production build
// (what the `production` export condition gives), with one entry for the development build.
const named = (name, limit) => ({
  name: `import { ${name} }`,
  path: 'dist/index.prod.js',
  import: `{ ${name} }`,
  limit,
})

export default [
  named('connect', '7.25 kB'),
  named('allowTraits', '180 B'),
  named('dropTraits', '180 B'),
  named('hashTraits', '350 B'),
  named('dropEvents', '130 B'),
  named('consent', '150 B'),
  { name: 'import * (everything)', path: 'dist/index.prod.js', import: '*', limit: '7.9 kB' },
  { name: 'import { connect }, development build', path: 'dist/index.js', import: '{ connect }', limit: '8.6 kB' },
  {
    name: 'script tag (okta-segment.global.min.js)',
    path: 'dist/okta-segment.global.min.js',
    disablePlugins: ['@size-limit/esbuild'],
    limit: '7.6 kB',
  },
]
