import { DroverError } from '../../model/errors.js';
export class ValidateHook {
    config;
    name = 'validate';
    constructor(config) {
        this.config = config;
    }
    async prestart(req) {
        const problems = validateTask(req.task, this.config);
        if (problems.length > 0)
            throw new DroverError('validation', problems.join('; '));
        return { done: true };
    }
}
function validateTask(task, config) {
    const problems = [];
    if (task.user !== '' && config.checkedDrivers.includes(task.driver) && config.userDenylist.includes(task.user)) {
        problems.push(`running as user "${task.user}" is disallowed for driver "${task.driver}"`);
    }
    for (const key of Object.keys(task.env)) {
        if (key === '' || key.includes('=') || key.includes('\0'))
            problems.push(`invalid environment variable name ${JSON.stringify(key)}`);
    }
    return problems;
}
//# sourceMappingURL=validate-hook.js.map