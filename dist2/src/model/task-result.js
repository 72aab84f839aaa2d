/**
 * Plain results shared by drivers and the executor: how a task ended, what
 * it uses, and the streams of an interactive exec. They live in model/ so
 * the executor (below drivers in the layering) can use them too.
 */
/** Nomad's ExitResult.Successful(): exit 0, no signal, no error. */
export function exitSuccessful(r) {
    return r.exitCode === 0 && r.signal === 0 && r.err === undefined;
}
//# sourceMappingURL=task-result.js.map