/**
 * The QEMU command line for a virt VM, mirroring the libvirt domain
 * nomad-driver-virt defines: the disk on virtio, the cloud-init seed as a
 * CD-ROM, SMBIOS serial "ds=nocloud", a virtio RNG, the alloc/local/secrets
 * dirs over virtio-9p, vCPUs from cores and memory from the task's
 * resources, serial console on stdout (-nographic), and a QMP socket.
 */
import type { TaskConfig } from '../types.js';
import type { GuestMount } from './seed.js';

/** Everything the command line is built from. */
export interface VirtVm {
  readonly vmName: string;
  readonly machine: string;
  readonly accelerator: 'kvm' | 'tcg';
  readonly disk: { readonly path: string; readonly format: string };
  readonly seedPath: string;
  readonly qmpPath: string;
  readonly mounts: readonly GuestMount[];
  readonly netArgs: readonly string[];
}

/** The arguments after the binary. */
export function buildVirtArgs(cfg: TaskConfig, vm: VirtVm): string[] {
  const args = [
    '-name', vm.vmName,
    '-machine', `type=${vm.machine || 'pc'},accel=${vm.accelerator}`,
    '-m', `${cfg.resources.memoryMb}M`,
    // Every reserved core is a vCPU (nomad-driver-virt); at least one.
    '-smp', String(Math.max(1, cfg.resources.cores)),
    '-nographic',
    '-qmp', `unix:${vm.qmpPath},server=on,wait=off`,
    '-drive', `file=${vm.disk.path},if=virtio,format=${vm.disk.format}`,
    '-drive', `file=${vm.seedPath},if=ide,media=cdrom,readonly=on,format=raw`,
    '-smbios', 'type=1,serial=ds=nocloud',
    '-device', 'virtio-rng-pci',
  ];
  for (const m of vm.mounts) args.push('-virtfs', `local,path=${m.hostPath.replace(/,/g, ',,')},mount_tag=${m.tag},security_model=none,readonly=${m.readonly === false ? 'off' : 'on'}`);
  args.push(...vm.netArgs);
  return args;
}

/** nomad-driver-virt's VM name: "<task>-<unique id>" from the task id "<alloc>/<task>/<unique id>". */
export function vmNameFromTaskId(taskId: string): string {
  return taskId.split('/').slice(1).join('-');
}
