// The web app manifest exactly as the build emits it: vite.config.ts resolved, then the PWA plugin's own
// manifest step, without a full build. Shared by the manifest and share-target unit tests.
import { resolve } from 'node:path';
import { resolveConfig } from 'vite';
import type { VitePluginPWAAPI } from 'vite-plugin-pwa';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const PUBLIC = resolve(ROOT, 'public');

export interface ManifestIcon {
  readonly src: string;
  readonly sizes: string;
  readonly type: string;
  readonly purpose?: string;
}
export interface ShareTarget {
  readonly action: string;
  readonly method?: string;
  readonly enctype?: string;
  readonly params: {
    readonly files?: readonly { readonly name: string; readonly accept: readonly string[] }[];
  };
}
export interface Manifest {
  readonly name: string;
  readonly short_name: string;
  readonly description: string;
  readonly start_url: string;
  readonly scope: string;
  readonly id: string;
  readonly display: string;
  readonly theme_color: string;
  readonly background_color: string;
  readonly icons: readonly ManifestIcon[];
  readonly share_target?: ShareTarget;
  readonly launch_handler?: { readonly client_mode: string | readonly string[] };
}

export async function builtManifest(): Promise<{ fileName: string; manifest: Manifest }> {
  const config = await resolveConfig(
    { root: ROOT, configFile: resolve(ROOT, 'vite.config.ts'), logLevel: 'silent' },
    'build',
  );
  const pwa = config.plugins.find((p) => p.name === 'vite-plugin-pwa') as
    | { api?: VitePluginPWAAPI }
    | undefined;
  if (pwa?.api === undefined) throw new Error('vite.config.ts has no vite-plugin-pwa');
  const bundle = pwa.api.generateBundle({});
  const asset = Object.values(bundle ?? {}).find((f) => f.fileName.endsWith('.webmanifest'));
  if (asset?.type !== 'asset') throw new Error('the PWA plugin emitted no .webmanifest');
  return { fileName: asset.fileName, manifest: JSON.parse(String(asset.source)) as Manifest };
}

/** A relative URL that stays inside the app's folder (no scheme, no leading slash, no '..'). */
export const isRelativeInside = (url: string): boolean =>
  !/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('/') && !url.split('/').includes('..');
