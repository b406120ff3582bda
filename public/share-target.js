// Web Share Target, in the service worker (vite.config.ts has workbox importScripts() this file): another app
// shares files to the installed Pigeon as a POST of multipart form data to the manifest's share_target action.
// Keep them in Cache Storage and send the browser on to the app with a marker; the page (src/app/shared-files.ts)
// takes them out, and offers them to the peer once the person taps Send. A classic script: importScripts() cannot
// load modules.
// @ts-check

/** The manifest's share_target.action, relative to the service worker's scope. */
const SHARE_ACTION = 'share-target';
/** The form field the manifest names in share_target.params.files. */
const SHARE_FIELD = 'files';
/** Must match src/app/shared-files.ts: the cache, the header keeping each file's name, the marker. */
const SHARE_CACHE = 'pigeon-shared-files';
const NAME_HEADER = 'x-pigeon-name';
const SHARE_LANDING = './?share=1';
const APP_LANDING = './';
/** "See other": the browser follows the redirect with a GET, so a reload never posts the files again. */
const SEE_OTHER = 303;

/** @type {ServiceWorkerGlobalScope} */
const sw = /** @type {any} */ (self);

sw.addEventListener('fetch', (/** @type {FetchEvent} */ event) => {
  const { request } = event;
  const url = new URL(request.url);
  const action = new URL(SHARE_ACTION, sw.registration.scope);
  // Workbox routes only GET requests, so this POST is ours alone.
  if (request.method !== 'POST' || url.origin !== action.origin || url.pathname !== action.pathname) return;
  event.respondWith(fromShareSheet(request, action.origin) ? keepShared(request) : refuse());
});

/**
 * Whether the POST can be the platform's share sheet: a navigation the browser starts itself, so no web page
 * made it. Any website can post a form here too (the same navigation, to the same path); what tells them apart:
 * a browser that shows its Fetch Metadata to the service worker says 'none' for the share sheet and
 * 'cross-site' for a form (Chromium adds Sec-Fetch-* only after the service worker, so there it is absent),
 * and a form posted from a web page carries that page as referrer unless the page hides it. Neither is proof:
 * the person also decides, file by file, whether a share is sent (src/ui/shared-notice.ts).
 * @param {Request} request
 * @param {string} origin
 */
function fromShareSheet(request, origin) {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'none') return false;
  /** @type {URL | null} */
  let referrer = null;
  try {
    referrer = new URL(request.referrer);
  } catch {
    // '' (no referrer): the browser's own navigation, or a page that hid itself.
  }
  const webPage = referrer !== null && (referrer.protocol === 'https:' || referrer.protocol === 'http:');
  return !webPage || referrer?.origin === origin;
}

/** A post from a web page: nothing is kept, and the browser lands on the app without the share marker. */
function refuse() {
  return Response.redirect(new URL(APP_LANDING, sw.registration.scope).href, SEE_OTHER);
}

/** @param {Request} request */
async function keepShared(request) {
  const form = await request.formData().catch(() => null);
  // An empty file input still posts one nameless, empty file: that is no file.
  const files = (form?.getAll(SHARE_FIELD) ?? []).filter(
    (f) => typeof f !== 'string' && (f.name !== '' || f.size > 0),
  );
  const cache = await caches.open(SHARE_CACHE);
  // Unique keys, put one after another: the page reads them in this order, and later shares add up.
  const batch = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  for (const [i, file] of files.entries()) {
    await cache.put(
      new Request(new URL(`${SHARE_ACTION}/${batch}/${i}`, sw.registration.scope)),
      new Response(file, {
        headers: {
          'content-type': file.type || 'application/octet-stream',
          // Headers carry Latin-1 only: the name goes percent-encoded.
          [NAME_HEADER]: encodeURIComponent(file.name),
        },
      }),
    );
  }
  return Response.redirect(new URL(SHARE_LANDING, sw.registration.scope).href, SEE_OTHER);
}
