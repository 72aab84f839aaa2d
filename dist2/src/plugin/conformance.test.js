import { driverConformance } from './testing/conformance.js';
import { inProcessMock, servedMock } from './testing/mock-target.js';
driverConformance(inProcessMock);
driverConformance(servedMock());
//# sourceMappingURL=conformance.test.js.map