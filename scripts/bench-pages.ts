// The bench's page functions: each runs inside an app page (serialised, so self-contained) and leaves its result
// at window.__benchJobs[key], for the bench to poll; none is one long evaluate call.

/** What a page job left at window.__benchJobs[key]: nothing yet, its value, or its error. */
export interface Job {
  readonly value?: unknown;
  readonly error?: string;
}

export function readJob(key: string): Job | null {
  return (window as unknown as { __benchJobs?: Record<string, Job> }).__benchJobs?.[key] ?? null;
}

/** Receiver page: accepts the offer and times it until the verified 'done' (ms, by the page's clock). */
export function acceptAndTime(arg: { key: string; name: string }): void {
  const w = window as unknown as { __benchJobs?: Record<string, unknown> };
  w.__benchJobs ??= {};
  const jobs = w.__benchJobs;
  let started = 0;
  const timer = setInterval(() => {
    const row = [...document.querySelectorAll<HTMLElement>('[data-testid="transfer"]')].find(
      (r) => r.querySelector('[data-testid="transfer-name"]')?.textContent === arg.name,
    );
    if (row === undefined) return;
    if (started === 0 && row.dataset.status === 'offered') {
      started = Date.now();
      row.querySelector<HTMLElement>('[data-testid="transfer-accept"]')?.click();
      return;
    }
    const status = row.dataset.status ?? '';
    if (started !== 0 && (status === 'done' || status === 'failed' || status === 'cancelled')) {
      clearInterval(timer);
      jobs[arg.key] = { value: { ms: Date.now() - started, status, sha256: row.dataset.sha256 ?? '' } };
    }
  }, 2);
}

export interface Pacing {
  readonly key: string;
  readonly id: number;
  readonly chunk: number;
  readonly block: number;
  readonly high: number;
  readonly low: number;
  readonly size: number;
}

/** Both pages: the bench channel on the app's connection (negotiated, so both make it); returns sctp's limit. */
export function openBlastChannel(p: Pacing): Promise<number> {
  const probe = (window as unknown as { __pigeonProbe: { pcs: RTCPeerConnection[] } }).__pigeonProbe;
  const pc = probe.pcs[probe.pcs.length - 1];
  if (pc === undefined) throw new Error('no peer connection');
  const ch = pc.createDataChannel('bench', { negotiated: true, id: p.id, ordered: true });
  ch.binaryType = 'arraybuffer';
  ch.bufferedAmountLowThreshold = p.low;
  (window as unknown as { __blast: RTCDataChannel }).__blast = ch;
  const limit = pc.sctp?.maxMessageSize ?? 0;
  return new Promise((resolve) => {
    if (ch.readyState === 'open') resolve(limit);
    else ch.addEventListener('open', () => resolve(limit), { once: true });
  });
}

/** Receiver: counts bytes, says 'go', and times until the last byte (ms, by its clock). */
export function blastReceive(p: Pacing): void {
  const w = window as unknown as { __benchJobs?: Record<string, unknown> };
  w.__benchJobs ??= {};
  const jobs = w.__benchJobs;
  const ch = (window as unknown as { __blast: RTCDataChannel }).__blast;
  let got = 0;
  const started = Date.now();
  ch.addEventListener('message', (e) => {
    got += (e.data as ArrayBuffer).byteLength;
    if (got >= p.size && jobs[p.key] === undefined) jobs[p.key] = { value: Date.now() - started };
  });
  ch.send('go');
}

/** Sender: on 'go', reads the picked file slice by slice (with one block read ahead) and sends it, paced. */
export function blastSend(p: Pacing): void {
  const w = window as unknown as { __benchJobs?: Record<string, unknown> };
  w.__benchJobs ??= {};
  const jobs = w.__benchJobs;
  const input = document.querySelector<HTMLInputElement>('[data-testid="bench-file"]');
  const file = input?.files?.[0];
  if (file === undefined) throw new Error('no bench file');
  const ch = (window as unknown as { __blast: RTCDataChannel }).__blast;
  ch.addEventListener(
    'message',
    async () => {
      try {
        const read = (at: number) => file.slice(at, Math.min(p.size, at + p.block)).arrayBuffer();
        let at = 0;
        let next: Promise<ArrayBuffer> | null = read(0);
        while (next !== null) {
          const block: Uint8Array<ArrayBuffer> = new Uint8Array(await next);
          const blockAt = at;
          next = blockAt + block.length < p.size ? read(blockAt + block.length) : null;
          for (let o = 0; o < block.length; o += p.chunk) {
            while (ch.bufferedAmount > p.high)
              await new Promise((r) => ch.addEventListener('bufferedamountlow', r, { once: true }));
            ch.send(block.subarray(o, Math.min(block.length, o + p.chunk)));
          }
          at = blockAt + block.length;
        }
        jobs[p.key] = { value: true };
      } catch (e) {
        jobs[p.key] = { error: String(e) };
      }
    },
    { once: true },
  );
}

export function addBenchInput(): void {
  const input = document.createElement('input');
  input.type = 'file';
  input.dataset.testid = 'bench-file';
  document.body.append(input);
}
