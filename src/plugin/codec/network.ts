/** DriverNetwork ↔ NetworkOverride. */
import type { DriverNetwork } from '../../drivers/types.js';
import type * as pb from '../wire/driver.js';

/** drover → wire; undefined stays unset, as Nomad leaves it nil. */
export function networkToPb(n: DriverNetwork | undefined): pb.NetworkOverride | undefined {
  if (!n) return undefined;
  return { port_map: { ...n.portMap }, addr: n.ip, auto_advertise: n.autoAdvertise };
}

/** wire → drover. */
export function networkFromPb(m: pb.NetworkOverride | undefined): DriverNetwork | undefined {
  if (!m) return undefined;
  return { portMap: { ...m.port_map }, ip: m.addr, autoAdvertise: m.auto_advertise };
}
