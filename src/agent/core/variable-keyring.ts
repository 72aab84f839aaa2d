/**
 * The key Nomad Variables are sealed with: one AES-256-GCM key in
 * DATA_DIR/keystore/variables.key (mode 0600), generated the first time a
 * variable is written. Every row records the id of the key that sealed it, so
 * a missing or different key file is named in a clear error instead of
 * yielding garbage, and a new key is never generated over data sealed with
 * another one. Each ciphertext is bound to its namespace and path (GCM
 * additional data), so rows cannot be swapped in the database.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DroverError, ErrorCode, errnoOf, errorMessage } from '../../model/errors.js';

/** The key file, relative to the data dir. */
export const VARIABLES_KEY_FILE = join('keystore', 'variables.key');

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The key is missing, unreadable or not the one the data was sealed with (HTTP 503: the agent serves everything else). */
export class VariableKeyError extends DroverError {
  constructor(message: string) {
    super(ErrorCode.unavailable, message);
  }
}

interface Key {
  readonly id: string;
  readonly bytes: Buffer;
}

/** What the key file holds (Nomad's keystore files are JSON too). */
interface KeyFile {
  KeyID: string;
  Algorithm: 'aes256-gcm';
  Key: string;
}

export class VariableKeyring {
  /** The absolute path of the key file. */
  readonly file: string;
  /** Loaded and checked against the stored rows; kept for the agent's life. */
  private key: Key | undefined;

  /** `sealedWith()` counts the stored variables per key id. */
  constructor(
    dataDir: string,
    private readonly sealedWith: () => Map<string, number>,
  ) {
    this.file = join(dataDir, VARIABLES_KEY_FILE);
  }

  /** Why variables cannot be read or written now, or undefined when they can (for the agent's start-up log). */
  problem(): string | undefined {
    try {
      if (this.sealedWith().size > 0) this.current(false);
      return undefined;
    } catch (err) {
      return errorMessage(err);
    }
  }

  /** Encrypts `plaintext` for the variable at namespace/path. */
  seal(namespace: string, path: string, plaintext: Buffer): { keyId: string; data: Buffer } {
    const key = this.current(true);
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, key.bytes, nonce);
    cipher.setAAD(additionalData(namespace, path));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { keyId: key.id, data: Buffer.concat([nonce, body, cipher.getAuthTag()]) };
  }

  /** Decrypts what {@link seal} returned for namespace/path. */
  open(namespace: string, path: string, keyId: string, data: Buffer): Buffer {
    const key = this.current(false);
    const what = `variable ${JSON.stringify(path)} in namespace ${JSON.stringify(namespace)}`;
    if (key.id !== keyId) {
      throw new VariableKeyError(`${what} was sealed with key ${keyId}, but the key file ${this.file} holds key ${key.id}; restore the key file that holds ${keyId}`);
    }
    if (data.length < NONCE_BYTES + TAG_BYTES) throw new VariableKeyError(`${what}: stored ciphertext is truncated (${data.length} bytes)`);
    try {
      const decipher = createDecipheriv(ALGORITHM, key.bytes, data.subarray(0, NONCE_BYTES));
      decipher.setAAD(additionalData(namespace, path));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      return Buffer.concat([decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new VariableKeyError(`${what}: decryption with key ${key.id} from ${this.file} failed: the stored ciphertext is corrupt or the key file was altered`);
    }
  }

  /**
   * The key, loaded once and checked against the stored rows: every row must
   * have been sealed with it. With `create`, a missing file is generated, but
   * only while no variable is stored (else the data would be lost for good).
   */
  private current(create: boolean): Key {
    if (this.key) return this.key;
    const used = this.sealedWith();
    let key = this.read();
    if (!key) {
      if (used.size > 0) {
        throw new VariableKeyError(
          `the variables key file ${this.file} is missing, but state.db holds ${describeUse(used)}; restore the key file (drover never replaces a key that sealed data)`,
        );
      }
      if (!create) throw new VariableKeyError(`the variables key file ${this.file} is missing`);
      key = this.generate();
    }
    const others = new Map([...used].filter(([id]) => id !== key.id));
    if (others.size > 0) {
      throw new VariableKeyError(`the variables key file ${this.file} holds key ${key.id}, but state.db holds ${describeUse(others)}; restore the key file that holds that key`);
    }
    this.key = key;
    return key;
  }

  /** The key file's key, or undefined when there is no file. */
  private read(): Key | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return undefined;
      throw new VariableKeyError(`cannot read the variables key file ${this.file}: ${errorMessage(err)}`);
    }
    const bad = (why: string): VariableKeyError => new VariableKeyError(`the variables key file ${this.file} is not a valid key: ${why}`);
    let parsed: Partial<KeyFile>;
    try {
      parsed = JSON.parse(text) as Partial<KeyFile>;
    } catch (err) {
      throw bad(errorMessage(err));
    }
    if (typeof parsed.KeyID !== 'string' || parsed.KeyID === '') throw bad('KeyID is missing');
    if (parsed.Algorithm !== 'aes256-gcm') throw bad(`Algorithm ${JSON.stringify(parsed.Algorithm)} is not "aes256-gcm"`);
    const bytes = typeof parsed.Key === 'string' ? Buffer.from(parsed.Key, 'base64') : Buffer.alloc(0);
    if (bytes.length !== KEY_BYTES) throw bad(`Key must be ${KEY_BYTES} bytes in base64, got ${bytes.length}`);
    return { id: parsed.KeyID, bytes };
  }

  /**
   * Writes a new key without ever overwriting one: a private temp file is
   * fsynced and then hard-linked to the final name, which fails if another
   * process got there first (its key is used then).
   */
  private generate(): Key {
    const dir = dirname(this.file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const key: Key = { id: randomUUID(), bytes: randomBytes(KEY_BYTES) };
    const body: KeyFile = { KeyID: key.id, Algorithm: 'aes256-gcm', Key: key.bytes.toString('base64') };
    const tmp = join(dir, `.variables.key.${process.pid}.${randomUUID()}`);
    try {
      writeFileSync(tmp, `${JSON.stringify(body)}\n`, { mode: 0o600, flag: 'wx' });
      const fd = openSync(tmp, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      try {
        linkSync(tmp, this.file);
      } catch (err) {
        if (errnoOf(err) !== 'EEXIST') throw err;
        const theirs = this.read();
        if (!theirs) throw err;
        return theirs;
      }
      syncDir(dir);
      return key;
    } catch (err) {
      if (err instanceof VariableKeyError) throw err;
      throw new VariableKeyError(`cannot create the variables key file ${this.file}: ${errorMessage(err)}`);
    } finally {
      try {
        unlinkSync(tmp);
      } catch {
        // Already gone or never written: nothing to clean.
      }
    }
  }
}

function additionalData(namespace: string, path: string): Buffer {
  return Buffer.from(`${namespace}\u0000${path}`, 'utf8');
}

function describeUse(used: Map<string, number>): string {
  return [...used].map(([id, n]) => `${n} variable${n === 1 ? '' : 's'} sealed with key ${id}`).join(' and ');
}

/** Makes a new directory entry durable. */
function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
