/** drover → wire; undefined stays unset, as Nomad leaves it nil. */
export function networkToPb(n) {
    if (!n)
        return undefined;
    return { port_map: { ...n.portMap }, addr: n.ip, auto_advertise: n.autoAdvertise };
}
/** wire → drover. */
export function networkFromPb(m) {
    if (!m)
        return undefined;
    return { portMap: { ...m.port_map }, ip: m.addr, autoAdvertise: m.auto_advertise };
}
//# sourceMappingURL=network.js.map