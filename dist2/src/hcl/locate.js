/**
 * Source locator for HCL text.
 *
 * Why this exists: @cdktn/hcl2json returns plain JSON with no source ranges,
 * yet every jobspec problem must name its line. So we scan the HCL text
 * ourselves (skipping strings, heredocs and comments), track block nesting
 * with labels, and record the line of every block, attribute and object key
 * under the same dotted path the decoder uses:
 * `job.mock.group.web.task.server.config.run_for`.
 *
 * Every block is recorded both as `name` (first one wins) and as `name[i]`
 * (its index among same-named siblings), so `artifact[1].source`,
 * `config.port.label` and a duplicate `task.web[1]` all resolve.
 * The scanner is forgiving: it never throws, so it also works on text that
 * hcl2json rejected (to name the block around a syntax error).
 */
/** Answers "which line is this field on?" for one HCL source text. */
export class SourceLocator {
    entries = new Map();
    spans = [];
    /** Records a path (first occurrence wins). */
    record(path, line, kind) {
        if (!this.entries.has(path))
            this.entries.set(path, { line, kind });
    }
    /** Records a block's line range for {@link SourceLocator.pathAt}. */
    span(path, start) {
        const s = { path, start, end: Number.MAX_SAFE_INTEGER };
        this.spans.push(s);
        return s;
    }
    /** Line of the path, else of its nearest recorded ancestor; undefined when nothing matches. */
    line(path) {
        return this.find(path)?.line;
    }
    /** Whether the exact path is a block or an attribute (undefined when not recorded). */
    kind(path) {
        return this.entries.get(path)?.kind;
    }
    /** The innermost block enclosing a line, e.g. to name the block around a syntax error. */
    pathAt(line) {
        let best;
        for (const s of this.spans) {
            if (s.start <= line && line <= s.end && (!best || s.start >= best.start))
                best = s;
        }
        return best?.path ?? '';
    }
    find(path) {
        let p = path;
        while (p !== '') {
            const hit = this.entries.get(p);
            if (hit)
                return hit;
            p = parentPath(p);
        }
        return undefined;
    }
}
function parentPath(path) {
    if (path.endsWith(']'))
        return path.slice(0, path.lastIndexOf('['));
    const dot = path.lastIndexOf('.');
    return dot < 0 ? '' : path.slice(0, dot);
}
/** Scans HCL text and returns its locator. */
export function locate(text) {
    const loc = new SourceLocator();
    new Parser(tokenize(text), loc).body([''], undefined);
    return loc;
}
const join = (prefix, name) => (prefix === '' ? name : `${prefix}.${name}`);
class Parser {
    toks;
    loc;
    i = 0;
    constructor(toks, loc) {
        this.toks = toks;
        this.loc = loc;
    }
    peek(o = 0) {
        return this.toks[Math.min(this.i + o, this.toks.length - 1)];
    }
    next() {
        const t = this.peek();
        if (this.i < this.toks.length - 1)
            this.i++;
        return t;
    }
    /** A block body: attributes and nested blocks, until the closing brace (or EOF at top level). */
    body(prefixes, span) {
        const counts = new Map();
        for (;;) {
            const t = this.next();
            if (t.kind === 'eof')
                return;
            if (t.kind === 'nl')
                continue;
            if (t.kind === 'punct' && t.text === '}') {
                if (span)
                    span.end = t.line;
                return;
            }
            if (t.kind !== 'ident') {
                this.skipLine();
                continue;
            }
            const after = this.peek();
            if (after.kind === 'punct' && (after.text === '=' || after.text === ':')) {
                this.next();
                const paths = prefixes.map((p) => join(p, t.text));
                for (const p of paths)
                    this.loc.record(p, t.line, 'attribute');
                this.value(paths, false);
                continue;
            }
            const labels = [];
            while (this.peek().kind === 'string' || this.peek().kind === 'ident')
                labels.push(this.next().text);
            if (!(this.peek().kind === 'punct' && this.peek().text === '{')) {
                this.skipLine();
                continue;
            }
            this.next();
            // Repeats are told apart by index: `artifact[1]`, and for labeled blocks `task.web[1]`.
            const name = [t.text, ...labels].join('.');
            const n = counts.get(name) ?? 0;
            counts.set(name, n + 1);
            const paths = [...new Set(prefixes.flatMap((p) => [join(p, `${name}[${n}]`), join(p, name)]))];
            for (const p of paths)
                this.loc.record(p, t.line, 'block');
            // The bare type of a labeled block too: `resources.device` for `device "nvidia/gpu" { }`.
            if (labels.length > 0)
                for (const p of prefixes)
                    this.loc.record(join(p, t.text), t.line, 'block');
            this.body(paths, this.loc.span(paths[paths.length - 1], t.line));
        }
    }
    /**
     * An attribute value (or an object item's value). Records keys of object
     * constructors; ends at a newline, a comma inside an object, or the brace
     * that closes the surrounding body/object (left unconsumed).
     */
    value(paths, inObject) {
        for (;;) {
            const t = this.peek();
            if (t.kind === 'eof')
                return;
            if (t.kind === 'nl') {
                this.next();
                return;
            }
            if (t.kind === 'punct') {
                if (t.text === '}')
                    return;
                if (inObject && t.text === ',')
                    return;
                if (t.text === '{') {
                    this.next();
                    this.object(paths);
                    continue;
                }
                if (t.text === '[' || t.text === '(') {
                    this.skipBalanced();
                    continue;
                }
            }
            this.next();
        }
    }
    /** An object constructor `{ key = value, ... }` after its opening brace. */
    object(paths) {
        for (;;) {
            const t = this.peek();
            if (t.kind === 'eof')
                return;
            if (t.kind === 'nl' || (t.kind === 'punct' && t.text === ',')) {
                this.next();
                continue;
            }
            if (t.kind === 'punct' && t.text === '}') {
                this.next();
                return;
            }
            const sep = this.peek(1);
            if ((t.kind === 'ident' || t.kind === 'string') && sep.kind === 'punct' && (sep.text === '=' || sep.text === ':')) {
                this.next();
                this.next();
                const keyPaths = paths.map((p) => join(p, t.text));
                for (const p of keyPaths)
                    this.loc.record(p, t.line, 'attribute');
                this.value(keyPaths, true);
                continue;
            }
            // Not a `key = value` item (a for expression, say): skip to the closing brace.
            this.skipBalanced(1);
            return;
        }
    }
    /** Skips a bracketed group starting at its opening bracket (or inside it, with `depth` 1). */
    skipBalanced(depth = 0) {
        for (;;) {
            const t = this.next();
            if (t.kind === 'eof')
                return;
            if (t.kind !== 'punct')
                continue;
            if (t.text === '{' || t.text === '[' || t.text === '(')
                depth++;
            else if (t.text === '}' || t.text === ']' || t.text === ')') {
                depth--;
                if (depth <= 0)
                    return;
            }
        }
    }
    skipLine() {
        while (this.peek().kind !== 'nl' && this.peek().kind !== 'eof') {
            const t = this.peek();
            if (t.kind === 'punct' && t.text === '}')
                return;
            if (t.kind === 'punct' && (t.text === '{' || t.text === '[' || t.text === '('))
                this.skipBalanced();
            else
                this.next();
        }
    }
}
const IDENT_START = /[A-Za-z_]/;
const IDENT_REST = /[A-Za-z0-9_-]/;
/** Splits HCL into the few token kinds the locator needs. */
function tokenize(src) {
    const toks = [];
    let i = 0;
    let line = 1;
    const push = (kind, text, at = line) => {
        toks.push({ kind, text, line: at });
    };
    while (i < src.length) {
        const c = src[i];
        if (c === '\n') {
            push('nl', '\n');
            line++;
            i++;
        }
        else if (c === ' ' || c === '\t' || c === '\r') {
            i++;
        }
        else if (c === '#' || (c === '/' && src[i + 1] === '/')) {
            while (i < src.length && src[i] !== '\n')
                i++;
        }
        else if (c === '/' && src[i + 1] === '*') {
            const end = src.indexOf('*/', i + 2);
            const stop = end < 0 ? src.length : end + 2;
            line += countNewlines(src, i, stop);
            i = stop;
        }
        else if (c === '"') {
            const start = line;
            const r = scanString(src, i + 1);
            line += countNewlines(src, i, r.end);
            push('string', r.text, start);
            i = r.end;
        }
        else if (c === '<' && src[i + 1] === '<' && /[-A-Za-z_]/.test(src[i + 2] ?? '')) {
            const start = line;
            const end = scanHeredoc(src, i);
            line += countNewlines(src, i, end);
            push('heredoc', '', start);
            i = end;
        }
        else if (IDENT_START.test(c)) {
            let j = i + 1;
            while (j < src.length && IDENT_REST.test(src[j]))
                j++;
            push('ident', src.slice(i, j));
            i = j;
        }
        else if (/[0-9]/.test(c)) {
            let j = i + 1;
            while (j < src.length && /[0-9.eE]/.test(src[j]))
                j++;
            push('number', src.slice(i, j));
            i = j;
        }
        else {
            const two = src.slice(i, i + 2);
            const op = ['==', '=>', '!=', '<=', '>=', '&&', '||'].includes(two) ? two : c;
            push('punct', op);
            i += op.length;
        }
    }
    push('eof', '');
    return toks;
}
function countNewlines(src, from, to) {
    let n = 0;
    for (let k = from; k < to; k++)
        if (src[k] === '\n')
            n++;
    return n;
}
/** Scans a quoted string (after its opening quote), including `${ ... }` with nested strings. */
function scanString(src, from) {
    let i = from;
    let text = '';
    while (i < src.length) {
        const c = src[i];
        if (c === '"')
            return { text, end: i + 1 };
        if (c === '\n')
            return { text, end: i }; // unterminated: hcl2json reports it; stay in sync
        if (c === '\\') {
            text += src[i + 1] ?? '';
            i += 2;
        }
        else if ((c === '$' || c === '%') && src[i + 1] === c && src[i + 2] === '{') {
            text += `${c}{`;
            i += 3;
        }
        else if ((c === '$' || c === '%') && src[i + 1] === '{') {
            const end = skipTemplateExpr(src, i + 2);
            text += src.slice(i, end);
            i = end;
        }
        else {
            text += c;
            i++;
        }
    }
    return { text, end: i };
}
/** Skips a template interpolation's body up to and including its closing brace. */
function skipTemplateExpr(src, from) {
    let depth = 1;
    let i = from;
    while (i < src.length) {
        const c = src[i];
        if (c === '"') {
            i = scanString(src, i + 1).end;
            continue;
        }
        if (c === '{')
            depth++;
        else if (c === '}') {
            depth--;
            if (depth === 0)
                return i + 1;
        }
        i++;
    }
    return i;
}
/** Skips `<<EOT` / `<<-EOT` heredocs; returns the index of the newline after the closing marker. */
function scanHeredoc(src, from) {
    let i = from + 2;
    if (src[i] === '-')
        i++;
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i));
    if (!m)
        return i;
    const marker = m[0];
    let nl = src.indexOf('\n', i);
    while (nl >= 0) {
        const next = src.indexOf('\n', nl + 1);
        const lineText = src.slice(nl + 1, next < 0 ? src.length : next);
        if (lineText.trim() === marker)
            return next < 0 ? src.length : next;
        nl = next;
    }
    return src.length;
}
//# sourceMappingURL=locate.js.map