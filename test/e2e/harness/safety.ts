// The safety words as a person reads them off the app's screen (docs/safety-words.md): the items of the
// visible region named "Safety words", each its symbol and its name.
import { type AppPage, MESSAGE_TIMEOUT_MS, t } from './app.ts';

/** The words shown in the region named `title` ("Safety words"), or null while there are none. */
function readWords(title: string): string[] | null {
  const region = [...document.querySelectorAll('section[aria-label]')].find(
    (el) => el.getAttribute('aria-label') === title && !(el as HTMLElement).hidden,
  );
  const items = region ? [...region.querySelectorAll('li')].map((li) => li.textContent?.trim() ?? '') : [];
  return items.length > 0 ? items : null;
}

/** The six words once shown ("🐴 Horse", …). */
export async function wordsOf(app: AppPage): Promise<string[]> {
  const words = await app.poll(
    `${app.name}: safety words shown`,
    () => app.evaluate(readWords, t('safety.title')),
    (w) => w !== null,
    MESSAGE_TIMEOUT_MS,
  );
  return words ?? [];
}
