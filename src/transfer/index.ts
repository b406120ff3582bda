// The transfer room's public API: the engine, the sinks received bytes go to, and the safe-name helpers.

export type { FileChannel, OpenChannel } from './channel.ts';
/** The statuses a transfer never leaves. */
export { FINAL } from './core.ts';
export { formatBytes, formatDuration } from './format.ts';
export { createTransferManager } from './manager.ts';
export {
  FALLBACK_NAME,
  folderOf,
  MAX_NAME_CHARS,
  sanitizeFileName,
  sanitizeFolderPath,
  sanitizeMimeType,
} from './name.ts';
export { FILES_CHANNEL_ID, FILES_CHANNEL_LABEL } from './protocol.ts';
export { diskSink, memorySink, type Sink, type WritableFile } from './sink.ts';
export type {
  Direction,
  FilesCounters,
  FilesSnapshot,
  FolderFile,
  ManagerDeps,
  TransferFailure,
  TransferManager,
  TransferStatus,
  TransferView,
} from './types.ts';
export { fitsOneZip, type ZipEntry, zipNames } from './zip.ts';
