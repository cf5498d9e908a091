import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The key of a stored file: the upload's SHA-256, the width and the format of an image's rendition
 * (`<sha256>-640.webp`), or a document's PDF (`<sha256>-1.pdf`). Only such keys reach the store, so
 * none can name a path elsewhere.
 */
export const mediaKeyPattern = /^[0-9a-f]{64}-[1-9][0-9]{0,4}\.(webp|jpg|png|gif|pdf)$/;

/** Tells whether a string is a well-formed rendition key. */
export function isMediaKey(key: string): boolean {
  return mediaKeyPattern.test(key);
}

/** Where the media library keeps its files: the data folder now, an object store later. */
export interface MediaStore {
  /** Stores the bytes under the key, whole or not at all; a key already there is replaced by the same content. */
  put(key: string, body: Buffer): Promise<void>;
  /** The bytes stored under the key, or undefined when there are none. */
  get(key: string): Promise<Buffer | undefined>;
  /** Removes what is stored under the key; a missing key is not an error. */
  delete(key: string): Promise<void>;
}

function assertKey(key: string): void {
  if (!isMediaKey(key)) throw new Error(`not a media key: ${JSON.stringify(key)}`);
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}

/**
 * Keeps renditions as files under a folder (`<root>/ab/<key>`, fanned out by the key's first two
 * characters). A file is written beside its place under a temporary name, flushed, then renamed:
 * a reader sees the whole file or none.
 */
export class FileMediaStore implements MediaStore {
  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    assertKey(key);
    return path.join(this.root, key.slice(0, 2), key);
  }

  async put(key: string, body: Buffer): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = path.join(path.dirname(target), `.${key}.${randomBytes(6).toString('hex')}.tmp`);
    const file = await open(temporary, 'wx', 0o644);
    try {
      await file.writeFile(body);
      await file.sync();
    } catch (error) {
      await file.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await file.close();
    try {
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
}

/**
 * The store an app uses: the one given, else files under `<dataDir>/media`, else (tests, tools that
 * give no data folder) a temporary folder that `dispose` removes when the app closes.
 */
export async function openMediaStore(options: { mediaStore?: MediaStore; dataDir?: string }): Promise<{ store: MediaStore; dispose(): Promise<void> }> {
  if (options.mediaStore) return { store: options.mediaStore, dispose: async () => undefined };
  if (options.dataDir) return { store: new FileMediaStore(path.join(options.dataDir, 'media')), dispose: async () => undefined };
  const folder = await mkdtemp(path.join(tmpdir(), 'halfsky-media-'));
  return { store: new FileMediaStore(folder), dispose: () => rm(folder, { recursive: true, force: true }) };
}
