import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError, type FieldProblem } from '../model/index.js';
import { parseJob } from './index.js';
import { testSchemas } from './testdata/schemas.js';

const parse = (src: string) => parseJob(src, { file: 'vol.nomad.hcl', drivers: testSchemas });

async function problemsOf(src: string): Promise<readonly FieldProblem[]> {
  try {
    await parse(src);
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    return err.problems;
  }
  return assert.fail('expected parseJob to fail');
}

/** A job with `volume` lines in the group (from line 3) and `mount` lines in the task. */
const job = (volume: string, mount: string): string => `job "v" {
  group "g" {
${volume}
    task "t" {
      driver = "mock_driver"
${mount}
    }
  }
}
`;
const G = 'job.v.group.g';
const T = `${G}.task.t`;

async function expectProblem(src: string, field: string, line: number, message: RegExp): Promise<void> {
  const problems = await problemsOf(src);
  const hit = problems.find((p) => p.field === field && message.test(p.message));
  assert.ok(hit, `no problem at ${field} matching ${String(message)}; got:\n${problems.map((p) => `  ${p.field}:${p.line}: ${p.message}`).join('\n')}`);
  assert.equal(hit.line, line);
}

describe('group volume and task volume_mount', () => {
  it('decode into the group and task', async () => {
    const { job: j } = await parse(job(
      '    volume "certs" {\n      type      = "host"\n      source    = "ca"\n      read_only = true\n    }',
      '      volume_mount {\n        volume           = "certs"\n        destination      = "/etc/ssl/ca"\n        propagation_mode = "host-to-task"\n      }',
    ));
    const g = j.groups[0];
    assert.deepEqual(g?.volumes, [{ name: 'certs', type: 'host', source: 'ca', readOnly: true, perAlloc: false, accessMode: '', attachmentMode: '' }]);
    assert.deepEqual(g?.tasks[0]?.volumeMounts, [{ volume: 'certs', destination: '/etc/ssl/ca', readOnly: false, propagationMode: 'host-to-task', selinuxLabel: '' }]);
  });

  it('jobs without volumes carry no volume fields', async () => {
    const { job: j } = await parse(job('', ''));
    assert.equal(j.groups[0]?.volumes, undefined);
    assert.equal(j.groups[0]?.tasks[0]?.volumeMounts, undefined);
  });

  it('csi volumes are refused plainly', async () => {
    await expectProblem(job('    volume "d" {\n      type   = "csi"\n      source = "x"\n    }', ''), `${G}.volume.d.type`, 4, /CSI volumes are not supported by drover/);
  });

  it('unknown type, empty source and mount options on a host volume', async () => {
    await expectProblem(job('    volume "d" {\n      type   = "nfs"\n      source = "x"\n    }', ''), `${G}.volume.d.type`, 4, /volume has unrecognized type nfs/);
    await expectProblem(job('    volume "d" {\n      type = "host"\n    }', ''), `${G}.volume.d`, 3, /volume has an empty source/);
    await expectProblem(
      job('    volume "d" {\n      type   = "host"\n      source = "x"\n      mount_options {\n        fs_type = "ext4"\n      }\n    }', ''),
      `${G}.volume.d.mount_options`, 6, /host volumes cannot have mount options/,
    );
    await expectProblem(
      job('    volume "d" {\n      type        = "host"\n      source      = "x"\n      access_mode = "single-node-reader-only"\n    }', ''),
      `${G}.volume.d.access_mode`, 6, /single-node-reader-only volumes must be read-only/,
    );
  });

  it('a mount naming no group volume, without destination, or with a bad propagation mode', async () => {
    const vol = '    volume "data" {\n      type   = "host"\n      source = "data"\n    }';
    await expectProblem(job(vol, '      volume_mount {\n        volume      = "dta"\n        destination = "/d"\n      }'), `${T}.volume_mount.volume`, 10, /Volume Mount \(0\) references undefined volume dta/);
    await expectProblem(job(vol, '      volume_mount {\n        volume = "data"\n      }'), `${T}.volume_mount`, 9, /needs a destination/);
    await expectProblem(
      job(vol, '      volume_mount {\n        volume           = "data"\n        destination      = "/d"\n        propagation_mode = "shared"\n      }'),
      `${T}.volume_mount.propagation_mode`, 12, /invalid propagation mode: "shared"/,
    );
    await expectProblem(job(vol, '      volume_mount {\n        volume      = "data"\n        destination = "/d"\n        readonly    = true\n      }'), `${T}.volume_mount.readonly`, 12, /unknown attribute "readonly"/);
  });
});
