import { defineConfig } from 'vite';

// Built into the folder the Rust binary embeds; served at /console/.
export default defineConfig({
  base: '/console/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: '../api/assets/console',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be an inline script, which the Content-Security-Policy forbids.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: { proxy: { '/graphql': 'http://127.0.0.1:8080', '/v1': 'http://127.0.0.1:8080' } },
});
