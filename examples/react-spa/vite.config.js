import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// `okta-segment` resolves by name to the repository's own package (its `exports` and dist/):
// build the package first (`npm run build`), as `npm run examples` does.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
})
