/** Handlers for plugin.GRPCController; `onShutdown` runs after the reply is sent. */
export function controllerHandlers(onShutdown) {
    return {
        shutdown(_call, callback) {
            callback(null, {});
            setImmediate(onShutdown);
        },
    };
}
//# sourceMappingURL=controller.js.map