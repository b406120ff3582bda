// Module worker: decodes camera frames off the main thread. Loading it is what loads jsQR, so pages
// that never scan never download the decoder.
import { decodeFrame } from './decode-frame';
import { answer, type ScanReply } from './scan-protocol';

// tsconfig.json types src/ with DOM libs; the worker scope needs only these two members of it.
interface WorkerScope {
  onmessage: ((event: MessageEvent<unknown>) => void) | null;
  postMessage(reply: ScanReply): void;
}

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = (event) => {
  scope.postMessage(answer(event.data, decodeFrame));
};
