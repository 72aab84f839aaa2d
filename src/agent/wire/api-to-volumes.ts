/**
 * TaskGroup.Volumes (a map by label) and Task.VolumeMounts in Nomad's api
 * JSON → VolumeRequest / VolumeMount, with the same checks the HCL decoder
 * applies (model/volume.ts), reported at the JSON field.
 */
import { volumeMountProblems, volumeRequestProblems, type JobType, type VolumeMount, type VolumeProblem, type VolumeRequest } from '../../model/index.js';
import { JsonReader, isJsonObject, describeJson, type JsonFields } from './json-reader.js';

const VOLUME: JsonFields = {
  decoded: ['Name', 'Type', 'Source', 'ReadOnly', 'PerAlloc', 'AccessMode', 'AttachmentMode', 'MountOptions'],
  ignored: ['Sticky'],
};
const MOUNT_OPTIONS: JsonFields = { decoded: ['FSType', 'MountFlags'] };
const VOLUME_MOUNT: JsonFields = { decoded: ['Volume', 'Destination', 'ReadOnly', 'PropagationMode', 'SELinuxLabel'] };

/** HCL problem field → JSON name. */
const JSON_FIELD: Readonly<Record<VolumeProblem['field'], string>> = {
  type: 'Type', source: 'Source', per_alloc: 'PerAlloc', access_mode: 'AccessMode', mount_options: 'MountOptions',
  volume: 'Volume', propagation_mode: 'PropagationMode', selinux_label: 'SELinuxLabel', destination: 'Destination',
};

/** TaskGroup.Volumes; the map key is the label (Name, when set, must agree as Nomad sets it from the key). */
export function decodeApiVolumes(g: JsonReader, jobType: JobType): VolumeRequest[] {
  const raw = g.object('Volumes');
  if (!raw) return [];
  const out: VolumeRequest[] = [];
  for (const [label, value] of Object.entries(raw)) {
    const path = `${g.field('Volumes')}.${label}`;
    if (!isJsonObject(value)) {
      g.problems.error(path, `expected an object, got ${describeJson(value)}`);
      continue;
    }
    const r = new JsonReader(g.problems, path, value, VOLUME);
    const o = r.nested('MountOptions', MOUNT_OPTIONS);
    const v: VolumeRequest = {
      name: label,
      type: r.string('Type') ?? '',
      source: r.string('Source') ?? '',
      readOnly: r.bool('ReadOnly') ?? false,
      perAlloc: r.bool('PerAlloc') ?? false,
      accessMode: r.string('AccessMode') ?? '',
      attachmentMode: r.string('AttachmentMode') ?? '',
      ...(o ? { mountOptions: { fsType: o.string('FSType') ?? '', mountFlags: o.stringList('MountFlags') ?? [] } } : {}),
    };
    for (const p of volumeRequestProblems(v, jobType)) g.problems.error(r.field(JSON_FIELD[p.field]), p.message);
    out.push(v);
  }
  return out;
}

/** Task.VolumeMounts, each checked against the group's volume labels. */
export function decodeApiVolumeMounts(t: JsonReader, groupVolumes: ReadonlySet<string>): VolumeMount[] {
  return t.list('VolumeMounts', VOLUME_MOUNT).map((r, i) => {
    const m: VolumeMount = {
      volume: r.string('Volume') ?? '',
      destination: r.string('Destination') ?? '',
      readOnly: r.bool('ReadOnly') ?? false,
      propagationMode: r.string('PropagationMode') ?? '',
      selinuxLabel: r.string('SELinuxLabel') ?? '',
    };
    for (const p of volumeMountProblems(m, i, groupVolumes)) t.problems.error(r.field(JSON_FIELD[p.field]), p.message);
    return m;
  });
}
