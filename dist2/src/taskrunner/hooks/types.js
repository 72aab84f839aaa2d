import { DroverError, ErrorCode } from '../../model/errors.js';
export const isPrestartHook = (h) => typeof h.prestart === 'function';
export const isPoststartHook = (h) => typeof h.poststart === 'function';
export const isPreKillHook = (h) => typeof h.preKilling === 'function';
export const isExitedHook = (h) => typeof h.exited === 'function';
export const isUpdateHook = (h) => typeof h.update === 'function';
export const isStopHook = (h) => typeof h.stop === 'function';
/** A hook failure that carries its own event (Nomad's HookError), e.g. "Failed Artifact Download". */
export class HookError extends DroverError {
    event;
    /** Progress to keep despite the failure (handed back as previousState on the retry). */
    state;
    constructor(message, event, opts = {}) {
        super(opts.code ?? ErrorCode.internal, message, opts);
        this.event = event;
        this.state = opts.state;
    }
}
//# sourceMappingURL=types.js.map