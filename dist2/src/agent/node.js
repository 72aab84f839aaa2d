/**
 * This node's identity and the facts `${attr.*}`, `${node.*}` and `${meta.*}`
 * resolve to (a subset of Nomad's fingerprint).
 */
import { arch, cpus, hostname, release, totalmem, type as osType } from 'node:os';
import { randomUUID } from 'node:crypto';
export function fingerprintNode(opts = {}) {
    const id = opts.id ?? randomUUID();
    const name = hostname();
    const datacenter = opts.datacenter ?? 'dc1';
    const attributes = {
        'attr.kernel.name': osType().toLowerCase(),
        'attr.kernel.version': release().split('-')[0] ?? release(),
        'attr.kernel.arch': arch() === 'x64' ? 'x86_64' : arch(),
        'attr.cpu.arch': arch() === 'x64' ? 'amd64' : arch(),
        'attr.cpu.numcores': String(cpus().length),
        'attr.memory.totalbytes': String(totalmem()),
        'attr.os.name': osType().toLowerCase(),
        'attr.unique.hostname': name,
        'node.unique.id': id,
        'node.unique.name': name,
        'node.datacenter': datacenter,
        'node.region': 'global',
        'node.class': '',
        'node.pool': 'default',
    };
    for (const [k, v] of Object.entries(opts.meta ?? {}))
        attributes[`meta.${k}`] = v;
    return { id, name, datacenter, attributes };
}
//# sourceMappingURL=node.js.map