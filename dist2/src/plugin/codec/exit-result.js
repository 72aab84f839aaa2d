/** drover → wire (err is not part of the message). */
export function exitResultToPb(r) {
    return { exit_code: r?.exitCode ?? 0, signal: r?.signal ?? 0, oom_killed: r?.oomKilled ?? false };
}
/** wire → drover, with the separately carried error text. */
export function exitResultFromPb(m, err = '') {
    return {
        exitCode: m?.exit_code ?? 0,
        signal: m?.signal ?? 0,
        oomKilled: m?.oom_killed ?? false,
        ...(err !== '' ? { err } : {}),
    };
}
//# sourceMappingURL=exit-result.js.map