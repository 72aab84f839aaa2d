/** `drover acl bootstrap`: mints the agent's first management token (Nomad's `nomad acl bootstrap`). */
import { ApiClient } from '../api/index.js';
import { parseFlags } from './flags.js';
export const ACL_USAGE = `Usage: drover acl bootstrap [options]

  Creates the initial management token of an agent started with ACLs enabled.

Options:
  -address ADDR   Agent address (default $DROVER_ADDR, $NOMAD_ADDR or http://127.0.0.1:4646).
  -json           Print the token as JSON.
`;
export async function aclCommand(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'bootstrap') {
        io.err(ACL_USAGE);
        return sub === '-help' || sub === '--help' || sub === '-h' ? 0 : 1;
    }
    const { values, positionals } = parseFlags(rest, { address: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } });
    if (values.help || positionals.length > 0) {
        io.err(ACL_USAGE);
        return values.help ? 0 : 1;
    }
    const client = new ApiClient({ ...(typeof values.address === 'string' ? { address: values.address } : {}), token: '' });
    let token;
    try {
        token = await client.acl.bootstrap();
    }
    catch (err) {
        io.err(`Error bootstrapping: ${err.message}`);
        return 1;
    }
    if (values.json) {
        io.out(JSON.stringify(token, null, 4));
        return 0;
    }
    const rows = [
        ['Accessor ID', token.AccessorID],
        ['Secret ID', token.SecretID],
        ['Name', token.Name],
        ['Type', token.Type],
        ['Global', String(token.Global)],
        ['Create Time', token.CreateTime],
        ['Expiry Time', '<none>'],
        ['Create Index', String(token.CreateIndex)],
        ['Modify Index', String(token.ModifyIndex)],
        ['Policies', token.Policies && token.Policies.length > 0 ? token.Policies.join(', ') : 'n/a'],
        ['Roles', 'n/a'],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows)
        io.out(`${k.padEnd(width)} = ${v}`);
    return 0;
}
//# sourceMappingURL=acl.js.map