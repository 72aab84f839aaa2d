import { test } from 'node:test';
import { detectIsolation } from '../executor/isolation/detect.js';
import { driverConformance } from './testing/conformance.js';
import { inProcessExec, servedExec } from './testing/exec-target.js';
// exec needs root, cgroups and namespaces: run the suite where isolation really works.
const support = await detectIsolation();
if (support.ok) {
    driverConformance(inProcessExec());
    driverConformance(servedExec());
}
else {
    test('driver conformance: exec', { skip: `isolation unavailable here: ${support.reason}` }, () => { });
}
//# sourceMappingURL=conformance-exec.test.js.map