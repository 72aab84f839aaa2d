/** Nomad's ACL token JSON (api/acl.go), as drover's minimal token model uses it. */

/** "management" may do everything; "client" tokens get their policies' rights (drover knows "read" and "write"). */
export type ApiAclTokenType = 'management' | 'client';

/** Nomad's api.ACLToken. */
export interface ApiAclToken {
  AccessorID: string;
  SecretID: string;
  Name: string;
  Type: ApiAclTokenType;
  Policies: string[] | null;
  Global: boolean;
  /** RFC 3339. */
  CreateTime: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** POST /v1/acl/token body. */
export interface ApiAclTokenCreateRequest {
  Name?: string;
  Type?: ApiAclTokenType;
  Policies?: string[];
}
