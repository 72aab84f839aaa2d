/**
 * constraint blocks against this node, end to end (a real agent over HTTP):
 * a job the node cannot take is refused with Nomad's placement-failure text
 * and what the node has, and nothing of it is stored or started; one it can
 * take runs. (Unplaced allocations and blocked evaluations come with the
 * scheduler work of issue 14; until then a registration is all or nothing.)
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './client.js';
import { purgeAndStop, runHcl, startAgent, type AgentProcess } from './testing.js';
import { eventually } from '../model/testing/eventually.js';

const agents: AgentProcess[] = [];
after(async () => {
  await purgeAndStop(agents);
});

const job = (id: string, jobLevel: string, groupLevel = '', taskLevel = ''): string => `job "${id}" {
${jobLevel}
  group "g" {
${groupLevel}
    task "t" {
      driver = "mock_driver"
${taskLevel}
      config {
        run_for = "1h"
      }
    }
  }
}
`;

const constraint = (attribute: string, operator: string, value: string): string =>
  `  constraint {\n    attribute = "${attribute}"\n    operator  = "${operator}"\n    value     = "${value}"\n  }`;

test('a job constrained to another kernel, rack or version is refused with the reason; one this node fits runs', async () => {
  const a = await startAgent({ configHcl: 'client {\n  meta {\n    rack = "r1"\n  }\n}\n' });
  agents.push(a);
  const refused = async (id: string, hcl: string, why: RegExp): Promise<void> => {
    await assert.rejects(runHcl(a.client, hcl), (e: ApiError) => e.status === 400 && why.test(e.body), id);
    await assert.rejects(a.client.jobs.info(id), (e: ApiError) => e.status === 404, `${id} is not stored`);
  };
  await refused(
    'win',
    job('win', constraint('${attr.kernel.name}', '=', 'windows')),
    /Constraint "\$\{attr\.kernel\.name\} = windows": 1 nodes excluded by filter \(job "win" cannot be placed on this node: \$\{attr\.kernel\.name\} is "linux"\)/,
  );
  await refused('rack2', job('rack2', '', constraint('${meta.rack}', '=', 'r2')), /Constraint "\$\{meta\.rack\} = r2": 1 nodes excluded by filter \(group "g" cannot be placed on this node: \$\{meta\.rack\} is "r1"\)/);
  await refused('gpu', job('gpu', '', '', constraint('${attr.gpu.model}', 'is_set', '')), /Constraint "\$\{attr\.gpu\.model\} is_set ": 1 nodes excluded by filter .*is not set/);
  await refused('future', job('future', constraint('${attr.nomad.version}', 'version', '>= 99.0')), /Constraint "\$\{attr\.nomad\.version\} version >= 99\.0"/);

  await runHcl(
    a.client,
    job('fits', constraint('${attr.kernel.name}', '=', 'linux'), constraint('${meta.rack}', 'set_contains_any', 'r0,r1'), constraint('${attr.cpu.numcores}', '>=', '1')),
  );
  await eventually(async () => (await a.client.jobs.allocations('fits'))[0]?.ClientStatus === 'running', { timeoutMs: 20_000, message: 'the fitting job runs' });
  // What the API echoes back is Nomad's api.Constraint.
  const info = await a.client.jobs.info('fits');
  assert.deepEqual(info.Constraints, [{ LTarget: '${attr.kernel.name}', RTarget: 'linux', Operand: '=' }]);
  // An update the node cannot take leaves the running version alone.
  await assert.rejects(runHcl(a.client, job('fits', constraint('${attr.kernel.name}', '=', 'darwin'))), (e: ApiError) => e.status === 400);
  const after = await a.client.jobs.allocations('fits');
  assert.equal(after.length, 1);
  assert.equal(after[0]?.ClientStatus, 'running');
  assert.equal((await a.client.jobs.info('fits')).Version, 0);
});
