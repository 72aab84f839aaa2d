/** Defaults shared by the isolation module and the exec driver. */
/**
 * Nomad's default chroot_env (client/config DefaultChrootEnv): host path →
 * path in the chroot. Entries the host lacks are skipped at mount time.
 */
export const DEFAULT_CHROOT_ENV = Object.freeze({
    '/bin': '/bin',
    '/etc': '/etc',
    '/lib': '/lib',
    '/lib32': '/lib32',
    '/lib64': '/lib64',
    '/run/resolvconf': '/run/resolvconf',
    '/sbin': '/sbin',
    '/usr': '/usr',
    // systemd-resolved hosts: /etc/resolv.conf links into here.
    '/run/systemd/resolve': '/run/systemd/resolve',
});
//# sourceMappingURL=defaults.js.map