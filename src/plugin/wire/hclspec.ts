/** hclspec messages as @grpc/proto-loader presents them (see proto/load.ts). */

export interface PbAttr {
  name: string;
  type: string;
  required: boolean;
}

export interface PbBlock {
  name: string;
  required: boolean;
  nested: PbSpec | null;
}

export interface PbBlockAttrs {
  name: string;
  type: string;
  required: boolean;
}

export interface PbBlockList {
  name: string;
  min_items: number;
  max_items: number;
  nested: PbSpec | null;
}

export interface PbBlockMap {
  name: string;
  labels: string[];
  nested: PbSpec | null;
}

/** One schema node: exactly one member set; `block` names it when decoded. */
export interface PbSpec {
  block?: PbSpecKind;
  object?: { attributes: Record<string, PbSpec> } | null;
  array?: { values: PbSpec[] } | null;
  Attr?: PbAttr | null;
  block_value?: PbBlock | null;
  block_attrs?: PbBlockAttrs | null;
  block_list?: PbBlockList | null;
  block_set?: PbBlockList | null;
  block_map?: PbBlockMap | null;
  default?: { primary: PbSpec | null; default: PbSpec | null } | null;
  literal?: { value: string } | null;
}

export type PbSpecKind = 'object' | 'array' | 'Attr' | 'block_value' | 'block_attrs' | 'block_list' | 'block_set' | 'block_map' | 'default' | 'literal';
