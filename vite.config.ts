import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};
/**
 * The version the app reports (to its peer, and baked into the bundle). PIGEON_BUILD_ID, when set, is appended as
 * semver build metadata ("0.1.0+2"): the tests use it to make a second, different build of the same sources.
 */
const buildId = process.env.PIGEON_BUILD_ID ?? '';
const appVersion = buildId === '' ? pkg.version : `${pkg.version}+${buildId}`;

/**
 * Strict CSP for the built app: no inline script, no remote origin. Only in the build, because the dev
 * server injects inline styles for hot reload. `blob:` media for camera previews; WebRTC is not governed
 * by connect-src. 'wasm-unsafe-eval' lets WebAssembly compile (hash-wasm hashes transfers) and nothing else: eval
 * and inline script stay refused.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

// First in <head>: a policy in a <meta> governs only what comes after it, so it must precede the entry script
// and stylesheet that Vite puts into <head>.
const csp = (): Plugin => ({
  name: 'pigeon-csp',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP },
      injectTo: 'head-prepend',
    },
  ],
});

/**
 * Web Share Target: the installed app receives files shared from other apps as a POST to this action (relative
 * to the manifest, so any sub-path works). public/share-target.js, run inside the generated service worker,
 * answers it; its SHARE_ACTION and SHARE_FIELD must match these.
 */
const SHARE_ACTION = 'share-target';
const SHARE_FIELD = 'files';
const SHARE_WORKER_SCRIPT = 'share-target.js';

// Relative base: the build works from any sub-path of any static host.
export default defineConfig({
  base: './',
  define: { __APP_VERSION__: JSON.stringify(appVersion) },
  build: { target: 'es2022', sourcemap: true },
  worker: { format: 'es' },
  plugins: [
    csp(),
    VitePWA({
      // The app asks before swapping versions: never under a live connection.
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icons/icon.svg', 'icons/favicon-32.png', 'icons/apple-touch-icon-180.png'],
      manifest: {
        id: './',
        name: 'Pigeon',
        short_name: 'Pigeon',
        description: 'Talk device to device over WebRTC. Pair by QR code or text — no server.',
        lang: 'en',
        start_url: './',
        scope: './',
        display: 'standalone',
        // A code's link opened into the installed app must not reload the window holding the exchange:
        // the address comes to it through window.launchQueue (src/app/launch.ts).
        launch_handler: { client_mode: ['focus-existing', 'auto'] },
        orientation: 'portrait',
        theme_color: '#1f6feb',
        background_color: '#f7f7f4',
        categories: ['social', 'utilities'],
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        share_target: {
          action: SHARE_ACTION,
          method: 'POST',
          enctype: 'multipart/form-data',
          params: { files: [{ name: SHARE_FIELD, accept: ['*/*'] }] },
        },
      },
      workbox: {
        importScripts: [SHARE_WORKER_SCRIPT],
        // Everything the app needs offline, the lazy scanner chunks included.
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
      },
    }),
  ],
});
