/** Errors and warnings for one file; lines come from the locator. */
export class Report {
    locator;
    file;
    errors = [];
    warnings = [];
    constructor(locator, file) {
        this.locator = locator;
        this.file = file;
    }
    /**
     * Records an error at `field` (line: the field's, else its nearest enclosing
     * block's). `linePath` locates it elsewhere, e.g. at a duplicate `task.web[1]`.
     */
    error(field, message, linePath = field) {
        this.errors.push(this.problem(field, message, linePath));
    }
    /** Records a warning at `field`. */
    warn(field, message) {
        this.warnings.push(this.problem(field, message, field));
    }
    /** Adds problems found elsewhere (e.g. syntax errors), stamping this report's file. */
    addErrors(problems) {
        for (const p of problems)
            this.errors.push(this.file === undefined || p.file !== undefined ? p : { ...p, file: this.file });
    }
    problem(field, message, linePath) {
        const line = this.locator.line(linePath);
        return {
            field,
            message,
            ...(line === undefined ? {} : { line }),
            ...(this.file === undefined ? {} : { file: this.file }),
        };
    }
}
//# sourceMappingURL=report.js.map