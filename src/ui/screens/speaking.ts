// Who is talking in a call without pictures: the loudness of a stream's sound, read with Web Audio (an
// AnalyserNode on the stream; nothing is played through it), sampled a few times a second while watched.

/** Loudness (RMS of the waveform, 0..1) above which a person counts as talking: above the fake mic's hiss. */
export const SPEAKING_RMS = 0.02;
const SAMPLE_MS = 150;
const FFT_SIZE = 512;

export interface SpeakingMeter {
  /** Follows these streams' sound (null: none); calls `onChange` with who talks whenever that changes. */
  watch(streams: readonly (MediaStream | null)[]): void;
  dispose(): void;
}

export function speakingMeter(onChange: (talking: readonly boolean[]) => void): SpeakingMeter {
  let ctx: AudioContext | null = null;
  let sources: { node: MediaStreamAudioSourceNode | null; an: AnalyserNode | null }[] = [];
  let timer: ReturnType<typeof setInterval> | undefined;
  let last = '';
  let watched = '';
  const buffer = new Float32Array(FFT_SIZE);

  const loud = (an: AnalyserNode | null): boolean => {
    if (an === null) return false;
    an.getFloatTimeDomainData(buffer);
    let sum = 0;
    for (const v of buffer) sum += v * v;
    return Math.sqrt(sum / buffer.length) > SPEAKING_RMS;
  };
  const sample = () => {
    void ctx?.resume().catch(() => undefined);
    const talking = sources.map((s) => loud(s.an));
    const key = talking.join();
    if (key === last) return;
    last = key;
    onChange(talking);
  };
  const release = () => {
    for (const s of sources) s.node?.disconnect();
    sources = [];
    clearInterval(timer);
    timer = undefined;
    last = '';
    watched = '';
  };

  return {
    watch(streams) {
      const key = streams.map((st) =>
        st === null
          ? '-'
          : st
              .getAudioTracks()
              .map((tr) => tr.id)
              .join('+'),
      );
      if (key.join() === watched) return;
      release();
      watched = key.join();
      if (streams.every((st) => st === null)) return onChange(streams.map(() => false));
      if (typeof AudioContext !== 'function') return;
      ctx ??= new AudioContext();
      sources = streams.map((stream) => {
        if (stream === null || stream.getAudioTracks().length === 0) return { node: null, an: null };
        const node = (ctx as AudioContext).createMediaStreamSource(stream);
        const an = (ctx as AudioContext).createAnalyser();
        an.fftSize = FFT_SIZE;
        node.connect(an);
        return { node, an };
      });
      timer = setInterval(sample, SAMPLE_MS);
    },
    dispose() {
      release();
      void ctx?.close().catch(() => undefined);
      ctx = null;
    },
  };
}
