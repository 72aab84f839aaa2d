/** The sources a task's templates read: the implicit workload policy with ACLs on, everything with ACLs off, and the change watch. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../model/logger.js';
import { SourcePermissionError, type SourceChange } from '../../template/sources.js';
import { openDatabase, StateDB } from '../state/state-db.js';
import { ServiceStore } from '../state/service-store.js';
import { EventBroker } from './event-broker.js';
import { ServiceRegistry } from './service-registry.js';
import { TemplateSourceProvider } from './template-sources.js';
import { Variables } from './variables.js';

const WORKLOAD = { namespace: 'default', jobId: 'app', group: 'web', task: 'server' };

function setup(aclEnabled: boolean): { provider: TemplateSourceProvider; vars: Variables; close: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'drover-tplsrc-'));
  const db = new StateDB(openDatabase(dir));
  const events = new EventBroker(db.lastIndex);
  const vars = new Variables({ db, dataDir: dir, events, logger: silentLogger, now: Date.now });
  vars.start();
  const services = new ServiceRegistry(db, new ServiceStore(db.db), events, silentLogger);
  for (const path of ['nomad/jobs/app', 'nomad/jobs/app/web', 'nomad/jobs/app/web/server', 'nomad/jobs/app/web/server/deeper', 'nomad/jobs/other', 'shared/db']) {
    assert.equal(vars.set({ namespace: 'default', path, items: { k: path } }).kind, 'ok');
  }
  return {
    provider: new TemplateSourceProvider(vars, services, aclEnabled),
    vars,
    close: () => {
      vars.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('template sources with ACLs on: a task reads its own job, group and task paths and nothing else, as Nomad’s implicit workload policy', () => {
  const s = setup(true);
  try {
    const src = s.provider.forTask(WORKLOAD);
    for (const path of ['nomad/jobs/app', 'nomad/jobs/app/web', 'nomad/jobs/app/web/server']) assert.equal(src.variable('default', path)?.items['k'], path);
    for (const path of ['nomad/jobs/other', 'shared/db', 'nomad/jobs/app/web/server/deeper']) {
      assert.throws(() => src.variable('default', path), (e: unknown) => e instanceof SourcePermissionError && e.message.includes(path));
    }
    assert.deepEqual(
      src.listVariables('default', 'nomad/jobs').map((v) => v.path),
      ['nomad/jobs/app', 'nomad/jobs/app/web', 'nomad/jobs/app/web/server'],
    );
  } finally {
    s.close();
  }
});

test('template sources with ACLs off: every variable is readable; a variable write reaches the watch', () => {
  const s = setup(false);
  try {
    const src = s.provider.forTask(WORKLOAD);
    assert.equal(src.variable('default', 'shared/db')?.items['k'], 'shared/db');
    assert.equal(src.listVariables('default', '').length, 6);
    const seen: SourceChange[] = [];
    const stop = src.watch((c) => seen.push(c));
    assert.equal(s.vars.set({ namespace: 'default', path: 'shared/db', items: { k: 'new' } }).kind, 'ok');
    stop();
    assert.equal(s.vars.set({ namespace: 'default', path: 'shared/db', items: { k: 'newer' } }).kind, 'ok');
    assert.deepEqual(seen, [{ kind: 'variable', namespace: 'default', path: 'shared/db' }]);
  } finally {
    s.close();
  }
});
