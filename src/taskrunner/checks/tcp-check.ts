/**
 * Nomad's native tcp check (checks/client.go checkTCP): it passes when a TCP
 * connection opens, with "nomad: tcp ok"; otherwise the dial error is the output.
 */
import { connect } from 'node:net';
import { abortText, nomadOutput, type CheckExecutor, type CheckOutcome } from './types.js';

export class TcpCheck implements CheckExecutor {
  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  execute(signal: AbortSignal): Promise<CheckOutcome> {
    return new Promise((resolve) => {
      const where = `dial tcp ${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
      const socket = connect({ host: this.host, port: this.port });
      const onAbort = (): void => {
        socket.destroy();
        resolve({ health: 'critical', statusCode: 0, output: `${where}: ${abortText(signal)}` });
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve({ health: 'passing', statusCode: 0, output: nomadOutput('tcp ok') });
      });
      socket.once('error', (err) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ health: 'critical', statusCode: 0, output: `${where}: ${err.message}` });
      });
    });
  }
}
