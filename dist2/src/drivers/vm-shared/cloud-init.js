/**
 * cloud-init NoCloud seed contents, laid out as nomad-driver-virt does:
 * meta-data (instance-id, local-hostname), user-data (the task's user_data
 * file verbatim, or an empty #cloud-config) and vendor-data (what the driver
 * adds: default user password and ssh key, files, runcmd, bootcmd,
 * timezone). cloud-init merges vendor-data under user-data, so a user_data
 * file always wins; merge_how makes lists (runcmd) combine instead.
 *
 * Every string value is written as a YAML double-quoted scalar (JSON string
 * syntax is a subset), so commands and passwords with ':' or '#' survive.
 */
const q = (s) => JSON.stringify(s);
/** Renders meta-data, user-data and vendor-data. */
export function renderSeed(c) {
    return { 'meta-data': metaData(c), 'user-data': c.userData ?? '#cloud-config\n', 'vendor-data': vendorData(c) };
}
function metaData(c) {
    return `instance-id: ${q(c.instanceId)}\nlocal-hostname: ${q(c.hostname)}\n`;
}
function vendorData(c) {
    const out = ['#cloud-config'];
    if (c.userData !== undefined) {
        out.push('merge_how:', ' - name: list', '   settings: [prepend]', ' - name: dict', '   settings: [no_replace, recurse_dict]');
    }
    if (c.password)
        out.push(`password: ${q(c.password)}`);
    if (c.sshAuthorizedKey)
        out.push('ssh_authorized_keys:', `  - ${q(c.sshAuthorizedKey)}`);
    if (c.timezone)
        out.push(`timezone: ${q(c.timezone)}`);
    if (c.files.length > 0) {
        out.push('write_files:');
        for (const f of c.files) {
            out.push(`  - path: ${q(f.path)}`, '    encoding: b64', `    content: ${Buffer.from(f.content).toString('base64')}`, `    permissions: ${q(f.permissions)}`, '    owner: root:root');
        }
    }
    list(out, 'bootcmd', c.bootcmd);
    list(out, 'runcmd', c.runcmd);
    return `${out.join('\n')}\n`;
}
function list(out, key, items) {
    if (items.length === 0)
        return;
    out.push(`${key}:`);
    for (const item of items)
        out.push(`  - ${q(item)}`);
}
/** `export K='v'` lines for /etc/profile.d, single-quoted so any value is safe. */
export function envProfile(env) {
    const lines = Object.keys(env)
        .filter((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
        .sort()
        .map((k) => `export ${k}='${(env[k] ?? '').replace(/'/g, `'\\''`)}'`);
    return `${lines.join('\n')}\n`;
}
/** RFC 1123 host label: what cloud-init and the guest accept as a hostname. */
export function isValidHostname(h) {
    return /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(h);
}
/** An IANA zone name such as "Europe/Paris" or "UTC" (what cloud-init's timezone module takes). */
export function isValidTimezone(tz) {
    return /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(tz);
}
//# sourceMappingURL=cloud-init.js.map