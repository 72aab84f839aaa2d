/** The arguments after the binary. */
export function buildVirtArgs(cfg, vm) {
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
    for (const m of vm.mounts)
        args.push('-virtfs', `local,path=${m.hostPath},mount_tag=${m.tag},security_model=none,readonly=on`);
    args.push(...vm.netArgs);
    return args;
}
/** nomad-driver-virt's VM name: "<task>-<unique id>" from the task id "<alloc>/<task>/<unique id>". */
export function vmNameFromTaskId(taskId) {
    return taskId.split('/').slice(1).join('-');
}
//# sourceMappingURL=args.js.map