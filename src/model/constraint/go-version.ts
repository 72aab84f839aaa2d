/**
 * hashicorp/go-version (the `version` operator) and Nomad's
 * helper/constraints/semver (the `semver` operator), re-implemented because
 * npm's `semver` parses neither syntax: go-version takes any number of
 * segments ("1.2.3.4"), a "v" prefix, prereleases without a dash ("1.0beta"),
 * the pessimistic `~>` operator, and compares prereleases its own way.
 * Regexps, ordering and messages follow go-version v1.7 exactly.
 */

/** Go regexp `\s` is ASCII-only: [\t\n\f\r ]. */
const S = '[\\t\\n\\f\\r ]';
const SEGMENTS = 'v?([0-9]+(\\.[0-9]+)*?)';
const META = '(\\+([0-9A-Za-z\\-~]+(\\.[0-9A-Za-z\\-~]+)*))??';
/** VersionRegexpRaw: the dash before a word prerelease is optional ("1.0beta1"). */
const VERSION_RAW = `${SEGMENTS}(-([0-9]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)|(-?([A-Za-z\\-~]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)))?${META}`;
/** SemverRegexpRaw: a prerelease always follows a dash. */
const SEMVER_RAW = `${SEGMENTS}(-([0-9]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)|(-([A-Za-z\\-~]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)))?${META}`;
const VERSION_RE = new RegExp(`^${VERSION_RAW}$`);
const SEMVER_RE = new RegExp(`^${SEMVER_RAW}$`);
const VERSION_CONSTRAINT_RE = new RegExp(`^${S}*(<=|>=|!=|~>|<|>|=|)${S}*(${VERSION_RAW})${S}*$`);
const SEMVER_CONSTRAINT_RE = new RegExp(`^${S}*(<=|>=|!=|<|>|=|)${S}*(${SEMVER_RAW})${S}*$`);

const INT64_MAX = 2n ** 63n - 1n;

/** A parsed go-version Version. */
export interface GoVersion {
  /** Numeric segments, padded with zeros to at least three. */
  readonly segments: readonly bigint[];
  /** How many segments were written (the pessimistic operator's precision). */
  readonly written: number;
  readonly prerelease: string;
  readonly metadata: string;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** version.NewVersion: the lenient syntax. */
export function parseGoVersion(v: string): Parsed<GoVersion> {
  return parseWith(v, VERSION_RE);
}

/** version.NewSemver: a prerelease needs its dash. */
export function parseGoSemver(v: string): Parsed<GoVersion> {
  return parseWith(v, SEMVER_RE);
}

function parseWith(v: string, re: RegExp): Parsed<GoVersion> {
  const m = re.exec(v);
  if (!m) return { ok: false, error: `malformed version: ${v}` };
  const written = (m[1] ?? '').split('.');
  const segments: bigint[] = [];
  for (const s of written) {
    const n = BigInt(s);
    if (n > INT64_MAX) return { ok: false, error: `error parsing version: strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range` };
    segments.push(n);
  }
  while (segments.length < 3) segments.push(0n);
  return { ok: true, value: { segments, written: written.length, prerelease: m[7] || m[4] || '', metadata: m[10] ?? '' } };
}

/** Version.String(): padded segments, then -prerelease and +metadata. */
export function goVersionString(v: GoVersion): string {
  return v.segments.join('.') + (v.prerelease ? `-${v.prerelease}` : '') + (v.metadata ? `+${v.metadata}` : '');
}

/** Version.Compare: -1, 0 or 1. Metadata counts only when the whole strings match; extra zero segments do not count. */
export function compareGoVersions(a: GoVersion, b: GoVersion): number {
  if (goVersionString(a) === goVersionString(b)) return 0;
  if (equalSegments(a, b)) {
    if (a.prerelease === '' && b.prerelease === '') return 0;
    if (a.prerelease === '') return 1;
    if (b.prerelease === '') return -1;
    return comparePrereleases(a.prerelease, b.prerelease);
  }
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    if (i >= a.segments.length) return b.segments.slice(i).every((s) => s === 0n) ? 0 : -1;
    if (i >= b.segments.length) return a.segments.slice(i).every((s) => s === 0n) ? 0 : 1;
    const l = a.segments[i] ?? 0n;
    const r = b.segments[i] ?? 0n;
    if (l !== r) return l < r ? -1 : 1;
  }
  return 0;
}

function equalSegments(a: GoVersion, b: GoVersion): boolean {
  return a.segments.length === b.segments.length && a.segments.every((s, i) => s === b.segments[i]);
}

/** strconv.ParseInt(s, 10, 64): an optional sign, decimal digits, in int64 range. */
function goParseInt(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n > INT64_MAX || n < -INT64_MAX - 1n ? undefined : n;
}

/** go-version's comparePart: numeric parts sort before words; a missing part sorts before a number, after a word. */
function comparePart(self: string, other: string): number {
  if (self === other) return 0;
  const selfInt = goParseInt(self);
  const otherInt = goParseInt(other);
  if (self === '') return otherInt !== undefined ? -1 : 1;
  if (other === '') return selfInt !== undefined ? 1 : -1;
  if (selfInt !== undefined && otherInt === undefined) return -1;
  if (selfInt === undefined && otherInt !== undefined) return 1;
  if (selfInt === undefined && otherInt === undefined && self > other) return 1;
  // Two words with self < other fall through here with both "ints" at 0, as in Go.
  if ((selfInt ?? 0n) > (otherInt ?? 0n)) return 1;
  return -1;
}

function comparePrereleases(a: string, b: string): number {
  if (a === b) return 0;
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const c = comparePart(as[i] ?? '', bs[i] ?? '');
    if (c !== 0) return c;
  }
  return 0;
}

/** One parsed constraint term ("~> 1.2"); `check` tells whether a version satisfies it. */
export interface VersionTerm {
  readonly original: string;
  readonly check: (v: GoVersion) => boolean;
}

/** version.NewConstraint: comma-separated terms, all of which must hold. */
export function parseVersionConstraint(s: string): Parsed<VersionTerm[]> {
  const out: VersionTerm[] = [];
  for (const single of s.split(',')) {
    const m = VERSION_CONSTRAINT_RE.exec(single);
    if (!m) return { ok: false, error: `malformed constraint: ${single}` };
    const parsed = parseGoVersion(m[2] ?? '');
    if (!parsed.ok) return parsed;
    const c = parsed.value;
    out.push({ original: single, check: versionOperator(m[1] ?? '', c) });
  }
  return { ok: true, value: out };
}

function versionOperator(op: string, c: GoVersion): (v: GoVersion) => boolean {
  switch (op) {
    case '!=': return (v) => compareGoVersions(v, c) !== 0;
    case '>': return (v) => prereleaseCheck(v, c) && compareGoVersions(v, c) === 1;
    case '<': return (v) => prereleaseCheck(v, c) && compareGoVersions(v, c) === -1;
    case '>=': return (v) => prereleaseCheck(v, c) && compareGoVersions(v, c) >= 0;
    case '<=': return (v) => prereleaseCheck(v, c) && compareGoVersions(v, c) <= 0;
    case '~>': return (v) => pessimistic(v, c);
    default: return (v) => compareGoVersions(v, c) === 0;
  }
}

/** A prerelease version satisfies an ordering only against a prerelease of the same segments. */
function prereleaseCheck(v: GoVersion, c: GoVersion): boolean {
  const vPre = v.prerelease !== '';
  const cPre = c.prerelease !== '';
  if (cPre && vPre) return equalSegments(v, c);
  return !vPre || cPre;
}

/** `~> 1.2.3` means >= 1.2.3 and < 1.3; the written precision of the constraint decides which segment may grow. */
function pessimistic(v: GoVersion, c: GoVersion): boolean {
  if (!prereleaseCheck(v, c) || (c.prerelease !== '' && v.prerelease === '')) return false;
  if (compareGoVersions(v, c) < 0) return false;
  const cs = c.segments.length;
  if (cs > v.segments.length) return false;
  for (let i = 0; i < c.written - 1; i++) if (v.segments[i] !== c.segments[i]) return false;
  return (c.segments[cs - 1] ?? 0n) <= (v.segments[cs - 1] ?? 0n);
}

/** Nomad's semver.NewConstraint: strict semver terms, plain ordering (no prerelease rule, no `~>`). */
export function parseSemverConstraint(s: string): Parsed<VersionTerm[]> {
  const out: VersionTerm[] = [];
  for (const single of s.split(',')) {
    const m = SEMVER_CONSTRAINT_RE.exec(single);
    if (!m) return { ok: false, error: `Malformed constraint: ${single}` };
    const parsed = parseGoSemver(m[2] ?? '');
    if (!parsed.ok) return parsed;
    const c = parsed.value;
    const op = m[1] ?? '';
    const check = (v: GoVersion): boolean => {
      const cmp = compareGoVersions(v, c);
      switch (op) {
        case '!=': return cmp !== 0;
        case '>': return cmp === 1;
        case '<': return cmp === -1;
        case '>=': return cmp >= 0;
        case '<=': return cmp <= 0;
        default: return cmp === 0;
      }
    };
    out.push({ original: single, check });
  }
  return { ok: true, value: out };
}
