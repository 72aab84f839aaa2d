import { test } from 'node:test';
import assert from 'node:assert/strict';
import { currentUser, lookupUser } from './users.js';
const files = {
    passwd: 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nalice:x:1000:1000::/home/alice:/bin/sh\n',
    group: 'root:x:0:\nadm:x:4:alice,bob\nalice:x:1000:\nstaff:x:50:bob\n',
};
test('lookupUser: by name and by uid, with supplementary groups; unknown users fail as Nomad says', () => {
    assert.deepEqual(lookupUser('alice', files), { name: 'alice', uid: 1000, gid: 1000, home: '/home/alice', groups: [1000, 4] });
    assert.equal(lookupUser('65534', files).name, 'nobody');
    assert.throws(() => lookupUser('mallory', files), /failed to identify user "mallory"/);
});
test('currentUser: this process', () => {
    assert.equal(currentUser().uid, process.getuid?.());
});
//# sourceMappingURL=users.test.js.map