/**
 * Host volumes (Nomad's structs.VolumeRequest, VolumeMount and
 * ClientHostVolumeConfig) and the checks Nomad applies to them in
 * VolumeRequest.Validate and Task.Validate, shared by the HCL and JSON decoders.
 */

/** A group's volume "label" { } (only type "host" runs in drover). */
export interface VolumeRequest {
  readonly name: string;
  readonly type: string;
  readonly source: string;
  readonly readOnly: boolean;
  readonly perAlloc: boolean;
  readonly accessMode: string;
  readonly attachmentMode: string;
  /** Present only when written (host volumes must not have it). */
  readonly mountOptions?: { readonly fsType: string; readonly mountFlags: readonly string[] };
}

/** A task's volume_mount { }. */
export interface VolumeMount {
  readonly volume: string;
  readonly destination: string;
  readonly readOnly: boolean;
  readonly propagationMode: string;
  readonly selinuxLabel: string;
}

/** A client { host_volume "name" { } } as the node advertises it (api.Node.HostVolumes). */
export interface HostVolumeConfig {
  readonly path: string;
  readonly readOnly: boolean;
}

/** Propagation modes Nomad accepts ("" means private). */
export const PROPAGATION_MODES = ['private', 'host-to-task', 'bidirectional'] as const;
const HOST_ACCESS_MODES = ['', 'single-node-reader-only', 'single-node-writer', 'single-node-single-writer', 'single-node-multi-writer'];

/** A problem with one field of a volume or mount (field is the HCL name). */
export interface VolumeProblem {
  readonly field: 'type' | 'source' | 'per_alloc' | 'access_mode' | 'mount_options' | 'volume' | 'propagation_mode' | 'selinux_label' | 'destination';
  readonly message: string;
}

/** Nomad's VolumeRequest.Validate for what drover runs; csi is refused plainly. */
export function volumeRequestProblems(v: VolumeRequest, jobType: string): VolumeProblem[] {
  if (v.type === 'csi') return [{ field: 'type', message: `volume "${v.name}": CSI volumes are not supported by drover (only type = "host")` }];
  if (v.type !== 'host') return [{ field: 'type', message: `volume has unrecognized type ${v.type}` }];
  const out: VolumeProblem[] = [];
  if (v.source === '') out.push({ field: 'source', message: 'volume has an empty source' });
  if (v.perAlloc && (jobType === 'system' || jobType === 'sysbatch')) out.push({ field: 'per_alloc', message: 'volume cannot be per_alloc for system or sysbatch jobs' });
  if (v.mountOptions) out.push({ field: 'mount_options', message: 'host volumes cannot have mount options' });
  if (!HOST_ACCESS_MODES.includes(v.accessMode)) out.push({ field: 'access_mode', message: `host volumes cannot be mounted with ${v.accessMode} access mode` });
  else if (v.accessMode === 'single-node-reader-only' && !v.readOnly) out.push({ field: 'access_mode', message: `${v.accessMode} volumes must be read-only` });
  return out;
}

/** Nomad's VolumeMount.Validate plus Task.Validate's check that the group defines the volume. */
export function volumeMountProblems(m: VolumeMount, index: number, groupVolumes: ReadonlySet<string>): VolumeProblem[] {
  const out: VolumeProblem[] = [];
  if (m.volume === '') out.push({ field: 'volume', message: `Volume Mount (${index}) is invalid: volume mount references an empty volume` });
  else if (!groupVolumes.has(m.volume)) out.push({ field: 'volume', message: `Volume Mount (${index}) references undefined volume ${m.volume}` });
  // Nomad leaves an empty destination to the driver; drover's drivers need a path to bind to.
  if (m.destination === '') out.push({ field: 'destination', message: `Volume Mount (${index}) needs a destination (the path inside the task)` });
  if (m.propagationMode !== '' && !(PROPAGATION_MODES as readonly string[]).includes(m.propagationMode)) {
    out.push({ field: 'propagation_mode', message: `Volume Mount (${index}) is invalid: volume mount has an invalid propagation mode: ${JSON.stringify(m.propagationMode)} (one of ${PROPAGATION_MODES.join(', ')})` });
  }
  if (!['', 'z', 'Z'].includes(m.selinuxLabel)) out.push({ field: 'selinux_label', message: `Volume Mount (${index}) is invalid: volume mount has an invalid SELinux label: "${m.selinuxLabel}"` });
  return out;
}

/** The host volume name a request uses for an allocation (per_alloc appends `[index]`, as Nomad's AllocSuffix). */
export function hostVolumeSource(v: VolumeRequest, allocIndex: number): string {
  return v.perAlloc ? `${v.source}[${allocIndex}]` : v.source;
}
