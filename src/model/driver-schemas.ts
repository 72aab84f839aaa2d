/** What job decoding needs to know about drivers: which exist here and their task config {} schemas. */
import type { ObjectSpec } from './config-spec.js';

/** The drivers a job is checked against (the built-in catalog, or an agent's registry with its external plugins). */
export interface DriverSchemas {
  /** Every driver that exists here; any other name is an unknown driver. */
  names(): readonly string[];
  /** The task config schema of a driver in names(); undefined when its config {} is left to whoever runs it. */
  taskConfigSchema(driver: string): ObjectSpec | undefined;
}
