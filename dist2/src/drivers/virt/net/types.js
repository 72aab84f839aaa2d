/** Node attribute key prefix for network facts. */
export const FINGERPRINT_PREFIX = 'driver.virt.network.';
//# sourceMappingURL=types.js.map