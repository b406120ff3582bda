// Renders every app icon from the one source image (assets/icon.svg) with headless Chromium:
//   npx tsx scripts/make-icons.ts
// Output in public/icons/ (committed). Maskable icons keep the artwork inside the 80 % safe zone.

import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = resolve(ROOT, 'public/icons');
const SOURCE = readFileSync(resolve(ROOT, 'assets/icon.svg'), 'utf8');
const MASKABLE_SAFE_ZONE = 0.8;
const BACKGROUND = '#1f6feb';

const ICONS = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'maskable-192.png', size: 192, maskable: true },
  { file: 'maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon-180.png', size: 180, maskable: true },
  { file: 'favicon-32.png', size: 32, maskable: false },
];

mkdirSync(OUT, { recursive: true });
copyFileSync(resolve(ROOT, 'assets/icon.svg'), resolve(OUT, 'icon.svg'));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
  ],
});
try {
  for (const icon of ICONS) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    const inner = icon.maskable ? Math.round(icon.size * MASKABLE_SAFE_ZONE) : icon.size;
    const svg = `data:image/svg+xml;base64,${Buffer.from(SOURCE).toString('base64')}`;
    await page.setContent(
      `<body style="margin:0;width:${icon.size}px;height:${icon.size}px;display:grid;place-items:center;` +
        `background:${icon.maskable ? BACKGROUND : 'transparent'}"><img src="${svg}" width="${inner}" height="${inner}"></body>`,
    );
    await page.screenshot({ path: resolve(OUT, icon.file), omitBackground: !icon.maskable });
    await page.close();
    console.log(`${icon.file} ${icon.size}x${icon.size}`);
  }
} finally {
  await browser.close();
}
