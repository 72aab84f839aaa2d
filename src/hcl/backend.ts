/**
 * Where HCL text becomes JSON. hcl2json is HashiCorp's parser compiled to
 * WebAssembly with a Go runtime: loading it costs ~70 MB RSS and ~0.3 s, and
 * the memory stays with the process once it has been used (a worker thread
 * ended afterwards still leaves ~50 MB in malloc arenas, measured). A short
 * command parses in process (loaded on first use); the long-running agent
 * parses in a child process it ends when parsing has been idle a while, so an
 * idle agent carries none of it.
 */
import { fork, type ChildProcess } from 'node:child_process';

/** Parses one HCL text to hcl2json's JSON; rejects with hcl2json's error message. */
export type HclBackend = (file: string, text: string) => Promise<unknown>;

/** In this thread: @cdktn/hcl2json imported on first use (importing it starts its WebAssembly). */
export const inProcessHcl: HclBackend = async (file, text) => {
  const { parse } = await import('@cdktn/hcl2json');
  return parse(file, text);
};

let current: HclBackend = inProcessHcl;

/** The backend parseHcl uses. */
export function hclBackend(): HclBackend {
  return current;
}

/** Replaces the backend for this process (the agent installs an HclParserProcess); returns the previous one. */
export function useHclBackend(backend: HclBackend): HclBackend {
  const previous = current;
  current = backend;
  return previous;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** A parser in a child process (parse-server.js), started on demand and ended `idleMs` after its last answer. */
export class HclParserProcess {
  private child: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly idleMs: number) {}

  readonly parse: HclBackend = (file, text) =>
    new Promise((resolve, reject) => {
      clearTimeout(this.idleTimer);
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      const c = this.ensure();
      this.holdRef();
      c.send({ id, file, text });
    });

  /** Ends the parser now (pending parses fail). */
  close(): void {
    clearTimeout(this.idleTimer);
    const c = this.child;
    this.child = undefined;
    for (const p of this.pending.values()) p.reject(new Error('HCL parser process closed'));
    this.pending.clear();
    c?.kill('SIGKILL');
  }

  /** Whether the parser process is running right now. */
  get loaded(): boolean {
    return this.child !== undefined;
  }

  private ensure(): ChildProcess {
    if (this.child) return this.child;
    const c = fork(new URL('./parse-server.js', import.meta.url), [], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      // Its heap is the Go runtime's linear memory; a small young generation is enough for the JSON around it.
      execArgv: ['--max-semi-space-size=1'],
      serialization: 'advanced',
      // Node reads NODE_EXTRA_CA_CERTS at start, before any code runs (30–60 ms of a cold parse here);
      // a parser that never opens a connection has no use for it.
      env: withoutExtraCaCerts(process.env),
    });
    c.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string; overflow?: boolean }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      // A stack overflow in the parser stays a RangeError, as in process (parseHcl tells it from a syntax error).
      else p.reject(m.overflow === true ? new RangeError(m.error) : new Error(m.error));
      this.holdRef();
    });
    const fail = (why: string): void => {
      if (this.child !== c) return;
      this.child = undefined;
      clearTimeout(this.idleTimer);
      for (const p of this.pending.values()) p.reject(new Error(`HCL parser process ${why}`));
      this.pending.clear();
    };
    c.on('error', (err) => fail(`failed: ${err.message}`));
    c.on('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`})`));
    this.child = c;
    return c;
  }

  /** Busy: the parser keeps the process alive until it answers; idle: it never does, and ends after idleMs. */
  private holdRef(): void {
    const c = this.child;
    if (!c) return;
    if (this.pending.size > 0) {
      c.ref();
      c.channel?.ref();
      return;
    }
    c.unref();
    c.channel?.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.close(), this.idleMs);
    this.idleTimer.unref();
  }
}

function withoutExtraCaCerts(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _unused, ...rest } = env;
  return rest;
}
