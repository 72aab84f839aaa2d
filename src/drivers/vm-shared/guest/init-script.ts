/**
 * /init of the test guest: a busybox shell script standing in for a cloud
 * image's cloud-init, so tests see each NoCloud feature from inside a real
 * VM. It prints everything on the serial console (ttyS0), prefixed with
 * "drover-guest: ":
 *
 *   booting                       first line of the guest's own output
 *   hostname=<name>               from meta-data local-hostname
 *   timezone=<tz>                 from vendor-data timezone
 *   password=set / ssh-keys=<n>   default user settings seen in vendor-data
 *   disk <dev> <bytes>            each virtio disk's size
 *   <cmd output>                  bootcmd of vendor-data, then of user-data
 *                                 (the drivers' 9p mounts), then runcmd likewise
 *   ready                         all of the above done
 *
 * The ACPI power button powers the guest off ("power button pressed"),
 * unless a command created /run/drover-ignore-acpi: then the guest plays a
 * VM that ignores ACPI and only a kill stops it. Only plain-string bootcmd
 * and runcmd entries (quoted or not) are understood, which is what the
 * drivers write.
 */

/** Printed before every status line. */
export const GUEST_PREFIX = 'drover-guest: ';
/** The line that says the guest finished its boot work. */
export const GUEST_READY = `${GUEST_PREFIX}ready`;
/** A command that makes the guest ignore the ACPI power button. */
export const IGNORE_ACPI_CMD = 'touch /run/drover-ignore-acpi';

/** The script; `modules` are kernel module names in load order. */
export function initScript(modules: readonly string[]): string {
  return `#!/bin/busybox sh
/bin/busybox mkdir -p /bin /proc /sys /dev /run /tmp /seed /etc
/bin/busybox --install -s /bin
export PATH=/bin
mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sys /sys
say() { echo "${GUEST_PREFIX}$*"; }
# Debian's busybox-static has no mountpoint applet; the drivers' bootcmd uses "mountpoint -q DIR".
if ! command -v mountpoint >/dev/null; then
  printf '%s\\n' '#!/bin/sh' '[ "$1" = -q ] && shift' 'awk -v p="$1" '"'"'$2 == p { f = 1 } END { exit !f }'"'"' /proc/mounts' > /bin/mountpoint
  chmod 755 /bin/mountpoint
fi
say booting
for m in ${modules.join(' ')}; do insmod /lib/modules/$m.ko || say "insmod $m failed"; done

power_watch() {
  dev=
  i=0
  while [ -z "$dev" ] && [ $i -lt 100 ]; do
    for d in /sys/class/input/event*; do
      [ "$(cat $d/device/name 2>/dev/null)" = "Power Button" ] && dev=/dev/input/\${d##*/}
    done
    [ -n "$dev" ] || { sleep 0.1; i=$((i+1)); }
  done
  : > /run/acpi-armed
  [ -n "$dev" ] || { say "no ACPI power button"; return; }
  while :; do
    dd if=$dev of=/dev/null bs=24 count=1 2>/dev/null
    if [ -e /run/drover-ignore-acpi ]; then say "ignoring power button"; sleep 1; continue; fi
    say "power button pressed, powering off"
    sync
    poweroff -f
  done
}
power_watch &

# YAML scalar as the drivers write it: plain, or a JSON-style double-quoted string.
UNQ='function unq(s,  o, i, c) {
  if (substr(s, 1, 1) != "\\"") return s
  s = substr(s, 2, length(s) - 2); o = ""
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "\\\\") { i++; c = substr(s, i, 1); if (c == "n") c = "\\n"; else if (c == "t") c = "\\t" }
    o = o c
  }
  return o
}'
value() { awk -v k="$1" "$UNQ"'index($0, k ": ") == 1 { print unq(substr($0, length(k) + 3)); exit }' "$2" 2>/dev/null; }
count_items() { awk -v k="$1" '/^[^ #-]/ { in_list = ($0 == k ":") ; next } in_list && /^ *- / { n++ } END { print n + 0 }' "$2" 2>/dev/null; }
split_cmds() {
  awk -v pre="$2" -v key="$3" "$UNQ"'/^[^ #-]/ { in_list = ($0 == key ":"); next }
    in_list && /^ *- / { sub(/^ *- */, ""); f = sprintf("/run/cmds/%s-%03d", pre, ++n); printf "%s\\n", unq($0) > f; close(f) }' "$1" 2>/dev/null
}

seed=
i=0
while [ $i -lt 100 ]; do
  seed=$(findfs LABEL=cidata 2>/dev/null) && break
  sleep 0.1; i=$((i+1))
done
mkdir -p /run/cmds
if [ -n "$seed" ] && mount -t iso9660 -o ro "$seed" /seed; then
  h=$(value local-hostname /seed/meta-data)
  [ -n "$h" ] && hostname "$h"
  tz=$(value timezone /seed/vendor-data)
  [ -n "$tz" ] && say "timezone=$tz"
  [ -n "$(value password /seed/vendor-data)" ] && say "password=set"
  say "ssh-keys=$(count_items ssh_authorized_keys /seed/vendor-data)"
  split_cmds /seed/vendor-data 0v bootcmd
  split_cmds /seed/user-data 0u bootcmd
  split_cmds /seed/vendor-data 1v runcmd
  split_cmds /seed/user-data 2u runcmd
else
  say "no cloud-init seed found"
fi
say "hostname=$(hostname)"
for d in /sys/block/vd*; do
  [ -e "$d/size" ] && say "disk \${d##*/} $(( $(cat $d/size) * 512 ))"
done
for f in /run/cmds/*; do
  [ -e "$f" ] && sh "$f"
done
i=0
while [ ! -e /run/acpi-armed ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i+1)); done
say ready
while :; do sleep 3600; done
`;
}
