/**
 * Nomad's native http check (client/serviceregistration/checks/client.go
 * checkHTTP): one request to protocol://address/path with the check's method,
 * headers and body. 200 passes with "nomad: http ok"; any other status below
 * 400 passes and 400 or above fails, both with the first 3 KiB of the body as
 * output; a transport error fails with "nomad: <error>".
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { errorMessage } from '../../model/errors.js';
import { abortText, nomadOutput, type CheckExecutor, type CheckOutcome } from './types.js';

/** Nomad's outputSizeLimit: what is kept of a response body. */
export const HTTP_OUTPUT_LIMIT = 3 * 1024;

export interface HttpCheckTarget {
  /** "http" or "https". */
  readonly protocol: string;
  /** "host:port" (IPv6 in brackets), as net.JoinHostPort makes it. */
  readonly hostPort: string;
  /** The path, with its query if any. */
  readonly path: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly body: string;
  readonly tlsSkipVerify: boolean;
  /** Sent as SNI; the host part of hostPort when empty. */
  readonly tlsServerName: string;
}

/** The User-Agent Nomad sends unless the check sets one. */
const USER_AGENT = 'Nomad (drover)';

export class HttpCheck implements CheckExecutor {
  /**
   * One kept-alive connection per check, as Nomad's checker reuses its HTTP
   * client's: a new TCP connection every interval was most of a check's cost.
   * Idle sockets do not hold the agent's event loop open (the agent unrefs them).
   */
  private readonly agent: HttpAgent;

  constructor(private readonly target: HttpCheckTarget) {
    const options = { keepAlive: true, maxSockets: 1, maxFreeSockets: 1 };
    this.agent = target.protocol === 'https' ? new HttpsAgent(options) : new HttpAgent(options);
  }

  /** Drops the kept-alive connection (the check stopped). */
  close(): void {
    this.agent.destroy();
  }

  /** The URL requested: the path resolved against protocol://hostPort, as Go's ResolveReference does. */
  get url(): URL {
    return new URL(this.target.path, `${this.target.protocol}://${this.target.hostPort}/`);
  }

  execute(signal: AbortSignal): Promise<CheckOutcome> {
    const t = this.target;
    let url: URL;
    try {
      url = this.url;
    } catch (err) {
      return Promise.resolve(failure(errorMessage(err)));
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, values] of Object.entries(t.headers)) {
      // A request has one Host: the first value, as Go's Header.Get gives it.
      if (name.toLowerCase() === 'host') headers[name] = values[0] ?? '';
      else headers[name] = [...values];
    }
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'user-agent')) headers['User-Agent'] = USER_AGENT;
    const method = (t.method || 'GET').toUpperCase();
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const attempt = (retried: boolean): Promise<CheckOutcome> =>
      new Promise((resolve) => {
        let req;
        try {
          req = send(url, {
            method,
            headers,
            signal,
            agent: this.agent,
            rejectUnauthorized: !t.tlsSkipVerify,
            ...(t.tlsServerName ? { servername: t.tlsServerName } : {}),
          });
        } catch (err) {
          // Bad header names or values are refused before anything is sent.
          resolve(failure(errorMessage(err)));
          return;
        }
        const sent = req;
        sent.on('error', (err: NodeJS.ErrnoException) => {
          // The server closed the kept-alive connection as this request went out: not the
          // service's fault, so once on a new connection (as Go's transport retries).
          if (!retried && !signal.aborted && sent.reusedSocket && err.code === 'ECONNRESET') {
            resolve(attempt(true));
            return;
          }
          resolve(failure(`${method} ${url.href}: ${signal.aborted ? abortText(signal) : err.message}`));
        });
        sent.on('response', (res) => {
          readLimited(res, signal).then(
            (body) => resolve(classify(res.statusCode ?? 0, body)),
            (err: unknown) => resolve(failure(`${method} ${url.href}: ${signal.aborted ? abortText(signal) : errorMessage(err)}`)),
          );
        });
        sent.end(t.body);
      });
    return attempt(false);
  }
}

function classify(statusCode: number, body: string): CheckOutcome {
  // The body is left out on 200 so nobody comes to rely on it (as Nomad).
  if (statusCode === 200) return { health: 'passing', statusCode, output: nomadOutput('http ok') };
  return { health: statusCode < 400 ? 'passing' : 'critical', statusCode, output: body };
}

function failure(message: string): CheckOutcome {
  return { health: 'critical', statusCode: 0, output: nomadOutput(message) };
}

/** Reads at most HTTP_OUTPUT_LIMIT bytes of the body, then drops the connection. */
function readLimited(res: IncomingMessage, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const body = (): string => Buffer.concat(chunks).subarray(0, HTTP_OUTPUT_LIMIT).toString('utf8');
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      // Enough kept: drop the rest with the connection (a fully read one stays for the next run).
      if (size >= HTTP_OUTPUT_LIMIT) {
        res.destroy();
        resolve(body());
      }
    });
    res.on('end', () => resolve(body()));
    res.on('error', reject);
    signal.addEventListener('abort', () => reject(new Error(abortText(signal))), { once: true });
  });
}
