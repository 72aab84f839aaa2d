#!/usr/bin/env bash
# Installs the Debian packages drover's drivers and tests use, when missing.
# Runs as root with apt (Debian); elsewhere it says what is missing and goes on,
# and the tests that need a missing tool skip with the reason.
set -euo pipefail

# package: what needs it
PACKAGES=(
  util-linux        # exec driver isolation: unshare, nsenter, setpriv, mount
  procps            # ps/pkill in tests
  git               # git artifacts
  bzip2 xz-utils    # .tar.bz2 / .tar.xz artifacts
  qemu-system-x86   # qemu and virt drivers: the emulator
  qemu-utils        # qemu-img: virt thin copies and disk growth
  genisoimage       # virt: cloud-init NoCloud seed ISOs
  iptables          # virt: network_interface port mappings; bridge networking (NOMAD-ADMIN, CNI plugins)
  iproute2          # network namespaces (ip netns add/delete) for bridge/none/cni networking
  containernetworking-plugins  # bridge networking: CNI bridge, host-local, portmap, firewall, loopback (/usr/lib/cni)
  mtools syslinux   # VM tests: the test guest's bootable disk
  chromium          # web UI tests: headless Debian chromium driven by playwright-core
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: missing Debian packages: ${missing[*]} (not root or no apt-get: tests that need them will skip)" >&2
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
