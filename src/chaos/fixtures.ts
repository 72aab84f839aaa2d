/** Job texts and process probes the campaign's scenarios share. */
import { readFileSync } from 'node:fs';

/** A batch job of one task "t" in group "g" that fails for good on its first exit; `extra` goes inside the task block. */
export function batchJob(id: string, driver: string, command: string, args: readonly string[], extra = ''): string {
  return `job "${id}" {
  type = "batch"
  group "g" {
    restart {
      attempts = 0
      mode     = "fail"
    }
    task "t" {
      driver = "${driver}"
      config {
        command = ${JSON.stringify(command)}
        args    = ${JSON.stringify(args)}
      }
${extra}
    }
  }
}`;
}

/** True while `pid` runs (a zombie waiting for its parent's wait counts as gone). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
