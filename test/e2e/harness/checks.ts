// Checks every e2e test gets without asking, run after each test over every app page it opened (pages closed
// during the test were read as they closed: AppPage.close).
import { afterEach, expect } from 'vitest';
import { collectChecks, collectedEdits, openedApps } from './app.ts';

afterEach(async () => {
  for (const app of openedApps) await collectChecks(app);
  const edits = collectedEdits.splice(0);
  expect(edits, 'every local description must be exactly what createOffer/createAnswer returned').toEqual([]);
});
