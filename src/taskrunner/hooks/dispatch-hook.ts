/**
 * Writes a dispatched job's payload to the task's local/<dispatch_payload.file>
 * before it starts (Nomad's dispatch_payload hook). The decoder already
 * refused a file that escapes the allocation.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PrestartHook, PrestartRequest, PrestartResponse } from './types.js';

export class DispatchHook implements PrestartHook {
  readonly name = 'dispatch_payload';

  /** `payload` is the job's base64 Payload field. */
  constructor(private readonly payload: string | undefined) {}

  async prestart(req: PrestartRequest): Promise<PrestartResponse> {
    const file = req.task.dispatchPayload?.file ?? '';
    if (!this.payload || file === '') return { done: true };
    const to = join(req.taskDir.localDir, file);
    await mkdir(dirname(to), { recursive: true });
    // Nomad writes it 0777; the task's user may be anyone.
    await writeFile(to, Buffer.from(this.payload, 'base64'), { mode: 0o777 });
    return { done: true };
  }
}
