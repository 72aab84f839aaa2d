import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIdRanges } from '../shared/id-ranges.js';
import { checkHostIds } from './host-ids.js';
const files = {
    passwd: 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\napp:x:1001:1001::/home/app:/bin/sh\n',
    group: 'root:x:0:\nnogroup:x:65534:\napp:x:1001:\nwheel:x:10:app\n',
};
const none = parseIdRanges('');
test('checkHostIds: uid and every group checked, as Nomad\'s HasValidIDs', () => {
    assert.equal(checkHostIds('app', { uids: none, gids: none }, files).uid, 1001);
    assert.throws(() => checkHostIds('root', { uids: parseIdRanges('0-999'), gids: none }, files), /^Error: failed host user validation: running as uid 0 is disallowed$/);
    assert.throws(() => checkHostIds('app', { uids: none, gids: parseIdRanges('10') }, files), /running as gid 10 is disallowed/);
    assert.throws(() => checkHostIds('ghost', { uids: none, gids: none }, files), /failed host user validation: failed to identify user "ghost"/);
    assert.equal(checkHostIds('4242', { uids: none, gids: none }, files).gid, 4242);
});
//# sourceMappingURL=host-ids.test.js.map