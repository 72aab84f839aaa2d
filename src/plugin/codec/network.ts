/** DriverNetwork ↔ NetworkOverride. */
import type { DriverNetwork } from '../../drivers/types.js';
import type { PbNetworkOverride } from '../wire/driver.js';

/** drover → wire; undefined stays unset, as Nomad leaves it nil. */
export function networkToPb(n: DriverNetwork | undefined): PbNetworkOverride | null {
  if (!n) return null;
  return { port_map: { ...n.portMap }, addr: n.ip, auto_advertise: n.autoAdvertise };
}

/** wire → drover. */
export function networkFromPb(pb: PbNetworkOverride | null | undefined): DriverNetwork | undefined {
  if (!pb) return undefined;
  return { portMap: { ...pb.port_map }, ip: pb.addr, autoAdvertise: pb.auto_advertise };
}
