/**
 * The agent's workload identity keyring (Nomad's Encrypter, signing half): an
 * RS256 key pair generated once into the data dir and kept across restarts,
 * JWTs signed and verified with node:crypto, and the public keys as a JWKS
 * (GET /.well-known/jwks.json). Nomad 1.7+ signs with RS256 ("more widely
 * compatible", and required by OIDC); a JWT library would add nothing here.
 *
 * Keys live in <data_dir>/keystore/<key id>.json (0600, in a 0700 dir),
 * written atomically; every key found there verifies, the newest signs.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DroverError } from '../../model/errors.js';

/** The JOSE algorithm and JWK use Nomad publishes (structs.PubKeyAlgRS256, PubKeyUseSig). */
export const SIGNING_ALG = 'RS256';

/** A workload identity's claims, in Nomad's JSON names and order (structs.IdentityClaims). */
export interface WorkloadClaims {
  readonly nomad_namespace: string;
  readonly nomad_job_id: string;
  readonly nomad_allocation_id: string;
  readonly nomad_task?: string;
  readonly iss?: string;
  readonly sub: string;
  /** One audience marshals as a string, several as a list (go-jose's Audience). */
  readonly aud?: string | readonly string[];
  /** Unix seconds. */
  readonly exp?: number;
  readonly nbf: number;
  readonly iat: number;
  readonly jti: string;
}

/** A token that is not a valid workload identity here (bad form, signature, key, or time). */
export class InvalidIdentityError extends DroverError {
  constructor(message: string) {
    super('permission_denied', message);
  }
}

/** go-jose's DefaultLeeway for exp and nbf. */
const LEEWAY_S = 60;

interface StoredKey {
  readonly KeyID: string;
  readonly Algorithm: string;
  /** Unix ms. */
  readonly CreateTime: number;
  /** PKCS#8 PEM. */
  readonly PrivateKey: string;
}

interface LoadedKey {
  readonly id: string;
  readonly createTime: number;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** One JSON Web Key as Nomad's /.well-known/jwks.json lists it. */
export interface Jwk {
  readonly use: 'sig';
  readonly kty: string;
  readonly kid: string;
  readonly alg: string;
  readonly n: string;
  readonly e: string;
}

export class Keyring {
  private newest: LoadedKey | undefined;

  private constructor(
    private readonly dir: string,
    private readonly keys: Map<string, LoadedKey>,
    private readonly now: () => number,
  ) {
    for (const k of keys.values()) if (!this.newest || k.createTime > this.newest.createTime) this.newest = k;
  }

  /**
   * Loads the keys under `<dataDir>/keystore`. The first key is generated on
   * first use, not here: an RSA key takes 60–200 ms to make, which every
   * `drover run` (a new data dir each time) would otherwise pay at start.
   */
  static open(dataDir: string, now: () => number): Keyring {
    const dir = join(dataDir, 'keystore');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const keys = new Map<string, LoadedKey>();
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.json')) continue;
      const k = loadKey(join(dir, name));
      keys.set(k.id, k);
    }
    return new Keyring(dir, keys, now);
  }

  /** The key tokens are signed with: the newest, generated when there is none yet. */
  private get active(): LoadedKey {
    if (!this.newest) {
      this.newest = generateKey(this.dir, this.now());
      this.keys.set(this.newest.id, this.newest);
    }
    return this.newest;
  }

  /** The key id tokens are signed with now. */
  get activeKeyId(): string {
    return this.active.id;
  }

  /** Signs `claims` as a compact JWT with the active key (header alg, kid, typ as go-jose writes them). */
  sign(claims: WorkloadClaims): string {
    const header = { alg: SIGNING_ALG, kid: this.active.id, typ: 'JWT' };
    const input = `${b64json(header)}.${b64json(claims)}`;
    const sig = sign('sha256', Buffer.from(input), this.active.privateKey);
    return `${input}.${sig.toString('base64url')}`;
  }

  /** Checks form, key, signature, exp and nbf; returns the claims or throws InvalidIdentityError. */
  verify(token: string): WorkloadClaims {
    const parts = token.split('.');
    if (parts.length !== 3) throw new InvalidIdentityError('failed to parse signed token: not a compact JWT');
    const [h, c, s] = parts as [string, string, string];
    const header = parseSegment(h, 'header');
    if (header.alg !== SIGNING_ALG) throw new InvalidIdentityError(`invalid signature: unexpected algorithm "${String(header.alg)}"`);
    const kid = header.kid;
    const key = typeof kid === 'string' ? this.keys.get(kid) : undefined;
    if (!key) throw new InvalidIdentityError(`no such key: ${String(kid)}`);
    if (!verify('sha256', Buffer.from(`${h}.${c}`), key.publicKey, Buffer.from(s, 'base64url'))) throw new InvalidIdentityError('invalid signature');
    const claims = parseSegment(c, 'claims') as unknown as WorkloadClaims;
    const nowS = Math.floor(this.now() / 1000);
    if (typeof claims.exp === 'number' && nowS > claims.exp + LEEWAY_S) throw new InvalidIdentityError('invalid claims: token is expired (exp)');
    if (typeof claims.nbf === 'number' && nowS < claims.nbf - LEEWAY_S) throw new InvalidIdentityError('invalid claims: token not valid yet (nbf)');
    if (typeof claims.nomad_allocation_id !== 'string' || claims.nomad_allocation_id === '') throw new InvalidIdentityError('failed to determine claim type');
    return claims;
  }

  /** The public keys (Nomad's JWKSRequest). */
  jwks(): { keys: Jwk[] } {
    void this.active; // a fresh node publishes the key it will sign with
    return {
      keys: [...this.keys.values()].map((k) => {
        const jwk = k.publicKey.export({ format: 'jwk' });
        return { use: 'sig', kty: String(jwk.kty), kid: k.id, alg: SIGNING_ALG, n: String(jwk.n), e: String(jwk.e) };
      }),
    };
  }

  /**
   * Seconds consumers may cache the JWKS (Nomad: half the time until the newest key is
   * due for rotation, at least 15 minutes; Nomad's rotation threshold is 30 days).
   */
  jwksMaxAgeS(): number {
    const leftMs = this.active.createTime + ROTATION_THRESHOLD_MS - this.now();
    return Math.floor(Math.max(MIN_MAX_AGE_MS, leftMs / 2) / 1000);
  }
}

/** Nomad's default root_key_rotation_threshold (720h) and jwksMinMaxAge (15m). */
const ROTATION_THRESHOLD_MS = 720 * 3_600_000;
const MIN_MAX_AGE_MS = 15 * 60_000;

function b64json(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

function parseSegment(seg: string, what: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(Buffer.from(seg, 'base64url').toString('utf8'));
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new InvalidIdentityError(`failed to parse signed token: bad ${what}`);
}

function loadKey(path: string): LoadedKey {
  let stored: StoredKey;
  try {
    stored = JSON.parse(readFileSync(path, 'utf8')) as StoredKey;
  } catch (err) {
    throw new DroverError('internal', `keystore: cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (stored.Algorithm !== SIGNING_ALG || typeof stored.KeyID !== 'string' || typeof stored.PrivateKey !== 'string') {
    throw new DroverError('internal', `keystore: ${path} is not an ${SIGNING_ALG} key written by drover`);
  }
  const privateKey = createPrivateKey(stored.PrivateKey);
  return { id: stored.KeyID, createTime: stored.CreateTime, privateKey, publicKey: createPublicKey(privateKey) };
}

/** Nomad generates a 2048-bit RSA key per root key (structs.NewUnwrappedRootKey). */
function generateKey(dir: string, now: number): LoadedKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const id = randomUUID();
  const stored: StoredKey = { KeyID: id, Algorithm: SIGNING_ALG, CreateTime: now, PrivateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
  writeFileAtomic(join(dir, `${id}.json`), JSON.stringify(stored), dir);
  return { id, createTime: now, privateKey, publicKey };
}

/** Write, fsync, rename, fsync the dir: a crash leaves the old state or the whole new file, never a torn key. */
function writeFileAtomic(path: string, text: string, dir: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}
