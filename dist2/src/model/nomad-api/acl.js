/** Nomad's ACL token JSON (api/acl.go), as drover's minimal token model uses it. */
export {};
//# sourceMappingURL=acl.js.map