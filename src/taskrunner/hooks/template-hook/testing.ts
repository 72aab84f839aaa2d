/**
 * Test helpers for the template hook: an in-memory WatchableSources (what
 * the agent implements over its variable store) and TemplateSpec builders.
 *
 * `standInEngine` is a stand-in for the Go template engine until
 * src/template/engine lands: it knows `{{ env "X" }}` and
 * `{{ var "path" "key" }}` (a variable item, recording the dependency and,
 * when absent, consul-template's missing `nomad.var.block(...)`), and fails
 * like Go on an unknown function or an unclosed action. Tests only.
 */
import type { TemplateSpec } from '../../../model/template.js';
import type { SourceChange, VariableData, WatchableSources } from '../../../template/sources.js';
import type { TemplateEngine } from './engine.js';

/** Variables in memory; `put` and `remove` notify watchers as the agent's store does after a commit. */
export class MemorySources implements WatchableSources {
  private readonly vars = new Map<string, VariableData>();
  private readonly listeners = new Set<(c: SourceChange) => void>();
  private index = 0;

  put(path: string, items: Record<string, string>, namespace = 'default'): void {
    const prev = this.vars.get(`${namespace}\0${path}`);
    const i = ++this.index;
    this.vars.set(`${namespace}\0${path}`, { namespace, path, items, createIndex: prev?.createIndex ?? i, modifyIndex: i, createTime: 0, modifyTime: 0 });
    for (const l of this.listeners) l({ kind: 'variable', namespace, path });
  }

  remove(path: string, namespace = 'default'): void {
    this.vars.delete(`${namespace}\0${path}`);
    for (const l of this.listeners) l({ kind: 'variable', namespace, path });
  }

  /** How many watchers are subscribed (a stopped manager must leave none). */
  get watchers(): number {
    return this.listeners.size;
  }

  variable(namespace: string, path: string): VariableData | undefined {
    return this.vars.get(`${namespace}\0${path}`);
  }
  listVariables(namespace: string, prefix: string) {
    return [...this.vars.values()].filter((v) => v.namespace === namespace && v.path.startsWith(prefix)).sort((a, b) => (a.path < b.path ? -1 : 1));
  }
  service() {
    return [];
  }
  services() {
    return [];
  }
  watch(listener: (c: SourceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** A template with Nomad's defaults, no splay and no quiescence (tests wait on conditions, not timers). */
export function tmpl(over: Partial<TemplateSpec>): TemplateSpec {
  return {
    sourcePath: '',
    destPath: 'local/out.txt',
    embeddedTmpl: '',
    changeMode: 'restart',
    changeSignal: '',
    splayMs: 0,
    perms: '0644',
    leftDelim: '{{',
    rightDelim: '}}',
    envvars: false,
    wait: { minMs: 0, maxMs: 0 },
    errMissingKey: false,
    once: false,
    ...over,
  };
}

/** Test-only stand-in for the Go template engine (see the file comment). */
export const standInEngine: TemplateEngine = {
  parse(name, text, opts, ctx) {
    const { leftDelim: l, rightDelim: r } = opts;
    const parts: ({ text: string } | { fn: string; args: string[]; line: number })[] = [];
    let i = 0;
    while (i < text.length) {
      const open = text.indexOf(l, i);
      if (open < 0) {
        parts.push({ text: text.slice(i) });
        break;
      }
      parts.push({ text: text.slice(i, open) });
      const line = text.slice(0, open).split('\n').length;
      const close = text.indexOf(r, open + l.length);
      if (close < 0) throw new Error(`template: ${name}:${line}: unclosed action`);
      const words = text.slice(open + l.length, close).trim().match(/"[^"]*"|\S+/g) ?? [];
      const [fn = '', ...args] = words;
      if (fn !== 'env' && fn !== 'var') throw new Error(`template: ${name}:${line}: function ${JSON.stringify(fn)} not defined`);
      parts.push({ fn, args: args.map((a) => a.replace(/^"|"$/g, '')), line });
      i = close + r.length;
    }
    return {
      execute() {
        return parts
          .map((p) => {
            if ('text' in p) return p.text;
            if (p.fn === 'env') return ctx.env[p.args[0] ?? ''] ?? '';
            const [path = '', key = ''] = p.args;
            ctx.deps.used({ kind: 'variable', namespace: ctx.namespace, path });
            const v = ctx.sources.variable(ctx.namespace, path);
            if (!v) {
              ctx.deps.missing(`nomad.var.block(${path}@${ctx.namespace}.${ctx.region})`);
              return '';
            }
            const item = v.items[key];
            if (item === undefined && opts.missingKey === 'error') {
              throw new Error(`template: ${name}:${p.line}:3: executing "${name}" at <.${key}>: map has no entry for key "${key}"`);
            }
            return item ?? '';
          })
          .join('');
      },
    };
  },
};
