/**
 * Linux isolation for the exec driver, built from Debian's own small tools
 * (util-linux unshare/nsenter/setpriv/pivot_root, mount, coreutils env).
 * The executor daemon imports this lazily when a LaunchSpec has `isolation`.
 * See README.md for the design and the measurements behind it.
 */
export { buildIsolatedLaunch, taskUser, type IsolatedCommand, type LaunchOptions, type ResolvedUser } from './launch.js';
export { buildIsolatedExec, waitUntilIsolated } from './exec.js';
export { detectIsolation, type IsolationSupport, REQUIRES_ROOT, NO_CGROUP_MOUNT } from './detect.js';
export { DEFAULT_CHROOT_ENV } from './defaults.js';
export { CAPABILITY_NAMES, supportedCapabilities, normalizeCapability } from './capabilities.js';
export { SETUP_FAILED_EXIT } from './setup-script.js';
export { removeIsolatedRoot, mountsUnder } from './rootfs.js';
export { hostMountPropagation, type HostMountPropagation } from './host-propagation.js';
