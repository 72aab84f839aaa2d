/** The child process of HclParserProcess (backend.ts): parses each {id, file, text} it is sent and answers {id, ok, value | error}. */
import { parse } from '@cdktn/hcl2json';

if (!process.send) throw new Error('parse-server.js runs only as a forked child with an IPC channel');
const send = process.send.bind(process);
process.on('message', (m: { id: number; file: string; text: string }) => {
  parse(m.file, m.text).then(
    (value: unknown) => send({ id: m.id, ok: true, value }, undefined, undefined, ignore),
    (err: unknown) =>
      send({ id: m.id, ok: false, error: err instanceof Error ? err.message : String(err), overflow: err instanceof RangeError }, undefined, undefined, ignore),
  );
});
// The agent going away (even by SIGKILL) closes the channel: end with it.
process.on('disconnect', () => process.exit(0));

/** A send failing means the agent is gone; 'disconnect' ends this process. */
function ignore(): void {}
