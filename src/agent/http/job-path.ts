/**
 * Job IDs with "/" in URLs. Children of periodic and parameterized jobs have
 * IDs like "batch/periodic-1700000000". Nomad's api client escapes the slash
 * ("/v1/job/batch%2Fperiodic-1700000000"), but Nomad's server reads the
 * decoded path and takes a known endpoint suffix off its end, so the
 * unescaped form works too (command/agent/job_endpoint.go JobSpecificRequest).
 * The router matches one segment per parameter, so both forms are rewritten
 * to the escaped one before routing.
 */

const JOB_PATH = '/v1/job/';

/** Nomad's job endpoint suffixes, in the order JobSpecificRequest tries them. */
const SUFFIXES = [
  '/evaluate',
  '/allocations',
  '/evaluations',
  '/periodic/force',
  '/plan',
  '/summary',
  '/dispatch',
  '/dispatch/payload',
  '/versions',
  '/revert',
  '/deployments',
  '/deployment',
  '/stable',
  '/scale',
  '/services',
  '/submission',
  '/actions',
  '/action',
] as const;

/** `url` with the job ID of a /v1/job/… path as one escaped segment; any other URL unchanged. */
export function rewriteJobUrl(url: string): string {
  if (!url.startsWith(JOB_PATH)) return url;
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const search = q < 0 ? '' : url.slice(q);
  let path: string;
  try {
    path = decodeURIComponent(rawPath.slice(JOB_PATH.length));
  } catch {
    return url; // malformed escapes: let the router answer as it would
  }
  const suffix = SUFFIXES.find((s) => path.endsWith(s) && path.length > s.length) ?? '';
  const id = path.slice(0, path.length - suffix.length);
  return `${JOB_PATH}${encodeURIComponent(id)}${suffix}${search}`;
}
