// The web app manifest exactly as the build emits it (vite.config.ts resolved, then the PWA plugin's own
// manifest step, without a full build), checked against the files in public/: every icon exists, is a PNG and
// has the size it claims; it takes shared files. Also the icons index.html names.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtManifest, isRelativeInside, type Manifest, PUBLIC, ROOT } from '../support/manifest.ts';
import { parseSizes, pngSize } from '../support/png.ts';

const HEX_COLOUR = /^#[0-9a-f]{6}$/i;
/** Longer short names are cut off under home-screen icons. */
const SHORT_NAME_MAX = 12;

const publicFile = (src: string): string => resolve(PUBLIC, src.replace(/^\.\//, ''));

describe('web app manifest (as built from vite.config.ts)', () => {
  let fileName: string;
  let manifest: Manifest;
  beforeAll(async () => {
    ({ fileName, manifest } = await builtManifest());
  });

  it('is linked from the built page under a relative name', () => {
    expect(fileName).toBe('manifest.webmanifest');
  });

  it('names and describes the app', () => {
    expect(manifest.name.trim()).not.toBe('');
    expect(manifest.short_name.trim()).not.toBe('');
    expect(manifest.short_name.length).toBeLessThanOrEqual(SHORT_NAME_MAX);
    expect(manifest.description.trim().length).toBeGreaterThan(10);
  });

  it('a launch into the open app focuses it and hands over the address, never reloading it', () => {
    expect(manifest.launch_handler?.client_mode).toEqual(['focus-existing', 'auto']);
  });

  it('opens standalone, with theme and background colours (the theme as in index.html)', () => {
    expect(manifest.display).toBe('standalone');
    expect(manifest.theme_color).toMatch(HEX_COLOUR);
    expect(manifest.background_color).toMatch(HEX_COLOUR);
    const html = readFileSync(resolve(ROOT, 'index.html'), 'utf8');
    const meta = /<meta name="theme-color" content="([^"]+)"/.exec(html);
    expect(meta?.[1]?.toLowerCase()).toBe(manifest.theme_color.toLowerCase());
  });

  it('has a relative start_url, scope and id, so the app installs from any sub-path', () => {
    for (const url of [manifest.start_url, manifest.scope, manifest.id])
      expect(isRelativeInside(url), url).toBe(true);
    // The start page must be inside the scope: both resolve to the same folder here.
    const base = 'https://example.org/some/path/';
    expect(new URL(manifest.start_url, base).href.startsWith(new URL(manifest.scope, base).href)).toBe(true);
  });

  it('names icon files that exist in public/, are PNGs and have the sizes they claim', () => {
    expect(manifest.icons.length).toBeGreaterThan(0);
    for (const icon of manifest.icons) {
      expect(isRelativeInside(icon.src), icon.src).toBe(true);
      expect(icon.type).toBe('image/png');
      const file = publicFile(icon.src);
      expect(existsSync(file), `${icon.src} in public/`).toBe(true);
      const actual = pngSize(readFileSync(file));
      expect(parseSizes(icon.sizes), icon.src).toContainEqual(actual);
    }
  });

  it('has installable icon sizes (192 and 512) for "any" and for "maskable"', () => {
    const sizesFor = (purpose: string) =>
      manifest.icons
        .filter((i) => (i.purpose ?? 'any').split(/\s+/).includes(purpose))
        .flatMap((i) => parseSizes(i.sizes).map((s) => s.width));
    expect(sizesFor('any')).toEqual(expect.arrayContaining([192, 512]));
    expect(sizesFor('maskable')).toEqual(expect.arrayContaining([192, 512]));
  });

  it('receives shared files (Web Share Target): a POST of multipart form data to an action inside the scope', () => {
    const share = manifest.share_target;
    expect(share).toBeDefined();
    expect(share?.method).toBe('POST');
    expect(share?.enctype).toBe('multipart/form-data');
    expect(share?.params.files).toEqual([{ name: 'files', accept: ['*/*'] }]);
    const action = share?.action ?? '';
    expect(isRelativeInside(action), action).toBe(true);
    const base = 'https://example.org/some/path/';
    expect(new URL(action, base).href.startsWith(new URL(manifest.scope, base).href)).toBe(true);
  });
});

describe('icons named by index.html', () => {
  const html = readFileSync(resolve(ROOT, 'index.html'), 'utf8');
  const links = [...html.matchAll(/<link ([^>]*)>/g)].map((m) => {
    const attrs = Object.fromEntries(
      [...(m[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]),
    );
    return attrs as Record<string, string | undefined>;
  });
  const icons = links.filter((l) => l.rel === 'icon' || l.rel === 'apple-touch-icon');

  it('exist in public/', () => {
    expect(icons.length).toBeGreaterThan(0);
    for (const l of icons) expect(existsSync(publicFile(l.href ?? '')), l.href).toBe(true);
  });

  it('have the pixel size they claim (sizes attribute, or 180 for the apple-touch-icon)', () => {
    const pngs = icons.filter((l) => l.href?.endsWith('.png'));
    expect(pngs.length).toBeGreaterThan(0);
    for (const l of pngs) {
      const actual = pngSize(readFileSync(publicFile(l.href ?? '')));
      const claimed = l.sizes ?? (l.rel === 'apple-touch-icon' ? '180x180' : undefined);
      expect(claimed, `${l.href} says no size`).toBeDefined();
      expect(parseSizes(claimed ?? ''), l.href).toContainEqual(actual);
    }
  });
});
