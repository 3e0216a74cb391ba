import { defaultClientConditions, defineConfig } from 'vite';

// No React plugin: Vite's own transformer compiles JSX with the automatic runtime (no fast refresh needed).
export default defineConfig({
  root: import.meta.dirname,
  resolve: {
    // The shared domain package from its TypeScript source; `@vigie/domain/<module>` reaches one module,
    // so the first view bundles only what it uses (not every Zod schema).
    conditions: ['vigie-source', ...defaultClientConditions],
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      // react-router ships "use client" directives for server components; meaningless in this client-only bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/ogc': 'http://127.0.0.1:3000' } },
});
