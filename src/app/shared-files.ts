// Files shared to Pigeon from another app (Web Share Target). The service worker (public/share-target.js) keeps
// them in Cache Storage and opens the app at ?share=1; this takes them out, once, for the files room to offer.

/** Must match public/share-target.js. */
export const SHARE_CACHE = 'pigeon-shared-files';
export const NAME_HEADER = 'x-pigeon-name';
export const SHARE_PARAM = 'share';
/** A stored file whose name did not survive (should not happen) still gets one. */
export const UNNAMED = 'shared-file';

/** The parts of Cache Storage used here (a fake in node tests). */
export interface SharedStore {
  has(name: string): Promise<boolean>;
  open(name: string): Promise<{
    keys(): Promise<readonly Request[]>;
    match(request: Request): Promise<Response | undefined>;
  }>;
  delete(name: string): Promise<boolean>;
}

/** The name the service worker stored (percent-encoded), or a plain fallback when it is missing or broken. */
export function storedName(header: string | null): string {
  if (header === null || header === '') return UNNAMED;
  try {
    return decodeURIComponent(header);
  } catch {
    return UNNAMED;
  }
}

/** The address without the share marker, or null when it carries none (the page was not opened by a share). */
export function withoutShareMarker(href: string): string | null {
  const url = new URL(href);
  if (!url.searchParams.has(SHARE_PARAM)) return null;
  url.searchParams.delete(SHARE_PARAM);
  return url.href;
}

/**
 * Every file waiting in the store, in the order they were shared; the store is emptied, so two loads never offer
 * the same share twice. Never throws: storage that fails means no shared files.
 */
export async function takeSharedFiles(store: SharedStore): Promise<File[]> {
  try {
    if (!(await store.has(SHARE_CACHE))) return [];
    const cache = await store.open(SHARE_CACHE);
    const files: File[] = [];
    for (const key of await cache.keys()) {
      const response = await cache.match(key);
      if (response === undefined) continue;
      const blob = await response.blob();
      files.push(new File([blob], storedName(response.headers.get(NAME_HEADER)), { type: blob.type }));
    }
    await store.delete(SHARE_CACHE);
    return files;
  } catch {
    return [];
  }
}
