import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { GOLDEN_DIR } from '../../../scripts/qr-goldens';
import { decodeFrame } from '../../../src/qr/decode-frame';
import { detectorDecoder, fallbackDecoder, openFrameDecoder, workerDecoder } from '../../../src/qr/decoders';
import { detectText, nativeDetector, qrDetector } from '../../../src/qr/detector';
import { answer, isScanReply, isScanRequest } from '../../../src/qr/scan-protocol';
import { sampleCode } from './support/codes';
import { deferred, FakeWorker, fakeDetector, imageData, settle } from './support/fakes';
import { decodePng } from './support/png';

const CODE = sampleCode(1);

function plainGolden(): ImageData {
  const image = decodePng(readFileSync(join(GOLDEN_DIR, 'plain.png')));
  return imageData(image.width, image.height, image.data);
}

describe('scan worker protocol', () => {
  it('answers a frame with the decoded text, and anything else with null', () => {
    const frame = plainGolden();
    expect(answer({ data: frame.data, width: frame.width, height: frame.height }, decodeFrame)).toEqual({
      text: CODE,
    });
    const decode = vi.fn(() => 'never');
    for (const message of [
      null,
      'frame',
      { data: [1, 2], width: 1, height: 1 },
      { data: new Uint8ClampedArray(4) },
    ]) {
      expect(answer(message, decode)).toEqual({ text: null });
    }
    expect(decode).not.toHaveBeenCalled();
  });

  it('validates both directions', () => {
    expect(isScanRequest({ data: new Uint8ClampedArray(4), width: 1, height: 1 })).toBe(true);
    expect(isScanRequest({ data: new Uint8Array(4), width: 1, height: 1 })).toBe(false);
    expect(isScanReply({ text: 'A' })).toBe(true);
    expect(isScanReply({ text: null })).toBe(true);
    expect(isScanReply({ text: 1 })).toBe(false);
    expect(isScanReply({})).toBe(false);
  });
});

describe('workerDecoder', () => {
  it('starts the worker on first use and transfers (not copies) the frame buffer', async () => {
    const worker = new FakeWorker(() => ({ text: 'HELLO' }));
    const create = vi.fn(() => worker);
    const decoder = workerDecoder(create);
    expect(create).not.toHaveBeenCalled();
    const frame = imageData(2, 2);
    await expect(decoder.decode(frame)).resolves.toBe('HELLO');
    expect(create).toHaveBeenCalledTimes(1);
    const [request] = worker.requests;
    expect(request?.message).toEqual({ data: frame.data, width: 2, height: 2 });
    expect(request?.transfer).toEqual([frame.data.buffer]);
    await expect(decoder.decode(imageData(2, 2))).resolves.toBe('HELLO');
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('decodes a real frame through the protocol the worker speaks', async () => {
    const decoder = workerDecoder(() => new FakeWorker((message) => answer(message, decodeFrame)));
    await expect(decoder.decode(plainGolden())).resolves.toBe(CODE);
  });

  it('keeps one frame in flight: a frame offered meanwhile is dropped, not queued', async () => {
    const worker = new FakeWorker(() => ({ text: null }));
    const decoder = workerDecoder(() => worker);
    const first = decoder.decode(imageData(1, 1));
    await expect(decoder.decode(imageData(1, 1))).resolves.toBeNull();
    expect(worker.requests).toHaveLength(1);
    await expect(first).resolves.toBeNull();
  });

  it('reads a malformed reply as no text', async () => {
    const decoder = workerDecoder(() => new FakeWorker(() => ({ text: 42 })));
    await expect(decoder.decode(imageData(1, 1))).resolves.toBeNull();
  });

  it('rejects the pending and every later frame once the worker fails', async () => {
    const worker = new FakeWorker(() => ({ text: 'LATE' }));
    const decoder = workerDecoder(() => worker);
    const pending = decoder.decode(imageData(1, 1));
    worker.crash('chunk failed to load');
    await expect(pending).rejects.toThrow('chunk failed to load');
    await expect(decoder.decode(imageData(1, 1))).rejects.toThrow('chunk failed to load');
  });

  it('close terminates the worker and settles what was pending', async () => {
    const worker = new FakeWorker(() => ({ text: 'TOO LATE' }));
    const decoder = workerDecoder(() => worker);
    const pending = decoder.decode(imageData(1, 1));
    decoder.close();
    expect(worker.terminated).toBe(1);
    await expect(pending).resolves.toBeNull();
    await expect(decoder.decode(imageData(1, 1))).resolves.toBeNull();
    expect(worker.requests).toHaveLength(1);
  });
});

describe('BarcodeDetector', () => {
  it('is absent in node', () => {
    expect(nativeDetector()).toBeUndefined();
  });

  it('is used only when it can read QR codes', async () => {
    const none = async () => [];
    expect(await qrDetector(undefined)).toBeNull();
    expect(await qrDetector(fakeDetector(none, ['ean_13']))).toBeNull();
    const Detector = fakeDetector(none);
    expect(await qrDetector(Detector)).not.toBeNull();
    expect(Detector.made).toEqual([{ formats: ['qr_code'] }]);
    // Without getSupportedFormats, constructing it is the test.
    expect(await qrDetector(fakeDetector(none, null))).not.toBeNull();
  });

  it('is skipped when its constructor throws', async () => {
    class Broken {
      constructor() {
        throw new TypeError('unsupported');
      }
      detect() {
        return Promise.resolve([]);
      }
    }
    expect(await qrDetector(Broken)).toBeNull();
  });

  it('yields the first non-empty value', async () => {
    const detector = await qrDetector(fakeDetector(async () => [{ rawValue: '' }, { rawValue: 'B' }]));
    if (!detector) throw new Error('no detector');
    await expect(detectText(detector, imageData(1, 1))).resolves.toBe('B');
    const empty = await qrDetector(fakeDetector(async () => []));
    if (!empty) throw new Error('no detector');
    await expect(detectText(empty, imageData(1, 1))).resolves.toBeNull();
  });
});

describe('openFrameDecoder', () => {
  it('prefers the platform detector and never starts the worker', async () => {
    const frame = imageData(4, 4);
    const detect = vi.fn(async () => [{ rawValue: 'NATIVE' }]);
    const createWorker = vi.fn(() => new FakeWorker());
    const decoder = await openFrameDecoder({ Detector: fakeDetector(detect), createWorker });
    await expect(decoder.decode(frame)).resolves.toBe('NATIVE');
    expect(detect).toHaveBeenCalledWith(frame);
    expect(createWorker).not.toHaveBeenCalled();
  });

  it('uses the worker when there is no detector, or it cannot read QR codes', async () => {
    for (const Detector of [undefined, fakeDetector(async () => [{ rawValue: 'NO' }], ['aztec'])]) {
      const createWorker = vi.fn(() => new FakeWorker(() => ({ text: 'WORKER' })));
      const decoder = await openFrameDecoder({ Detector, createWorker });
      await expect(decoder.decode(imageData(1, 1))).resolves.toBe('WORKER');
      expect(createWorker).toHaveBeenCalledTimes(1);
    }
  });

  it('switches to the worker for good when the detector fails, retrying that frame', async () => {
    const detect = vi.fn(async (): Promise<{ rawValue: string }[]> => {
      throw new DOMException('detector broke', 'NotSupportedError');
    });
    const worker = new FakeWorker(() => ({ text: 'WORKER' }));
    const decoder = await openFrameDecoder({ Detector: fakeDetector(detect), createWorker: () => worker });
    const frame = imageData(1, 1);
    await expect(decoder.decode(frame)).resolves.toBe('WORKER');
    expect(worker.requests[0]?.message.data).toBe(frame.data);
    await expect(decoder.decode(imageData(1, 1))).resolves.toBe('WORKER');
    expect(detect).toHaveBeenCalledTimes(1);
    decoder.close();
    expect(worker.terminated).toBe(1);
  });
});

describe('fallbackDecoder', () => {
  it('does not start the secondary after being closed mid-frame', async () => {
    const failing = deferred<string | null>();
    const primary = { decode: () => failing.promise, close: vi.fn() };
    const makeSecondary = vi.fn(() => detectorDecoder({ detect: async () => [] }));
    const decoder = fallbackDecoder(primary, makeSecondary);
    const result = decoder.decode(imageData(1, 1));
    decoder.close();
    failing.reject(new Error('late failure'));
    await settle();
    await expect(result).resolves.toBeNull();
    expect(makeSecondary).not.toHaveBeenCalled();
    expect(primary.close).toHaveBeenCalled();
  });
});
