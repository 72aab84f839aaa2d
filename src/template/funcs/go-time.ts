/**
 * Go's time.Format with its reference-date layouts ("2006-01-02T15:04:05Z07:00"),
 * for timestamp and the Time values templates see. drover formats in UTC, as
 * consul-template's timestamp does (its now() is time.Now().UTC()).
 */

/** An instant as Go holds it: whole seconds since the epoch and nanoseconds within the second. */
export interface Instant {
  readonly sec: number;
  readonly nsec: number;
}

export function instantFromMs(ms: number): Instant {
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.round((ms - sec * 1000) * 1e6) };
}

export function instantFromNanos(ns: number | bigint): Instant {
  const n = typeof ns === 'bigint' ? ns : BigInt(Math.round(ns));
  let sec = n / 1_000_000_000n;
  let nsec = n % 1_000_000_000n;
  if (nsec < 0n) {
    nsec += 1_000_000_000n;
    sec -= 1n;
  }
  return { sec: Number(sec), nsec: Number(nsec) };
}

export const RFC3339 = '2006-01-02T15:04:05Z07:00';
/** What Go's Time.String() uses. */
export const timeStringLayout = '2006-01-02 15:04:05.999999999 -0700 MST';

const longDays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const longMonths = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

type Chunk =
  | { kind: 'lit'; text: string }
  | { kind: 'std'; std: string }
  | { kind: 'frac'; sep: string; digits: number; trim: boolean };

// Go's nextStdChunk, in its order of precedence.
const prefixes: [string, string][] = [
  ['January', 'January'], ['Jan', 'Jan'], ['Monday', 'Monday'], ['Mon', 'Mon'], ['MST', 'MST'],
  ['002', '002'], ['01', '01'], ['02', '02'], ['03', '03'], ['04', '04'], ['05', '05'], ['06', '06'],
  ['15', '15'], ['1', '1'], ['2006', '2006'], ['2', '2'], ['__2', '__2'], ['_2', '_2'],
  ['3', '3'], ['4', '4'], ['5', '5'], ['PM', 'PM'], ['pm', 'pm'],
  ['-07:00:00', '-07:00:00'], ['-070000', '-070000'], ['-0700', '-0700'], ['-07:00', '-07:00'], ['-07', '-07'],
  ['Z07:00:00', 'Z07:00:00'], ['Z070000', 'Z070000'], ['Z0700', 'Z0700'], ['Z07:00', 'Z07:00'], ['Z07', 'Z07'],
];

function tokenize(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = '';
  let i = 0;
  outer: while (i < layout.length) {
    const c = layout[i]!;
    if ((c === '.' || c === ',') && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
      const d = layout[i + 1]!;
      let j = i + 1;
      while (layout[j] === d) j++;
      if (!/[0-9]/.test(layout[j] ?? '')) {
        if (lit) out.push({ kind: 'lit', text: lit });
        lit = '';
        out.push({ kind: 'frac', sep: c, digits: j - i - 1, trim: d === '9' });
        i = j;
        continue;
      }
    }
    for (const [p, std] of prefixes) {
      if (!layout.startsWith(p, i)) continue;
      // Go: "Jan"/"Mon" only when not followed by a lower-case letter ("Janet" is literal).
      if ((p === 'Jan' || p === 'Mon') && /[a-z]/.test(layout[i + 3] ?? '')) continue;
      if (p === '_2' && layout.startsWith('_2006', i)) break; // "_" literal, then the year
      if (lit) out.push({ kind: 'lit', text: lit });
      lit = '';
      out.push({ kind: 'std', std });
      i += p.length;
      continue outer;
    }
    lit += c;
    i++;
  }
  if (lit) out.push({ kind: 'lit', text: lit });
  return out;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Go's Time.Format for a UTC instant. */
export function formatGoTime(t: Instant, layout: string): string {
  const d = new Date(t.sec * 1000);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const day = d.getUTCDate();
  const hour = d.getUTCHours();
  const yday = Math.floor((Date.UTC(year, month, day) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  let out = '';
  for (const ch of tokenize(layout)) {
    if (ch.kind === 'lit') {
      out += ch.text;
      continue;
    }
    if (ch.kind === 'frac') {
      const digits = pad(t.nsec, 9).slice(0, ch.digits);
      if (!ch.trim) out += ch.sep + digits;
      else {
        const trimmed = digits.replace(/0+$/, '');
        if (trimmed) out += ch.sep + trimmed;
      }
      continue;
    }
    switch (ch.std) {
      case 'January': out += longMonths[month]!; break;
      case 'Jan': out += longMonths[month]!.slice(0, 3); break;
      case 'Monday': out += longDays[d.getUTCDay()]!; break;
      case 'Mon': out += longDays[d.getUTCDay()]!.slice(0, 3); break;
      case 'MST': out += 'UTC'; break;
      case '002': out += pad(yday, 3); break;
      case '__2': out += String(yday).padStart(3, ' '); break;
      case '01': out += pad(month + 1, 2); break;
      case '1': out += String(month + 1); break;
      case '02': out += pad(day, 2); break;
      case '2': out += String(day); break;
      case '_2': out += String(day).padStart(2, ' '); break;
      case '03': out += pad(hour % 12 === 0 ? 12 : hour % 12, 2); break;
      case '3': out += String(hour % 12 === 0 ? 12 : hour % 12); break;
      case '04': out += pad(d.getUTCMinutes(), 2); break;
      case '4': out += String(d.getUTCMinutes()); break;
      case '05': out += pad(d.getUTCSeconds(), 2); break;
      case '5': out += String(d.getUTCSeconds()); break;
      case '06': out += pad(year % 100, 2); break;
      case '2006': out += pad(year, 4); break;
      case '15': out += pad(hour, 2); break;
      case 'PM': out += hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += hour >= 12 ? 'pm' : 'am'; break;
      case 'Z07:00:00': case 'Z070000': case 'Z0700': case 'Z07:00': case 'Z07': out += 'Z'; break;
      case '-07:00:00': out += '+00:00:00'; break;
      case '-070000': out += '+000000'; break;
      case '-0700': out += '+0000'; break;
      case '-07:00': out += '+00:00'; break;
      case '-07': out += '+00'; break;
      default: out += ch.std;
    }
  }
  return out;
}

/** A Go time.Time in templates (UTC): prints as Go's Time.String(), with the methods templates use. */
export class GoTime {
  static readonly goType = 'time.Time';
  constructor(private readonly at: Instant) {}
  Format(layout: string): string {
    return formatGoTime(this.at, layout);
  }
  Unix(): number {
    return this.at.sec;
  }
  UnixMilli(): number {
    return this.at.sec * 1000 + Math.floor(this.at.nsec / 1e6);
  }
  UnixNano(): number {
    return this.at.sec * 1e9 + this.at.nsec;
  }
  UTC(): GoTime {
    return this;
  }
  Year(): number {
    return new Date(this.at.sec * 1000).getUTCFullYear();
  }
  toString(): string {
    return formatGoTime(this.at, timeStringLayout);
  }
}
