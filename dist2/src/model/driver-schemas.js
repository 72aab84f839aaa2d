export {};
//# sourceMappingURL=driver-schemas.js.map