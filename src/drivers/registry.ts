/**
 * The set of drivers an agent runs, by name: the built-in ones it created
 * and external plugins. Built by the composition root (agent/) and passed
 * down; there is no global registry.
 */
import type { ObjectSpec } from '../model/config-spec.js';
import type { DriverSchemas } from '../model/driver-schemas.js';
import type { DriverPlugin } from './types.js';

export class DriverRegistry implements DriverSchemas {
  private readonly drivers = new Map<string, DriverPlugin>();

  register(name: string, driver: DriverPlugin): void {
    if (this.drivers.has(name)) throw new Error(`driver "${name}" registered twice`);
    this.drivers.set(name, driver);
  }

  /** Registers `driver`, replacing a built-in of the same name (an external plugin overrides, as in Nomad). */
  replace(name: string, driver: DriverPlugin): void {
    this.drivers.set(name, driver);
  }

  get(name: string): DriverPlugin | undefined {
    return this.drivers.get(name);
  }

  names(): string[] {
    return [...this.drivers.keys()].sort();
  }

  /** The task config schema of the driver running under `name` (an external plugin's own when it replaced a built-in). */
  taskConfigSchema(name: string): ObjectSpec | undefined {
    return this.drivers.get(name)?.taskConfigSchema();
  }
}
