import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ValidationError } from '../../model/errors.js';
import { decodePluginConfig, decodeTaskConfig, validateTaskConfig } from './config.js';
import { parseIdRanges } from '../shared/id-ranges.js';
import { envDenied, lookupBin, makeExecutable } from './launch.js';
test('RawExecDriver_SetConfig: defaults disabled; enabled, no_cgroups, denied ids and env vars decode', () => {
    const d = decodePluginConfig({});
    assert.equal(d.enabled, false);
    assert.equal(d.noCgroups, false);
    const c = decodePluginConfig({ enabled: true, no_cgroups: true, denied_host_uids: '0,10-20', denied_host_gids: '5', denied_envvars: ['AWS_*'] });
    assert.equal(c.enabled, true);
    assert.equal(c.noCgroups, true);
    assert.ok(c.deniedHostUids.contains(0) && c.deniedHostUids.contains(15) && !c.deniedHostUids.contains(21));
    assert.ok(c.deniedHostGids.contains(5));
    assert.deepEqual(c.deniedEnvvars, ['AWS_*']);
});
test('RawExecDriver_SetConfig: malformed id ranges and unknown keys are rejected by field', () => {
    assert.throws(() => decodePluginConfig({ denied_host_uids: 'root' }), (e) => e instanceof ValidationError && e.field === 'config.denied_host_uids' && /invalid range deniedHostUIDs "root": range bound not valid/.test(e.message));
    assert.throws(() => decodePluginConfig({ denied_host_gids: '9-3' }), /lower bound cannot be greater than upper bound/);
    assert.throws(() => decodePluginConfig({ enable: true }), /unknown attribute or block "enable" \(did you mean "enabled"\?\)/);
});
test('RawExec task config: decode, required command, Nomad\'s validation messages', () => {
    const tc = decodeTaskConfig({ command: '/bin/echo', args: ['a', 1], oom_score_adj: 5, work_dir: '/tmp', cgroup_v1_override: { pids: 'x' } });
    assert.deepEqual(tc.args, ['a', '1']);
    assert.equal(validateTaskConfig(tc), undefined);
    assert.throws(() => decodeTaskConfig({ args: [] }), (e) => e instanceof ValidationError && e.field === 'config.command');
    assert.throws(() => decodeTaskConfig({ command: 'x', bogus: 1 }), /unknown attribute or block "bogus"/);
    const msg = (raw) => validateTaskConfig(decodeTaskConfig({ command: 'x', ...raw }))?.message;
    assert.equal(msg({ oom_score_adj: -1 }), 'oom_score_adj must not be negative');
    assert.equal(msg({ work_dir: 'rel' }), 'work_dir must be an absolute path');
    assert.equal(msg({ cgroup_v1_override: { pids: 'a' }, cgroup_v2_override: 'b' }), 'only one of cgroups_v1_override and cgroups_v2_override may be set');
});
test('id ranges, denied env globs', () => {
    assert.equal(parseIdRanges('').contains(0), false);
    assert.throws(() => parseIdRanges('1-2-3', 'x'), /range bound not valid/);
    assert.throws(() => parseIdRanges('4294967296', 'x'), /range bound not valid/);
    assert.ok(envDenied('AWS_SECRET', ['AWS_*']));
    assert.ok(envDenied('TOKEN', ['TOKEN']));
    assert.equal(envDenied('MY_AWS', ['AWS_*']), false);
    assert.ok(envDenied('a.b', ['a.*']) && !envDenied('axb', ['a.b']));
});
test('lookupBin: task local/, task dir, absolute host path, $PATH; makeExecutable adds r-x', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookup-'));
    fs.mkdirSync(path.join(dir, 'local'));
    fs.writeFileSync(path.join(dir, 'local', 'run.sh'), '#!/bin/sh\n', { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'top.sh'), '#!/bin/sh\n');
    assert.equal(lookupBin(dir, 'run.sh'), path.join(dir, 'local', 'run.sh'));
    assert.equal(lookupBin(dir, 'top.sh'), path.join(dir, 'top.sh'));
    assert.equal(lookupBin(dir, '/bin/sh'), '/bin/sh');
    assert.equal(lookupBin(dir, 'sh', '/nowhere:/bin'), '/bin/sh');
    assert.throws(() => lookupBin(dir, 'no-such-binary'), /binary "no-such-binary" could not be found/);
    makeExecutable(path.join(dir, 'local', 'run.sh'));
    assert.equal(fs.statSync(path.join(dir, 'local', 'run.sh')).mode & 0o777, 0o755);
    fs.rmSync(dir, { recursive: true });
});
//# sourceMappingURL=config.test.js.map