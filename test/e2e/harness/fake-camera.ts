// What Chromium's fake camera sees. Chromium is launched with --use-file-for-fake-video-capture=<file>, and it
// opens that file each time a page starts a capture (getUserMedia), not once at launch: so a test can put a
// different picture in front of the camera before each Scan, as a person holds up a different phone. The
// picture is padded onto a larger grey frame, the way a QR on a screen fills only part of a camera frame.
import { execFile } from 'node:child_process';
import { rename } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const FFMPEG_PATH = '/usr/bin/ffmpeg';
export const FRAME_WIDTH = 1280;
export const FRAME_HEIGHT = 720;
/** The QR's height inside the frame: about what a phone screen held at arm's length gives. */
export const PICTURE_HEIGHT = 440;
const BACKGROUND = '0x808080';
/** A few frames at a low rate: Chromium loops the file, and 1280x720 raw frames are 1.4 MB each. */
const FRAMES_PER_SECOND = 5;
const SECONDS = 1;

/** Writes a .y4m video showing `png` centred on a grey frame, or only the grey frame when `png` is null. */
export async function writeY4m(png: string | null, out: string): Promise<void> {
  const tmp = `${out}.${process.pid}.${Date.now()}.tmp`;
  const input =
    png === null
      ? ['-f', 'lavfi', '-i', `color=c=${BACKGROUND}:s=${FRAME_WIDTH}x${FRAME_HEIGHT}:r=${FRAMES_PER_SECOND}`]
      : ['-loop', '1', '-i', png];
  const filter =
    png === null
      ? []
      : [
          '-vf',
          `scale=-2:${PICTURE_HEIGHT}:flags=neighbor,` +
            `pad=${FRAME_WIDTH}:${FRAME_HEIGHT}:(ow-iw)/2:(oh-ih)/2:color=${BACKGROUND}`,
        ];
  await run(FFMPEG_PATH, [
    '-y',
    '-loglevel',
    'error',
    ...input,
    '-t',
    String(SECONDS),
    '-r',
    String(FRAMES_PER_SECOND),
    ...filter,
    '-pix_fmt',
    'yuv420p',
    '-f',
    'yuv4mpegpipe',
    tmp,
  ]);
  // Atomic: a capture starting now sees the old picture or the new one, never half a file.
  await rename(tmp, out);
}

/** The file behind one Chromium's fake camera. */
export class FakeCamera {
  constructor(readonly file: string) {}

  /** Puts `png` in front of the camera for the next capture. */
  show(png: string): Promise<void> {
    return writeY4m(png, this.file);
  }

  /** Nothing to read: a plain grey frame. */
  showNothing(): Promise<void> {
    return writeY4m(null, this.file);
  }
}
