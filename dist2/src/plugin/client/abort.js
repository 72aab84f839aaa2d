/** The error calls reject with when their caller aborts (as drover's drivers do). */
export function abortError() {
    return new DOMException('This operation was aborted', 'AbortError');
}
//# sourceMappingURL=abort.js.map