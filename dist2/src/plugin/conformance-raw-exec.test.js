import { driverConformance } from './testing/conformance.js';
import { inProcessRawExec, servedRawExec } from './testing/raw-exec-target.js';
driverConformance(inProcessRawExec());
driverConformance(servedRawExec());
//# sourceMappingURL=conformance-raw-exec.test.js.map