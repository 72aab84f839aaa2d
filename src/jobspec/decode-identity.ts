/**
 * identity { } blocks of a task → its default and named workload identities
 * (Nomad's api.WorkloadIdentity hcl tags; jobspec2 moves the unnamed one to
 * Task.Identity). The name is an attribute, `name = "vault_default"`, not a
 * label, as in Nomad.
 */
import { canonicalIdentity, splitIdentities, type IdentityField, type WorkloadIdentity } from '../model/index.js';
import { BodyReader, isObject } from '../hcl/index.js';
import { IDENTITY_NAMES } from './names.js';

const FIELDS: Readonly<Record<IdentityField, string>> = {
  name: 'name',
  aud: 'aud',
  change_mode: 'change_mode',
  change_signal: 'change_signal',
  ttl: 'ttl',
  filepath: 'filepath',
};

/** The task's identities, problems reported at the block's fields. */
export function decodeIdentities(task: BodyReader): { identity?: WorkloadIdentity; identities?: WorkloadIdentity[] } {
  const { report } = task;
  const raw = task.raw['identity'];
  if (raw === undefined || raw === null) return {};
  if (isObject(raw)) {
    const label = Object.keys(raw)[0] ?? 'name';
    report.error(`${task.field('identity')}.${label}`, `identity blocks take no label: name the identity with name = "${label}" inside the block`);
    return {};
  }
  const blocks = task.blocks('identity');
  const readers = blocks.map((b) => new BodyReader(report, b.path, b.body, IDENTITY_NAMES, 'identity'));
  const decoded = readers.map((r) =>
    canonicalIdentity({
      name: r.string('name'),
      audience: r.stringList('aud'),
      changeMode: r.string('change_mode'),
      changeSignal: r.string('change_signal'),
      env: r.bool('env'),
      file: r.bool('file'),
      filepath: r.string('filepath'),
      ttlMs: r.duration('ttl'),
      serviceName: r.string('service_name'),
      extraClaims: r.stringList('extra_claims'),
    }),
  );
  const split = splitIdentities(decoded);
  const at = (p: { field: IdentityField | 'block'; index: number }): string => {
    const r = readers[p.index] as BodyReader;
    return p.field === 'block' ? r.path : r.field(FIELDS[p.field]);
  };
  for (const p of split.problems) report.error(at(p), p.message);
  for (const w of split.warnings) report.warn(at(w), w.message);
  return { ...(split.identity ? { identity: split.identity } : {}), ...(split.identities.length > 0 ? { identities: split.identities } : {}) };
}
