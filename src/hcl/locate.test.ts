import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locate } from './locate.js';

const SRC = `# a comment with { braces }
job "mock" { // trailing comment }
  /* a block comment
     spanning { lines */
  group "web" {
    restart { attempts = 1 }
    task "server" {
      driver = "mock_driver"
      config {
        command = "echo \\"}\\" \${upper("{")}"
        script = <<-EOT
          if x { y }
          }
        EOT
        run_for = "1s"
        port { label = "a" }
        port {
          label = "b"
        }
      }
      env = {
        A = "1",
        "B.C" = "2"
      }
    }
  }
}
`;

describe('locate', () => {
  const loc = locate(SRC);

  it('finds blocks by type and label, skipping comments', () => {
    assert.equal(loc.line('job.mock'), 2);
    assert.equal(loc.line('job.mock.group.web'), 5);
    assert.equal(loc.line('job.mock.group.web.task.server'), 7);
    assert.equal(loc.kind('job.mock.group.web.task.server'), 'block');
  });

  it('finds attributes, in one-line blocks too', () => {
    assert.equal(loc.line('job.mock.group.web.restart.attempts'), 6);
    assert.equal(loc.line('job.mock.group.web.task.server.driver'), 8);
    assert.equal(loc.kind('job.mock.group.web.task.server.driver'), 'attribute');
  });

  it('skips braces inside strings, interpolations and heredocs', () => {
    assert.equal(loc.line('job.mock.group.web.task.server.config.command'), 10);
    assert.equal(loc.line('job.mock.group.web.task.server.config.script'), 11);
    assert.equal(loc.line('job.mock.group.web.task.server.config.run_for'), 15);
  });

  it('indexes repeated blocks, first one also unindexed', () => {
    const config = 'job.mock.group.web.task.server.config';
    assert.equal(loc.line(`${config}.port`), 16);
    assert.equal(loc.line(`${config}.port[0].label`), 16);
    assert.equal(loc.line(`${config}.port[1].label`), 18);
    assert.equal(loc.line(`${config}.port[1]`), 17);
  });

  it('records object constructor keys of attributes', () => {
    assert.equal(loc.line('job.mock.group.web.task.server.env.A'), 22);
    assert.equal(loc.line('job.mock.group.web.task.server.env.B.C'), 23);
  });

  it('falls back to the nearest recorded ancestor', () => {
    assert.equal(loc.line('job.mock.group.web.task.server.config.nope'), 9);
    assert.equal(loc.line('job.mock.group.web.task.server.config.port[1].x[3]'), 17);
    assert.equal(loc.line('elsewhere'), undefined);
  });

  it('names the innermost block around a line', () => {
    assert.equal(loc.pathAt(8), 'job.mock.group.web.task.server');
    assert.equal(loc.pathAt(1), '');
    assert.equal(loc.pathAt(27), 'job.mock');
  });

  it('never throws on broken text', () => {
    const broken = locate('job "x" {\n  a = "unterminated\n  group "g" {\n    b = [1, 2\n');
    assert.equal(broken.line('job.x'), 1);
  });
});

describe('locate on deeply nested blocks (issue 16 fuzzing)', () => {
  it('stays linear: 3000 nested blocks are scanned in one pass, not 2^depth aliases', () => {
    const n = 3000;
    const loc = locate(`job "j" {\n${'group "g" {\n'.repeat(n)}${'}\n'.repeat(n)}}\n`);
    // Shallow blocks keep their exact lines; deeper ones resolve to the deepest recorded ancestor.
    assert.equal(loc.line('job.j.group.g.group.g'), 3);
    assert.equal(loc.line(`job.j${'.group.g'.repeat(100)}.x`), 32);
  });
});
