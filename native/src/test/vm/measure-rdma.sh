#!/usr/bin/env bash
# measure-rdma.sh: run INSIDE the Soft-RoCE VM (rxe-vm.sh measure-rdma.sh) after building the bench jar:
#   mvn -B -q -pl native,bench package -DskipTests
# Prints perftest's ib_send_lat (2 B, as reference) and then the rdma provider's cold/warm connection and
# round-trip figures on the same device. Timings under TCG emulation are inflated; compare ratios, not values.
set -uo pipefail
root=$(cd "$(dirname "$0")/../../../.." && pwd)
dev=${RXE_VM_DEV:-rxe0}
gid=${RXE_VM_GID_IDX:-1}
iterations=${IB_ITERATIONS:-5000}
echo "== ib_send_lat -d $dev -x $gid -n $iterations (2 B, RC, out-of-band exchange over 127.0.0.1)"
timeout 120 ib_send_lat -d "$dev" -x "$gid" -n "$iterations" -F > /tmp/ib_send_lat.server 2>&1 &
server=$!
sleep 2
timeout 120 ib_send_lat -d "$dev" -x "$gid" -n "$iterations" -F 127.0.0.1
wait $server
echo "== rdmabus rdma provider"
# -XX:UseAVX=0: under TCG (-cpu max) HotSpot's AVX code paths crashed the JVM twice here (SIGILL/SIGSEGV in
# JIT-compiled code); without AVX the runs were stable. Not needed on real hardware or KVM.
exec java -XX:UseAVX=0 -jar "$root/bench/target/rdmabus-bench.jar" rdma-connect "$@"
