/**
 * The Driver service for a served drover driver: each RPC decodes its
 * request with the codecs, calls the DriverPlugin method of the same name
 * and encodes the answer; errors go through errors.ts. Replies built here
 * say `satisfies` their message: a contextually typed return gets no
 * excess-property check, so a field removed from the proto would slip by.
 */
import { DroverError, ErrorCode, NotSupportedError, ValidationError, errorMessage } from '../../model/errors.js';
import { isDriverNetworkManager, isDriverShutdowner, type DriverPlugin } from '../../drivers/types.js';
import { type Logger } from '../../model/logger.js';
import { capabilitiesToPb } from '../codec/capabilities.js';
import { decodeCty } from '../codec/cty-msgpack.js';
import { exitResultToPb } from '../codec/exit-result.js';
import { fingerprintToPb } from '../codec/fingerprint.js';
import { impliedType, toHclSpec } from '../codec/hclspec.js';
import { networkToPb } from '../codec/network.js';
import { networkIsolationFromPb, networkIsolationToPb } from '../codec/network-isolation.js';
import { taskConfigFromPb } from '../codec/task-config.js';
import { taskEventToPb } from '../codec/task-event.js';
import { taskHandleFromPb, taskHandleToPb } from '../codec/task-handle.js';
import { taskStatsToPb } from '../codec/stats.js';
import { taskStatusToPb } from '../codec/task-status.js';
import { durationToMs } from '../codec/time.js';
import * as pb from '../wire/driver.js';
import { execStreamingHandler } from './exec-streaming.js';
import { serverStream, unary } from './handler.js';

const M = pb.DriverService;

/** Handlers for hashicorp.nomad.plugins.drivers.proto.Driver. */
export function driverHandlers(driver: DriverPlugin, logger: Logger): pb.DriverServer {
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
    init: unary(M.init, logger, async () => ({})),
    taskConfigSchema: unary(M.taskConfigSchema, logger, async () => ({ spec: toHclSpec(driver.taskConfigSchema()) }) satisfies pb.TaskConfigSchemaResponse),
    capabilities: unary(M.capabilities, logger, async () => ({ capabilities: capabilitiesToPb(driver.capabilities()) }) satisfies pb.CapabilitiesResponse),
    fingerprint: serverStream(M.fingerprint, logger, (_req, signal) => mapIter(driver.fingerprint({ signal }), fingerprintToPb)),

    recoverTask: unary(M.recoverTask, logger, async (req) => {
      if (!req.handle) throw new ValidationError([{ field: 'handle', message: 'RecoverTask needs a task handle' }]);
      const h = req.handle;
      await driver.recoverTask(taskHandleFromPb(h, driverConfig(h.config?.msgpack_driver_config ?? Buffer.alloc(0), 'handle config')));
      return {};
    }),

    startTask: unary(M.startTask, logger, async (req) => {
      if (!req.task) throw new ValidationError([{ field: 'task', message: 'StartTask needs a task config' }]);
      const bytes = req.task.msgpack_driver_config;
      const config = taskConfigFromPb(req.task, driverConfig(bytes, 'task config'));
      const res = await driver.startTask(config);
      // Nomad rejects handle version 0 (pre-0.9) and keys recovery on the echoed id.
      if (res.handle.version < 1) throw new DroverError(ErrorCode.internal, `driver returned task handle version ${res.handle.version}; Nomad needs ≥ 1`);
      if (res.handle.config.id !== config.id) throw new DroverError(ErrorCode.internal, `driver returned a handle for task ${res.handle.config.id}, not ${config.id}`);
      return { result: pb.StartTaskResponse_Result.SUCCESS, driver_error_msg: '', handle: taskHandleToPb(res.handle, bytes), network_override: networkToPb(res.network) } satisfies pb.StartTaskResponse;
    }),

    waitTask: unary(M.waitTask, logger, async (req, signal) => {
      const r = await driver.waitTask(req.task_id, { signal });
      return { result: exitResultToPb(r), err: r.err ?? '' } satisfies pb.WaitTaskResponse;
    }),

    stopTask: unary(M.stopTask, logger, async (req) => {
      await driver.stopTask(req.task_id, durationToMs(req.timeout), req.signal);
      return {};
    }),

    destroyTask: unary(M.destroyTask, logger, async (req) => {
      await driver.destroyTask(req.task_id, req.force);
      return {};
    }),

    inspectTask: unary(M.inspectTask, logger, async (req) => taskStatusToPb(await driver.inspectTask(req.task_id))),

    taskStats: serverStream(M.taskStats, logger, (req, signal) =>
      mapIter(driver.taskStats(req.task_id, durationToMs(req.collection_interval), { signal }), (u) => ({ stats: taskStatsToPb(req.task_id, u) }) satisfies pb.TaskStatsResponse),
    ),

    taskEvents: serverStream(M.taskEvents, logger, (_req, signal) => mapIter(driver.taskEvents({ signal }), taskEventToPb)),

    shutdown: unary(M.shutdown, logger, async (_req, signal) => {
      if (isDriverShutdowner(driver)) await driver.shutdown({ signal });
      return {};
    }),

    signalTask: unary(M.signalTask, logger, async (req) => {
      await driver.signalTask(req.task_id, req.signal);
      return {};
    }),

    execTask: unary(M.execTask, logger, async (req) => {
      const r = await driver.execTask(req.task_id, req.command, durationToMs(req.timeout));
      return { stdout: Buffer.from(r.stdout), stderr: Buffer.from(r.stderr), result: exitResultToPb(r.exitResult) } satisfies pb.ExecTaskResponse;
    }),

    execTaskStreaming: execStreamingHandler(driver, logger),

    // Only drivers that implement DriverNetworkManager answer; Nomad's server refuses the others with the same words.
    createNetwork: unary(M.createNetwork, logger, async (req) => {
      if (!isDriverNetworkManager(driver)) throw new NotSupportedError('CreateNetwork RPC not supported by driver');
      const { spec, created } = await driver.createNetwork(req.alloc_id, { hostname: req.hostname });
      return { isolation_spec: networkIsolationToPb(spec), created } satisfies pb.CreateNetworkResponse;
    }),
    destroyNetwork: unary(M.destroyNetwork, logger, async (req) => {
      if (!isDriverNetworkManager(driver)) throw new NotSupportedError('DestroyNetwork RPC not supported by driver');
      await driver.destroyNetwork(req.alloc_id, networkIsolationFromPb(req.isolation_spec));
      return {} satisfies pb.DestroyNetworkResponse;
    }),
  };
}

async function* mapIter<A, B>(it: AsyncIterable<A>, f: (a: A) => B): AsyncGenerator<B> {
  for await (const a of it) yield f(a);
}
