/**
 * Where CNI plugins and user networks come from, as Nomad's client finds
 * them (client/allocrunner/networking_cni.go): plugins on `cni_path` (a
 * colon-separated list; CNI_PATH from the environment, else /opt/cni/bin),
 * user networks for `mode = "cni/<name>"` in `cni_config_dir` (default
 * /opt/cni/config), the files ending .conf, .conflist or .json read in
 * lexical order and the first whose network name matches taken.
 * drover always appends Debian's plugin directory, /usr/lib/cni, where the
 * `containernetworking-plugins` package installs them.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, DroverError, ValidationError, isErrno } from '../../model/errors.js';
import { confToConfList, parseConfList, type CniConfList } from './cni-types.js';

/** Nomad's defaultCNIPath. */
export const DEFAULT_CNI_PATH = '/opt/cni/bin';
/** Nomad's default cni_config_dir. */
export const DEFAULT_CNI_CONFIG_DIR = '/opt/cni/config';
/** Where Debian's containernetworking-plugins puts the plugins. */
export const DEBIAN_CNI_DIR = '/usr/lib/cni';

/**
 * The plugin directories for `cni_path` (or CNI_PATH from `env`, or Nomad's
 * default), with Debian's directory last; duplicates and empties dropped.
 */
export function cniPluginDirs(cniPath?: string, env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const configured = cniPath || env['CNI_PATH'] || DEFAULT_CNI_PATH;
  const dirs = [...configured.split(':'), DEBIAN_CNI_DIR].filter((d) => d !== '');
  return [...new Set(dirs)];
}

const EXTENSIONS = ['.conf', '.conflist', '.json'];

/** Loads the network named `name` from `configDir` (Nomad's loadCNIConf). */
export async function loadCniConfList(configDir: string, name: string): Promise<CniConfList> {
  let files: string[];
  try {
    files = (await readdir(configDir)).filter((f) => EXTENSIONS.some((e) => f.endsWith(e))).sort();
  } catch (err) {
    if (!isErrno(err, 'ENOENT', 'ENOTDIR')) throw err;
    files = [];
  }
  if (files.length === 0) throw new DroverError(ErrorCode.notFound, `no CNI network config found in ${configDir}`);
  for (const f of files) {
    const path = join(configDir, f);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch (err) {
      throw new ValidationError([{ field: '', file: path, message: `failed to load CNI config file: ${(err as Error).message}` }]);
    }
    const list = f.endsWith('.conflist') ? parseConfList(json, path) : confToConfList(json, path);
    if (list.name === name) return list;
  }
  throw new DroverError(ErrorCode.notFound, `CNI network config not found for name "${name}" in ${configDir}`);
}
