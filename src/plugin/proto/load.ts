/**
 * Loads drover's .proto files into gRPC service definitions. tsc does not
 * copy .proto files, so they are read from the source tree, found relative
 * to this module's compiled place (dist/src/plugin/proto/load.js): a fresh
 * clone builds and runs with no copy step.
 */
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** Directory holding drover's .proto files. */
export const PROTO_DIR = fileURLToPath(new URL('../../../../src/plugin/proto/', import.meta.url));

const FILES = ['base.proto', 'driver.proto', 'go-plugin.proto', 'health.proto'];

/**
 * How messages look in JS: field names as on the wire (snake_case, plus
 * Nomad's few capitalised ones), 64-bit ints as numbers, enums as numbers,
 * every scalar present with its default, oneof members named in a virtual field.
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: Number,
  bytes: Buffer,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

/** The services drover serves and calls. */
export interface Protos {
  readonly Driver: grpc.ServiceClientConstructor;
  readonly BasePlugin: grpc.ServiceClientConstructor;
  readonly GRPCController: grpc.ServiceClientConstructor;
  readonly GRPCStdio: grpc.ServiceClientConstructor;
  readonly GRPCBroker: grpc.ServiceClientConstructor;
  readonly Health: grpc.ServiceClientConstructor;
}

let cached: Protos | undefined;

/** Parses the protos once per process (the result is immutable, so sharing it is safe). */
export function loadProtos(): Protos {
  if (cached) return cached;
  const def = protoLoader.loadSync(FILES.map((f) => `${PROTO_DIR}${f}`), LOADER_OPTIONS);
  const root = grpc.loadPackageDefinition(def);
  const at = (path: string): grpc.ServiceClientConstructor => {
    let node: unknown = root;
    for (const part of path.split('.')) node = (node as Record<string, unknown>)[part];
    if (typeof node !== 'function') throw new Error(`proto service ${path} not found`);
    return node as grpc.ServiceClientConstructor;
  };
  cached = {
    Driver: at('hashicorp.nomad.plugins.drivers.proto.Driver'),
    BasePlugin: at('hashicorp.nomad.plugins.base.proto.BasePlugin'),
    GRPCController: at('plugin.GRPCController'),
    GRPCStdio: at('plugin.GRPCStdio'),
    GRPCBroker: at('plugin.GRPCBroker'),
    Health: at('grpc.health.v1.Health'),
  };
  return cached;
}
