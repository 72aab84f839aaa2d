import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envHopArgs, restorePwdArgs, setprivArgs } from './privileges.js';
const t = { env: '/usr/bin/env', setpriv: '/usr/bin/setpriv' };
test('setprivArgs: ids, groups and all three capability sets', () => {
    assert.deepEqual(setprivArgs(t, { uid: 1001, gid: 1001, groups: [1001, 50] }, ['chown', 'kill']), [
        '/usr/bin/setpriv', '--reuid=1001', '--regid=1001', '--groups=1001,50',
        '--bounding-set=-all,+chown,+kill', '--inh-caps=-all,+chown,+kill', '--ambient-caps=-all,+chown,+kill', '--no-new-privs', '--',
    ]);
    assert.ok(setprivArgs(t, { uid: 0, gid: 0, groups: [] }, []).includes('--clear-groups'));
    assert.throws(() => setprivArgs(t, { uid: 0, gid: 0, groups: [] }, ['warp_drive']), /unknown capability "warp_drive"/);
});
test('envHopArgs / restorePwdArgs: the task\'s PWD exactly, env only when needed', () => {
    assert.deepEqual(envHopArgs(t, '/local', { PWD: '/x' }), ['/usr/bin/env', '-u', 'PWD', '-u', 'OLDPWD', '--chdir=/local', '--', 'PWD=/x']);
    assert.deepEqual(restorePwdArgs(t, { HOME: '/' }), []);
    assert.deepEqual(restorePwdArgs(t, { OLDPWD: '/o' }), ['/usr/bin/env', '--', 'OLDPWD=/o']);
});
//# sourceMappingURL=privileges.test.js.map