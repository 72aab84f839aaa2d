export class DriverRegistry {
    drivers = new Map();
    register(name, driver) {
        if (this.drivers.has(name))
            throw new Error(`driver "${name}" registered twice`);
        this.drivers.set(name, driver);
    }
    /** Registers `driver`, replacing a built-in of the same name (an external plugin overrides, as in Nomad). */
    replace(name, driver) {
        this.drivers.set(name, driver);
    }
    get(name) {
        return this.drivers.get(name);
    }
    names() {
        return [...this.drivers.keys()].sort();
    }
    /** The task config schema of the driver running under `name` (an external plugin's own when it replaced a built-in). */
    taskConfigSchema(name) {
        return this.drivers.get(name)?.taskConfigSchema();
    }
}
//# sourceMappingURL=registry.js.map