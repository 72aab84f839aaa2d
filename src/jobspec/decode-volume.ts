/**
 * group volume "label" { } and task volume_mount { } → VolumeRequest /
 * VolumeMount, with Nomad's checks (model/volume.ts) reported at the field
 * and line.
 */
import { volumeMountProblems, volumeRequestProblems, type JobType, type VolumeMount, type VolumeRequest } from '../model/index.js';
import { BodyReader } from '../hcl/index.js';
import { MOUNT_OPTIONS_NAMES, VOLUME_MOUNT_NAMES, VOLUME_NAMES } from './names.js';

/** The group's volume blocks; a label written twice is an error. */
export function decodeVolumes(group: BodyReader, jobType: JobType): VolumeRequest[] {
  const out: VolumeRequest[] = [];
  for (const l of group.labeled('volume', 'volume')) {
    if (l.occurrence > 0) {
      group.report.error(l.path, `duplicate volume "${l.label}" block`, l.linePath);
      continue;
    }
    const r = new BodyReader(group.report, l.path, l.body, VOLUME_NAMES, 'volume');
    const opts = r.block('mount_options');
    const o = opts ? new BodyReader(r.report, r.field('mount_options'), opts, MOUNT_OPTIONS_NAMES, 'mount_options') : undefined;
    const v: VolumeRequest = {
      name: l.label,
      type: r.string('type') ?? '',
      source: r.string('source') ?? '',
      readOnly: r.bool('read_only') ?? false,
      perAlloc: r.bool('per_alloc') ?? false,
      accessMode: r.string('access_mode') ?? '',
      attachmentMode: r.string('attachment_mode') ?? '',
      ...(o ? { mountOptions: { fsType: o.string('fs_type') ?? '', mountFlags: o.stringList('mount_flags') ?? [] } } : {}),
    };
    for (const p of volumeRequestProblems(v, jobType)) group.report.error(r.has(p.field) || p.field === 'mount_options' ? r.field(p.field) : l.path, p.message);
    out.push(v);
  }
  return out;
}

/** A task's volume_mount blocks, each checked against the group's volume labels. */
export function decodeVolumeMounts(task: BodyReader, groupVolumes: ReadonlySet<string>): VolumeMount[] {
  return task.blocks('volume_mount').map((b, i) => {
    const r = new BodyReader(task.report, b.path, b.body, VOLUME_MOUNT_NAMES, 'volume_mount');
    const m: VolumeMount = {
      volume: r.string('volume') ?? '',
      destination: r.string('destination') ?? '',
      readOnly: r.bool('read_only') ?? false,
      propagationMode: r.string('propagation_mode') ?? '',
      selinuxLabel: r.string('selinux_label') ?? '',
    };
    for (const p of volumeMountProblems(m, i, groupVolumes)) task.report.error(r.has(p.field) ? r.field(p.field) : b.path, p.message);
    return m;
  });
}
