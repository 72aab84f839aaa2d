export {};
//# sourceMappingURL=allocations.js.map