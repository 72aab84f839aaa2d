/**
 * Picks and configures the executor for one check of one service: where an
 * http, tcp or grpc check connects (Nomad's checks.address: the check's own
 * address_mode and port, else the service's port; the host address unless
 * the service has a custom one), and which task a script check runs in.
 */
import type { CheckSpec, ServiceSpec } from '../../model/service.js';
import type { AllocatedNetwork, AllocatedPort } from '../../model/network.js';
import type { DriverNetwork } from '../../drivers/types.js';
import { errorMessage } from '../../model/errors.js';
import { joinHostPort, resolveAddress } from '../services/address.js';
import { checkAddressMode } from './check-id.js';
import { HttpCheck } from './http-check.js';
import { TcpCheck } from './tcp-check.js';
import { GrpcCheck } from './grpc-check.js';
import { ScriptCheck, type ScriptExec } from './script-check.js';
import type { CheckExecutor } from './types.js';

export interface CheckTargets {
  readonly network?: AllocatedNetwork;
  readonly taskPorts?: readonly AllocatedPort[];
  readonly driverNetwork?: DriverNetwork;
  /** The running task script checks exec in; script checks are skipped without it. */
  readonly script?: ScriptExec;
}

/** The executor for `check`; undefined for a script check with no task to run in. An unresolvable address yields a check that always fails saying why. */
export function checkExecutor(check: CheckSpec, service: ServiceSpec, t: CheckTargets): CheckExecutor | undefined {
  if (check.type === 'script') {
    return t.script ? new ScriptCheck(t.script, [check.command, ...check.args], check.timeoutMs) : undefined;
  }
  let hostPort: string;
  try {
    hostPort = checkHostPort(check, service, t);
  } catch (err) {
    return failing(errorMessage(err));
  }
  switch (check.type) {
    case 'http':
      return new HttpCheck({
        protocol: check.protocol || 'http',
        hostPort,
        path: check.path,
        method: check.method || 'GET',
        headers: check.headers,
        body: check.body,
        tlsSkipVerify: check.tlsSkipVerify,
        tlsServerName: check.tlsServerName,
      });
    case 'tcp': {
      const { host, port } = splitHostPort(hostPort);
      return new TcpCheck(host, port);
    }
    case 'grpc':
      return new GrpcCheck({ hostPort, service: check.grpcService, useTls: check.grpcUseTls, tlsSkipVerify: check.tlsSkipVerify, tlsServerName: check.tlsServerName });
    default: {
      const never: never = check.type;
      return failing(`unsupported check type ${String(never)}`);
    }
  }
}

/** "host:port" the check connects to. */
export function checkHostPort(check: CheckSpec, service: ServiceSpec, t: CheckTargets): string {
  const mode = checkAddressMode(check) || (service.address !== '' ? 'auto' : 'host');
  const { address, port } = resolveAddress({
    custom: service.address,
    mode,
    portLabel: check.portLabel || service.portLabel,
    network: t.network,
    taskPorts: t.taskPorts,
    driverNetwork: t.driverNetwork,
  });
  // No known address: Go dials the local host for an empty one.
  return joinHostPort(address || '127.0.0.1', port);
}

function splitHostPort(hostPort: string): { host: string; port: number } {
  const m = /^\[?(.*?)\]?:(\d+)$/.exec(hostPort);
  return m ? { host: m[1] as string, port: Number(m[2]) } : { host: hostPort, port: 0 };
}

function failing(output: string): CheckExecutor {
  return { execute: () => Promise.resolve({ health: 'critical', statusCode: 0, output }) };
}
