// The benches' node side: named steps that fail saying which one overran, and waiting for a job a page runs
// (scripts/bench-pages.ts) without one long evaluate call.
import type { AppPage } from '../test/e2e/harness/app.ts';
import { readJob } from './bench-pages.ts';

/** How often a bench asks a page whether its job is done. */
const JOB_POLL_MS = 250;

/** Runs one step; if it overruns, fails naming the step (the step's own promise is left to the cleanup). */
export async function step<T>(name: string, ms: number, work: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const overrun = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`bench step "${name}" timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work(), overrun]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits for a page job started by a page function (bench-pages.ts). Long work is never one evaluate call: a
 * driver's own protocol timeout (puppeteer: 180 s) would end it with an error that names no step.
 */
export async function jobResult<T>(page: AppPage, key: string, name: string, ms: number): Promise<T> {
  return step(name, ms, async () => {
    for (;;) {
      const job = await page.evaluate(readJob, key);
      if (job?.error !== undefined) throw new Error(`${name}: ${job.error}`);
      if (job !== null && 'value' in job) return job.value as T;
      await new Promise((r) => setTimeout(r, JOB_POLL_MS));
    }
  });
}
