import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Writes `.vite/modules.json` beside Vite's manifest: the source modules each output chunk holds. With the manifest's
 * static `imports`, it tells exactly which modules the first view loads (the first-view test reads both).
 */
const chunkModules = (): Plugin => ({
  name: 'vigie-chunk-modules',
  apply: 'build',
  generateBundle(_options, bundle) {
    const modules: Record<string, string[]> = {};
    for (const [file, out] of Object.entries(bundle)) {
      if (out.type === 'chunk') modules[file] = Object.keys(out.modules).map((id) => id.replace(/\\/g, '/'));
    }
    this.emitFile({ type: 'asset', fileName: '.vite/modules.json', source: JSON.stringify(modules) });
  },
});

/**
 * src/boot.ts is an entry of its own, loaded by the page's first tag: a few kilobytes that ask for the first view's data
 * and charts library while the application's scripts download (main.tsx imports it too, so it runs once either way).
 */
const bootFirst = (): Plugin => ({
  name: 'vigie-boot-first',
  apply: 'build',
  transformIndexHtml: {
    order: 'post',
    handler(html, ctx) {
      const boot = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.isEntry && c.facadeModuleId?.endsWith('/src/boot.ts'));
      if (!boot || boot.type !== 'chunk') throw new Error('vigie-boot-first: no boot chunk in the bundle');
      return [
        { tag: 'script', attrs: { type: 'module', crossorigin: true, src: `/${boot.fileName}` }, injectTo: 'head-prepend' },
        ...boot.imports.map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` }, injectTo: 'head-prepend' as const })),
      ];
    },
  },
});

// No React plugin: Vite's own transformer compiles JSX with the automatic runtime (no fast refresh needed).
export default defineConfig({
  root: import.meta.dirname,
  resolve: {
    // The shared domain package from its TypeScript source; `@vigie/domain/<module>` reaches one module,
    // so the first view bundles only what it uses (not every Zod schema).
    conditions: ['vigie-source', ...defaultClientConditions],
    // Preact's React layer in the browser build: React and react-dom alone weigh about 59 KB brotli, more than half of
    // the first view's 100 KB budget on a 256 kbit/s link, and the libraries the dashboard cannot do without (router,
    // i18next, uPlot) already take about 40 KB; preact/compat does the same job in about 7 KB. The code is still
    // written and type-checked against React's API (the few hooks and lazy/Suspense the app uses exist in both).
    alias: [
      { find: /^react$/, replacement: 'preact/compat' },
      { find: /^react-dom$/, replacement: 'preact/compat' },
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
      { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
      // wouter (the router) reaches useSyncExternalStore through React's CommonJS shim for React 17; preact/compat has it.
      { find: /^use-sync-external-store\/shim(\/index\.js)?$/, replacement: 'preact/compat' },
    ],
  },
  oxc: { jsx: { runtime: 'automatic' } },
  plugins: [
    chunkModules(),
    bootFirst(),
    // Installable and usable offline: the manifest (French name), and src/sw.ts with the precache list injected.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: null, // registered by main.tsx after the first view
      manifest: {
        name: 'Vigie — signalement des incidents et alerte précoce',
        short_name: 'Vigie',
        description: 'Signaler un incident, même sans réseau ; suivre les alertes et la stratégie commune.',
        lang: 'fr',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#12355b',
        background_color: '#ffffff',
        icons: [
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          { src: '/icon-maskable.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'maskable' },
        ],
        shortcuts: [{ name: 'Nouveau signalement', url: '/incidents/new' }, { name: 'Mes signalements', url: '/my-reports' }],
      },
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,woff2,webmanifest}'],
        // The detailed MapLibre map (about 1.6 MB) stays online-only: the form's light SVG picker works offline.
        // Fonts: the Latin subsets (French, English); the extended ones load when a page needs them.
        globIgnores: ['**/map-api-*', '**/maplibre-gl-worker-*', '**/MapView-*', '**/LocationPicker-*', '**/*latin-ext*', '**/*cyrillic*', '**/*greek*', '**/*vietnamese*', '**/*devanagari*'],
        maximumFileSizeToCacheInBytes: 1024 * 1024,
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    manifest: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: { index: 'index.html', boot: 'src/boot.ts' },
      // Vite's preload helper and the bundler's runtime travel with the boot script rather than as two more requests
      // (each costs its headers, about a kilobyte, on the first view's budget).
      output: { codeSplitting: { groups: [{ name: 'boot', test: /preload-helper|rolldown[:/]runtime|\/src\/boot\.ts/ }] } },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/ogc': 'http://127.0.0.1:3000' } },
});
