/**
 * The logger every layer takes from its host (no module-level logger), shaped
 * like hclog: leveled methods with key/value fields, `named()` to extend the
 * module name ("agent" → "agent.alloc_runner") and `with()` to carry fields
 * into every line.
 *
 * Field keys are Nomad's, one spelling everywhere: `alloc_id`, `task` (the
 * task's name), `task_id` (a driver's task id), `driver`, `error`.
 */
/** A Logger handing every line to `sink`; implementations only format and write. */
export function sinkLogger(sink, module = '', fields = {}) {
    const at = (level) => (message, own) => sink({ level, module, message, fields: own ? { ...fields, ...own } : fields });
    return {
        debug: at('debug'),
        info: at('info'),
        warn: at('warn'),
        error: at('error'),
        named: (name) => sinkLogger(sink, module ? `${module}.${name}` : name, fields),
        with: (more) => sinkLogger(sink, module, { ...fields, ...more }),
    };
}
/** A logger that drops everything (tests, quiet CLI). */
export const silentLogger = {
    debug() { },
    info() { },
    warn() { },
    error() { },
    named: () => silentLogger,
    with: () => silentLogger,
};
//# sourceMappingURL=logger.js.map