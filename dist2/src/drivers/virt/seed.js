import { envProfile, isValidHostname } from '../vm-shared/cloud-init.js';
/** nomad-driver-virt's three mounts (alloc, local, secrets), at the paths the task's env names. */
export function guestMounts(cfg) {
    return [
        { hostPath: cfg.taskDir.sharedAllocDir, tag: 'allocDir', guestPath: cfg.env['NOMAD_ALLOC_DIR'] ?? '/alloc' },
        { hostPath: cfg.taskDir.localDir, tag: 'localDir', guestPath: cfg.env['NOMAD_TASK_DIR'] ?? '/local' },
        { hostPath: cfg.taskDir.secretsDir, tag: 'secretsDir', guestPath: cfg.env['NOMAD_SECRETS_DIR'] ?? '/secrets' },
    ];
}
/** nomad-driver-virt's default hostname, "nomad-<vm name>", made a valid host label. */
export function defaultHostname(vmName) {
    const h = `nomad-${vmName}`.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 63).replace(/-+$/, '');
    return isValidHostname(h) ? h : 'nomad-vm';
}
/** The seed for one VM; `userData` is the user_data file's contents, when set. */
export function seedConfig(cfg, task, vmName, userData) {
    const mounts = guestMounts(cfg);
    return {
        instanceId: vmName,
        hostname: task.hostname || defaultHostname(vmName),
        ...(userData !== undefined ? { userData } : {}),
        ...(task.password ? { password: task.password } : {}),
        ...(task.sshKey ? { sshAuthorizedKey: task.sshKey } : {}),
        ...(task.timezone ? { timezone: task.timezone } : {}),
        runcmd: task.cmds,
        bootcmd: mounts.flatMap((m) => [`mkdir -p ${m.guestPath}`, `mountpoint -q ${m.guestPath} || mount -t 9p -o trans=virtio,ro ${m.tag} ${m.guestPath}`]),
        files: [{ path: '/etc/profile.d/virt.sh', content: envProfile(cfg.env), permissions: '0644' }],
    };
}
//# sourceMappingURL=seed.js.map