#!/usr/bin/env bash
# rxe-vm.sh: run a command inside a throw-away qemu VM whose kernel has Soft-RoCE (rdma_rxe), so the rdma
# provider's tests use real libibverbs, librdmacm and a real (software) RDMA device on machines without RDMA.
#
#   rxe-vm.sh --install          install what the VM needs (Debian; root): qemu, a stock kernel, rdma-core
#   rxe-vm.sh COMMAND [ARGS...]  run COMMAND in the VM, in the current directory; its exit code is ours
#
# How it works: the VM boots Debian's stock kernel (installed on the host for its files only) with a small
# initramfs of our own. The host's root file system is shared read-only over virtio-9p with a tmpfs overlay,
# so the guest runs the host's own JDK, Maven and ~/.m2 and may write anywhere without touching the host.
# The current directory (and RXE_VM_RW's directories) are shared read-write, so build outputs and test
# reports land on the host. The guest has no network card: a dummy interface "rxenet0" holds 192.0.2.1/24
# (TEST-NET-1) and carries the Soft-RoCE device rxe0, so RDMA traffic and rdma_cm stay inside the VM.
#
# In the guest: RXE_VM_DEV=rxe0, RXE_VM_GID_IDX (the IPv4-mapped RoCE v2 GID), RXE_VM_ADDR=192.0.2.1,
# root with an unlimited locked-memory limit. Exit codes: the command's, 125 when the VM died or timed out,
# 126 when guest setup failed, 2 when the host lacks something (the message says what).
#
# Knobs: RXE_VM_TIMEOUT (s, default 1800), RXE_VM_MEM (MiB, default 3072), RXE_VM_SMP (default nproc),
# RXE_VM_ACCEL (auto|kvm|tcg), RXE_VM_RW (extra read-write dirs, colon-separated), RXE_VM_ENV (extra
# variable names to pass in), RXE_VM_CACHE (default /var/tmp/rdmabus-rxe-vm), RXE_VM_VERBOSE=1 (kernel log).
# Two VMs on a virtual wire (see rxe-vm-pair.sh): RXE_VM_WIRE=server:SOCKET or client:SOCKET gives the guest a
# virtio NIC whose only peer is the other VM's (qemu -netdev stream over a unix socket; no host networking),
# rxe0 sits on it, RXE_VM_IP sets its address (default 192.0.2.1/24) and RXE_VM_MAC its MAC.
#
# Without a real KVM module (kvm_intel/kvm_amd) the VM runs under TCG emulation: correct but slow (JVM work
# about 12-16x slower than on the host). Use it for correctness, never for performance claims.
set -euo pipefail

readonly PACKAGES=(qemu-system-x86 linux-image-amd64 rdma-core ibverbs-providers ibverbs-utils rdmacm-utils
  perftest libibverbs-dev librdmacm-dev busybox-static iproute2 kmod python3 xz-utils cpio)
readonly GUEST_MODULES=(virtio_pci 9pnet_virtio 9p overlay)

die() { echo "rxe-vm: $*" >&2; exit 2; }

install_packages() {
  local started=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # INITRD=No: the host never boots this kernel, and the VM brings its own initramfs.
  INITRD=No apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
  echo "rxe-vm: packages installed in $((SECONDS - started)) s"
}

if [ "${1:-}" = --install ]; then
  install_packages
  exit 0
fi
[ $# -ge 1 ] || { sed -n '2,25p' "$0"; exit 2; }

: "${RXE_VM_TIMEOUT:=1800}" "${RXE_VM_MEM:=3072}" "${RXE_VM_SMP:=$(nproc)}" "${RXE_VM_ACCEL:=auto}"
: "${RXE_VM_CACHE:=/var/tmp/rdmabus-rxe-vm}" "${RXE_VM_RW:=}" "${RXE_VM_ENV:=}" "${RXE_VM_VERBOSE:=0}"
: "${RXE_VM_IP:=192.0.2.1/24}" "${RXE_VM_WIRE:=}" "${RXE_VM_MAC:=52:54:00:12:34:56}"

for tool in qemu-system-x86_64 modprobe cpio gzip python3; do
  command -v "$tool" >/dev/null || die "missing $tool: run $0 --install"
done
[ -x /bin/busybox ] || die "missing busybox-static (/bin/busybox): run $0 --install"

# The newest installed kernel that ships the rdma_rxe module.
find_kernel() {
  local version versions
  versions=$(ls -1 /boot/vmlinuz-* 2>/dev/null | sed 's|^/boot/vmlinuz-||' | sort -V -r || true)
  for version in $versions; do
    if find "/lib/modules/$version/kernel/drivers/infiniband/sw/rxe" -name 'rdma_rxe.ko*' 2>/dev/null | grep -q .; then
      echo "$version"
      return
    fi
  done
}
KERNEL=$(find_kernel)
[ -n "$KERNEL" ] || die "no /boot/vmlinuz-* with the rdma_rxe module: run $0 --install"

# Hardware virtualisation only with a real KVM module; a nested or paravirtual /dev/kvm cannot run a stock
# kernel, and TCG is then the faster choice.
ACCEL=$RXE_VM_ACCEL
if [ "$ACCEL" = auto ]; then
  ACCEL=tcg
  if [ -w /dev/kvm ] && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then ACCEL=kvm; fi
fi
case "$ACCEL" in
  kvm) QEMU_ACCEL=(-accel kvm -cpu host,-arch-capabilities) ;;
  tcg) QEMU_ACCEL=(-accel tcg,thread=multi -cpu max) ;;
  *) die "RXE_VM_ACCEL must be auto, kvm or tcg" ;;
esac

mkdir -p "$RXE_VM_CACHE"
SCRIPT_HASH=$(sha256sum "$0" | cut -c1-12)
INITRAMFS=$RXE_VM_CACHE/initramfs-$KERNEL-$SCRIPT_HASH.img
VMLINUX=$RXE_VM_CACHE/vmlinux-$KERNEL

# The initramfs: busybox, the modules that mount the shared root, and an init that switches into it.
build_initramfs() {
  local work module index=0 name
  work=$(mktemp -d)
  mkdir -p "$work"/{bin,dev,proc,sys,lower,upper,newroot,modules}
  cp /bin/busybox "$work/bin/busybox"
  for module in $(modprobe -S "$KERNEL" -a --show-depends "${GUEST_MODULES[@]}" | awk '$1 == "insmod" {print $2}' | awk '!seen[$0]++'); do
    index=$((index + 1))
    name=$(printf '%02d-%s' "$index" "$(basename "$module")")
    case "$module" in
      *.ko.xz) xz -dc "$module" > "$work/modules/${name%.xz}"; name=${name%.xz} ;;
      *.ko.zst) zstd -qdc "$module" > "$work/modules/${name%.zst}"; name=${name%.zst} ;;
      *) cp "$module" "$work/modules/$name" ;;
    esac
    echo "$name" >> "$work/modules/load-order"
  done
  cat > "$work/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
fail() { echo "rxe-vm initramfs: $*"; dmesg | tail -n 20; echo o > /proc/sysrq-trigger; sleep 5; }
while read -r module; do insmod "/modules/$module" || echo "rxe-vm initramfs: insmod $module failed"; done < /modules/load-order
share=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o "$share,ro,cache=loose" hostroot /lower || fail "cannot mount the host root"
mount -t tmpfs -o mode=0755 tmpfs /upper
mkdir -p /upper/data /upper/work
mount -t overlay overlay -o lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work /newroot || fail "overlay failed"
mount -t tmpfs -o mode=0755 tmpfs /newroot/run
mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
mkdir -p /newroot/run/rxe-vm
mount -t 9p -o "$share,cache=none" control /newroot/run/rxe-vm || fail "cannot mount the control directory"
while read -r tag path; do
  mkdir -p "/newroot$path" 2>/dev/null
  mount -t 9p -o "$share,cache=mmap" "$tag" "/newroot$path" || echo "rxe-vm initramfs: cannot share $path"
done < /newroot/run/rxe-vm/shares
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
mount --move /dev /newroot/dev
exec switch_root /newroot /bin/bash /run/rxe-vm/guest-init.sh
INIT
  chmod +x "$work/init"
  (cd "$work" && find . | cpio -o -H newc --quiet | gzip -1 > "$INITRAMFS.tmp")
  mv "$INITRAMFS.tmp" "$INITRAMFS"
  rm -rf "$work"
}

# Under TCG the kernel's own decompressor costs about 2 s per boot; an uncompressed vmlinux boots through
# PVH and skips it.
extract_vmlinux() {
  python3 - "/boot/vmlinuz-$KERNEL" "$VMLINUX.tmp" <<'PY' && mv "$VMLINUX.tmp" "$VMLINUX" || rm -f "$VMLINUX.tmp"
import lzma, sys
image = open(sys.argv[1], 'rb').read()
start = image.find(b'\xfd7zXZ\x00')
if start < 0:
    sys.exit(1)
elf = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(image[start:])
if elf[:4] != b'\x7fELF':
    sys.exit(1)
open(sys.argv[2], 'wb').write(elf)
PY
}

[ -s "$INITRAMFS" ] || build_initramfs
[ -s "$VMLINUX" ] || extract_vmlinux
KERNEL_IMAGE=/boot/vmlinuz-$KERNEL
[ -s "$VMLINUX" ] && KERNEL_IMAGE=$VMLINUX

# The control directory: what the guest runs, and where it leaves the exit code.
CONTROL=$(mktemp -d /tmp/rxe-vm.XXXXXX)
trap 'rm -rf "$CONTROL"' EXIT
NETWORK=(-nic none)
case "$RXE_VM_WIRE" in
  "") ;;
  server:*|client:*)
    [ "${RXE_VM_WIRE%%:*}" = server ] && listen=on || listen=off
    NETWORK=(-netdev "stream,id=wire,server=$listen,addr.type=unix,addr.path=${RXE_VM_WIRE#*:}"
             -device "virtio-net-pci,netdev=wire,mac=$RXE_VM_MAC") ;;
  *) die "RXE_VM_WIRE must be server:SOCKET or client:SOCKET" ;;
esac
SHARES=(-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
        -virtfs "local,path=$CONTROL,mount_tag=control,security_model=none")
: > "$CONTROL/shares"
count=0
IFS=: read -r -a writable <<< "$PWD${RXE_VM_RW:+:$RXE_VM_RW}"
for directory in "${writable[@]}"; do
  [ -n "$directory" ] || continue
  directory=$(cd "$directory" && pwd -P)
  [ "$directory" != / ] || die "refusing to share / read-write"
  grep -q " $directory\$" "$CONTROL/shares" && continue
  count=$((count + 1))
  echo "rw$count $directory" >> "$CONTROL/shares"
  SHARES+=(-virtfs "local,path=$directory,mount_tag=rw$count,security_model=none,multidevs=remap")
done

{
  echo "export PATH=${PATH@Q}"
  for variable in JAVA_HOME MAVEN_OPTS MAVEN_ARGS CI LANG TERM $RXE_VM_ENV; do
    [ -n "${!variable+x}" ] && echo "export $variable=${!variable@Q}"
  done
  echo "cd ${PWD@Q}"
  printf 'exec'
  printf ' %q' "$@"
  echo
} > "$CONTROL/command.sh"
{ echo "address=${RXE_VM_IP@Q}"; echo "wire=${RXE_VM_WIRE:+1}"; } > "$CONTROL/network.env"

cat > "$CONTROL/guest-init.sh" <<'GUEST'
# PID 1 in the guest: bring up Soft-RoCE, run the command, power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
control=/run/rxe-vm
say() { echo "rxe-vm[guest $(cut -d' ' -f1 /proc/uptime)s]: $*" > /dev/ttyS0; }
give_up() { say "setup failed: $*"; echo 126 > $control/rc; sync; echo o > /proc/sysrq-trigger; sleep 10; }
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
hostname rxe-vm
ip link set lo up
modprobe -a rdma_rxe ib_uverbs rdma_ucm dummy 2> $control/setup.err || give_up "modprobe: $(cat $control/setup.err)"
. $control/network.env
netdev=rxenet0
if [ -n "$wire" ]; then
  modprobe virtio_net || give_up "modprobe virtio_net"
  for attempt in $(seq 50); do netdev=$(ls /sys/class/net | grep -v -x lo | head -n 1); [ -n "$netdev" ] && break; sleep 0.1; done
  ip addr add "$address" dev "$netdev" && ip link set "$netdev" up || give_up "wire netdev $netdev"
else
  ip link add rxenet0 type dummy && ip addr add "$address" dev rxenet0 && ip link set rxenet0 up || give_up "dummy netdev"
fi
rdma link add rxe0 type rxe netdev "$netdev" 2> $control/setup.err || give_up "rdma link add: $(cat $control/setup.err)"
gid_index=
for attempt in $(seq 100); do
  for slot in /sys/class/infiniband/rxe0/ports/1/gids/*; do
    case "$(cat "$slot" 2>/dev/null)" in
      0000:0000:0000:0000:0000:ffff:*) gid_index=${slot##*/}; break 2 ;;
    esac
  done
  sleep 0.05
done
[ -n "$gid_index" ] || give_up "rxe0 got no IPv4-mapped GID"
say "rxe0 up on $netdev $address, gid[$gid_index]"
export RXE_VM_DEV=rxe0 RXE_VM_GID_IDX=$gid_index RXE_VM_ADDR=${address%/*} RXE_VM_NETDEV=$netdev
ulimit -l unlimited
/bin/bash $control/command.sh < /dev/null > >(tee $control/output.log > /dev/ttyS0) 2>&1
rc=$?
sleep 0.2
say "command exited with $rc"
echo $rc > $control/rc
sync
for mount_point in $(awk '$3 == "9p" && $2 ~ "^/" {print $2}' /proc/mounts | sort -r); do umount "$mount_point" 2>/dev/null; done
echo o > /proc/sysrq-trigger
sleep 10
GUEST

CONSOLE=$CONTROL/console.log
APPEND="console=ttyS0 panic=-1 oops=panic reboot=t rdinit=/init"
[ "$RXE_VM_VERBOSE" = 1 ] || APPEND="$APPEND quiet loglevel=2"
started=$(date +%s)
set +e
timeout --foreground -k 5 "$RXE_VM_TIMEOUT" qemu-system-x86_64 "${QEMU_ACCEL[@]}" \
  -machine q35 -smp "$RXE_VM_SMP" -m "$RXE_VM_MEM" -nodefaults -no-user-config "${NETWORK[@]}" -display none \
  -chardev "file,id=console,path=$CONSOLE" -serial chardev:console -device virtio-rng-pci -no-reboot \
  -kernel "$KERNEL_IMAGE" -initrd "$INITRAMFS" -append "$APPEND" "${SHARES[@]}" > "$CONTROL/qemu.out" 2>&1 &
qemu=$!
# Stream the command's output as the guest writes it; tail exits by itself once qemu is gone.
if [ "$RXE_VM_VERBOSE" = 1 ]; then stream=$CONSOLE; else stream=$CONTROL/output.log; fi
tail -n +1 -s 0.2 --pid=$qemu -F "$stream" 2>/dev/null &
tailer=$!
wait $qemu
qemu_rc=$?
for _ in $(seq 50); do kill -0 $tailer 2>/dev/null || break; sleep 0.1; done
kill $tailer 2>/dev/null
wait $tailer 2>/dev/null
set -e
if [ -s "$CONTROL/rc" ]; then
  rc=$(cat "$CONTROL/rc")
else
  rc=125
  echo "rxe-vm: the VM ended (qemu exit $qemu_rc) before the command did; last console lines:" >&2
  tail -n 40 "$CONSOLE" >&2 || true
  cat "$CONTROL/qemu.out" >&2 || true
fi
echo "rxe-vm: accel=$ACCEL kernel=$KERNEL wall=$(( $(date +%s) - started )) s exit=$rc" >&2
exit "$rc"
