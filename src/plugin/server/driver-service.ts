/**
 * The Driver service for a served drover driver: each RPC decodes its
 * request with the codecs, calls the DriverPlugin method of the same name
 * and encodes the answer; errors go through errors.ts.
 */
import type * as grpc from '@grpc/grpc-js';
import { DroverError, ErrorCode, NotSupportedError, ValidationError, errorMessage } from '../../model/errors.js';
import { isDriverShutdowner, type DriverPlugin, type Logger } from '../../drivers/types.js';
import { capabilitiesToPb } from '../codec/capabilities.js';
import { decodeCty } from '../codec/cty-msgpack.js';
import { exitResultToPb } from '../codec/exit-result.js';
import { fingerprintToPb } from '../codec/fingerprint.js';
import { impliedType, toHclSpec } from '../codec/hclspec.js';
import { networkToPb } from '../codec/network.js';
import { taskConfigFromPb } from '../codec/task-config.js';
import { taskEventToPb } from '../codec/task-event.js';
import { taskHandleFromPb, taskHandleToPb } from '../codec/task-handle.js';
import { taskStatsToPb } from '../codec/stats.js';
import { taskStatusToPb } from '../codec/task-status.js';
import { durationToMs } from '../codec/time.js';
import type { PbDuration, PbTaskConfig, PbTaskHandle } from '../wire/driver.js';
import { execStreamingHandler } from './exec-streaming.js';
import { serverStream, unary } from './handler.js';

interface TaskIdRequest {
  task_id: string;
}

/** Handlers for hashicorp.nomad.plugins.drivers.proto.Driver. */
export function driverHandlers(driver: DriverPlugin, logger: Logger): grpc.UntypedServiceImplementation {
  /** The task's config {} from its msgpack bytes; empty bytes (a recovered handle) give {}. */
  const driverConfig = (bytes: Buffer, what: string): Record<string, unknown> => {
    if (bytes.length === 0) return {};
    try {
      return decodeCty(bytes, impliedType(driver.taskConfigSchema())) as Record<string, unknown>;
    } catch (err) {
      throw new ValidationError([{ field: 'config', message: `${what}: ${errorMessage(err)}` }], { cause: err });
    }
  };

  return {
    Init: unary('Init', logger, async () => ({})),
    TaskConfigSchema: unary('TaskConfigSchema', logger, async () => ({ spec: toHclSpec(driver.taskConfigSchema()) })),
    Capabilities: unary('Capabilities', logger, async () => ({ capabilities: capabilitiesToPb(driver.capabilities()) })),
    Fingerprint: serverStream('Fingerprint', logger, (_req: unknown, signal) => mapIter(driver.fingerprint({ signal }), fingerprintToPb)),

    RecoverTask: unary('RecoverTask', logger, async (req: { task_id: string; handle: PbTaskHandle | null }) => {
      if (!req.handle) throw new ValidationError([{ field: 'handle', message: 'RecoverTask needs a task handle' }]);
      const h = req.handle;
      await driver.recoverTask(taskHandleFromPb(h, driverConfig(h.config?.msgpack_driver_config ?? Buffer.alloc(0), 'handle config')));
      return {};
    }),

    StartTask: unary('StartTask', logger, async (req: { task: PbTaskConfig | null }) => {
      if (!req.task) throw new ValidationError([{ field: 'task', message: 'StartTask needs a task config' }]);
      const bytes = req.task.msgpack_driver_config;
      const config = taskConfigFromPb(req.task, driverConfig(bytes, 'task config'));
      const res = await driver.startTask(config);
      // Nomad rejects handle version 0 (pre-0.9) and keys recovery on the echoed id.
      if (res.handle.version < 1) throw new DroverError(ErrorCode.internal, `driver returned task handle version ${res.handle.version}; Nomad needs ≥ 1`);
      if (res.handle.config.id !== config.id) throw new DroverError(ErrorCode.internal, `driver returned a handle for task ${res.handle.config.id}, not ${config.id}`);
      return { result: 0, driver_error_msg: '', handle: taskHandleToPb(res.handle, bytes), network_override: networkToPb(res.network) };
    }),

    WaitTask: unary('WaitTask', logger, async (req: TaskIdRequest, signal) => {
      const r = await driver.waitTask(req.task_id, { signal });
      return { result: exitResultToPb(r), err: r.err ?? '' };
    }),

    StopTask: unary('StopTask', logger, async (req: TaskIdRequest & { timeout: PbDuration | null; signal: string }) => {
      await driver.stopTask(req.task_id, durationToMs(req.timeout), req.signal);
      return {};
    }),

    DestroyTask: unary('DestroyTask', logger, async (req: TaskIdRequest & { force: boolean }) => {
      await driver.destroyTask(req.task_id, req.force);
      return {};
    }),

    InspectTask: unary('InspectTask', logger, async (req: TaskIdRequest) => taskStatusToPb(await driver.inspectTask(req.task_id))),

    TaskStats: serverStream('TaskStats', logger, (req: TaskIdRequest & { collection_interval: PbDuration | null }, signal) =>
      mapIter(driver.taskStats(req.task_id, durationToMs(req.collection_interval), { signal }), (u) => ({ stats: taskStatsToPb(req.task_id, u) })),
    ),

    TaskEvents: serverStream('TaskEvents', logger, (_req: unknown, signal) => mapIter(driver.taskEvents({ signal }), taskEventToPb)),

    Shutdown: unary('Shutdown', logger, async (_req: unknown, signal) => {
      if (isDriverShutdowner(driver)) await driver.shutdown({ signal });
      return {};
    }),

    SignalTask: unary('SignalTask', logger, async (req: TaskIdRequest & { signal: string }) => {
      await driver.signalTask(req.task_id, req.signal);
      return {};
    }),

    ExecTask: unary('ExecTask', logger, async (req: TaskIdRequest & { command: string[]; timeout: PbDuration | null }) => {
      const r = await driver.execTask(req.task_id, req.command, durationToMs(req.timeout));
      return { stdout: Buffer.from(r.stdout), stderr: Buffer.from(r.stderr), result: exitResultToPb(r.exitResult) };
    }),

    ExecTaskStreaming: execStreamingHandler(driver, logger),

    // drover's drivers never ask to create the network namespace (mustInitiateNetwork is false).
    CreateNetwork: unary('CreateNetwork', logger, async () => {
      throw new NotSupportedError('CreateNetwork RPC not supported by driver');
    }),
    DestroyNetwork: unary('DestroyNetwork', logger, async () => {
      throw new NotSupportedError('DestroyNetwork RPC not supported by driver');
    }),
  };
}

async function* mapIter<A, B>(it: AsyncIterable<A>, f: (a: A) => B): AsyncGenerator<B> {
  for await (const a of it) yield f(a);
}
