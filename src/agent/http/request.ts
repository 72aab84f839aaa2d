/** Small readers for query strings and JSON bodies that report bad input as 400s naming the parameter. */
import type { FastifyRequest } from 'fastify';
import { badRequest } from './errors.js';

type Query = Record<string, string | string[] | undefined>;

/** The first value of a query parameter. */
export function query(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Query)[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Every value of a repeated query parameter. */
export function queryAll(req: FastifyRequest, name: string): string[] {
  const v = (req.query as Query)[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** A boolean parameter as Go's strconv.ParseBool reads it. */
export function queryBool(req: FastifyRequest, name: string, dflt: boolean): boolean {
  const v = query(req, name);
  if (v === undefined || v === '') return dflt;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw badRequest(`${name}: invalid boolean ${JSON.stringify(v)}`);
}

/** A whole-number parameter. */
export function queryInt(req: FastifyRequest, name: string, dflt: number): number {
  const v = query(req, name);
  if (v === undefined || v === '') return dflt;
  if (!/^-?\d+$/.test(v)) throw badRequest(`${name}: invalid integer ${JSON.stringify(v)}`);
  return Number(v);
}

/** A route parameter. */
export function param(req: FastifyRequest, name: string): string {
  return (req.params as Record<string, string>)[name] ?? '';
}

/** The JSON body as an object; empty bodies are `{}` unless `required`. */
export function jsonBody(req: FastifyRequest, required = true): Record<string, unknown> {
  const raw = req.body;
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : '';
  if (text.trim() === '') {
    if (required) throw badRequest('Request body is empty: expected a JSON object');
    return {};
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw badRequest(`Failed to parse JSON body: ${(err as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest('Request body must be a JSON object');
  return v as Record<string, unknown>;
}

/** An optional string field of a body. */
export function bodyString(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`${field}: expected a string`);
  return v;
}

/** An optional boolean field of a body. */
export function bodyBool(body: Record<string, unknown>, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw badRequest(`${field}: expected a boolean`);
  return v;
}

/** An optional object of string values ({"name": "value"}); absent → {}. */
export function bodyStringMap(body: Record<string, unknown>, field: string): Record<string, string> {
  const v = body[field];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest(`${field}: expected an object of strings`);
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') throw badRequest(`${field}.${k}: expected a string`);
  return v as Record<string, string>;
}
