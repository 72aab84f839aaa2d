/**
 * How `drover var` prints variables, as `nomad var` does (command/var.go):
 * the api.Variable JSON (its field order, 2-space indent), the HCL
 * specification template, the key/value table, the list table, and the
 * check-and-set conflict message.
 */
import type { ApiVariable, ApiVariableLock, ApiVariableMetadata } from '../api/index.js';
import { renderTemplate } from './go-template.js';
import { formatKV, formatList, formatTimeNs } from './tables.js';

/** Output formats of `var get` and `var put` (Nomad's errInvalidOutFormat list). */
export const OUT_FORMATS = ['go-template', 'hcl', 'json', 'none', 'table'] as const;
export type OutFormat = (typeof OUT_FORMATS)[number];


/** Nomad's api.Variable as AsPrettyJSON prints it: its own field order, Items null when absent. */
export function variableJson(v: ApiVariable): string {
  const out = {
    Namespace: v.Namespace,
    Path: v.Path,
    CreateIndex: v.CreateIndex,
    ModifyIndex: v.ModifyIndex,
    CreateTime: v.CreateTime,
    ModifyTime: v.ModifyTime,
    // Go's encoding/json writes map keys sorted.
    Items: v.Items ? Object.fromEntries(Object.entries(v.Items).sort(([a], [b]) => compare(a, b))) : null,
    ...(v.Lock ? { Lock: { ID: v.Lock.ID, TTL: v.Lock.TTL, LockDelay: v.Lock.LockDelay } } : {}),
  };
  return JSON.stringify(out, null, 2);
}

/** api.VariableMetadata in its field order (what `var list -out json` prints, 4-space indented by the caller). */
export function metadataForJson(v: ApiVariableMetadata): Record<string, unknown> {
  return {
    Namespace: v.Namespace,
    Path: v.Path,
    CreateIndex: v.CreateIndex,
    ModifyIndex: v.ModifyIndex,
    CreateTime: v.CreateTime,
    ModifyTime: v.ModifyTime,
    ...(v.Lock ? { Lock: { ID: v.Lock.ID, TTL: v.Lock.TTL, LockDelay: v.Lock.LockDelay } } : {}),
  };
}

/** Nomad's renderAsHCL: a specification `var put -in hcl` reads back (items right-aligned by key, values %q-quoted). */
export function variableHcl(v: ApiVariable): string {
  const items = Object.entries(v.Items ?? {}).sort(([a], [b]) => compare(a, b));
  const pad = Math.max(0, ...items.map(([k]) => k.length));
  return [
    '',
    `namespace    = "${v.Namespace}"`,
    `path         = "${v.Path}"`,
    `create_index = ${v.CreateIndex}  # Set by server`,
    `modify_index = ${v.ModifyIndex}  # Set by server; consulted for check-and-set`,
    `create_time  = ${v.CreateTime}   # Set by server`,
    `modify_time  = ${v.ModifyTime}   # Set by server`,
    '',
    'items = {',
    ...items.map(([k, val]) => `  ${k.padStart(pad)} = ${goQuote(val)}`),
    '}',
    '',
  ].join('\n');
}

/** Nomad's renderSVAsUiTable: metadata, then the items, sorted by key. */
export function variableTable(v: ApiVariable): string {
  const meta: Array<[string, string | number]> = [
    ['Namespace', v.Namespace],
    ['Path', v.Path],
    ['Create Time', formatTimeNs(v.CreateTime)],
  ];
  if (v.CreateTime !== v.ModifyTime) meta.push(['Modify Time', formatTimeNs(v.ModifyTime)]);
  meta.push(['Check Index', v.ModifyIndex]);
  const items = Object.entries(v.Items ?? {})
    .sort(([a], [b]) => compare(a, b))
    .map(([k, val]): [string, string] => [k, val]);
  return `${formatKV(meta)}\n\nItems\n${formatKV(items)}`;
}

/** Nomad's formatVarStubs: "Namespace  Path  Last Updated", by namespace and path. */
export function variableListTable(vars: readonly ApiVariableMetadata[]): string {
  if (vars.length === 0) return 'No matching variables found';
  const sorted = [...vars].sort((a, b) => compare(a.Namespace, b.Namespace) || compare(a.Path, b.Path));
  return formatList([['Namespace', 'Path', 'Last Updated'], ...sorted.map((v) => [v.Namespace, v.Path, formatTimeNs(v.ModifyTime)])]);
}

/** Nomad's handleCASError text: a heading and the two indexes, wrapped at 80 columns. */
export function casConflictMessage(checkIndex: number, conflict: Pick<ApiVariable, 'ModifyIndex' | 'ModifyTime'>): string {
  const last = conflict.ModifyIndex > 0 ? `The server-side item was last updated on ${formatTimeNs(conflict.ModifyTime)}.` : '';
  const text =
    `Your provided check-index (${checkIndex}) does not match the server-side index (${conflict.ModifyIndex}). ${last} ` +
    `If you are sure you want to perform this operation, add the -force or -check-index=${conflict.ModifyIndex} flag before the positional arguments.`;
  return `\nCheck-and-Set conflict\n\n${wrap(text, 76)
    .map((l) => `    ${l}`)
    .join('\n')}\n`;
}

/** Greedy word wrap at `width` columns. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * Nomad's renderWithGoTemplate / TemplateFormat: `template` run over the
 * api structs (so `.Path`, `.Items.key`, `range .Items` and Go's error texts
 * work as in nomad). A template that does not parse or run fails the command
 * with Go's message.
 */
export function renderGoTemplate(name: string, template: string, data: ApiVariable | readonly ApiVariableMetadata[]): string {
  const dot = Array.isArray(data) ? (data as readonly ApiVariableMetadata[]).map((m) => new VariableMetadata(m)) : new Variable(data as ApiVariable);
  return renderTemplate(name, template, dot);
}

/** Go's int64 of a JSON number: exact for the nanosecond times (their shortest decimal form is the value). */
function int64(n: number): bigint {
  return BigInt(String(n));
}

/** api.VariableLock as a template sees it (a struct). */
class VariableLock {
  readonly ID: string;
  readonly TTL: string;
  readonly LockDelay: string;
  constructor(l: ApiVariableLock) {
    this.ID = l.ID;
    this.TTL = l.TTL;
    this.LockDelay = l.LockDelay;
  }
}

/** api.VariableMetadata as a template sees it (a struct). */
class VariableMetadata {
  readonly Namespace: string;
  readonly Path: string;
  readonly CreateIndex: bigint;
  readonly ModifyIndex: bigint;
  readonly CreateTime: bigint;
  readonly ModifyTime: bigint;
  readonly Lock: VariableLock | null;
  constructor(m: ApiVariableMetadata) {
    this.Namespace = m.Namespace;
    this.Path = m.Path;
    this.CreateIndex = int64(m.CreateIndex);
    this.ModifyIndex = int64(m.ModifyIndex);
    this.CreateTime = int64(m.CreateTime);
    this.ModifyTime = int64(m.ModifyTime);
    this.Lock = m.Lock ? new VariableLock(m.Lock) : null;
  }
}

/** api.Variable as a template sees it: the metadata and Items, a map. */
class Variable extends VariableMetadata {
  readonly Items: Record<string, string> | null;
  constructor(v: ApiVariable) {
    super(v);
    this.Items = v.Items ? { ...v.Items } : null;
  }
}

/** Go's %q for a string: double-quoted with Go's escapes (printable Unicode kept as is). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0x80 && c < 0xa0) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's sort.Strings order. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
