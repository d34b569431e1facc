#!/usr/bin/env bash
# measure-eventbus.sh: issue 11's measurement, clustered Vert.x request/reply between two JVMs (Hazelcast on
# 127.0.0.1) on Soft-RoCE, in ONE VM boot: (a) rdmabus on the rdma provider (pooled RC queue pairs on rxe0), (b) plain
# Vert.x TCP on Netty's epoll, (c) plain Vert.x TCP on NIO, (d) Vert.x's in-JVM hop between two event loops (the
# floor). Round trip p50/p99/p99.9, requests/s at 32 in flight, the ratios rdmabus/TCP, and, per mode, what carried
# the traffic as both nodes report it: the bench exits 1 (and marks the row) when rdmabus is not on 'rdma' in both
# JVMs, sent anything over TCP or opened an event-bus TCP connection, or when a TCP mode is not on its transport.
#
#   mvn -o -q -B -pl bench -am package -DskipTests                       # on the host
#   flock /tmp/rdmabus-vm.lock native/src/test/vm/measure-eventbus.sh    # on the host: boots the VM (rxe-vm.sh)
#
# Extra arguments go to the bench and win over the defaults below (e.g. --modes RDMABUS,TCP_EPOLL, --count 2000);
# the VM's knobs (RXE_VM_TIMEOUT, default 900 s here; RXE_VM_SMP) apply. Other agents share the VM host: take the
# lock as above and keep a run well under 15 minutes.
#
# JIT: C1 only (-XX:TieredStopAtLevel=1), the serial collector and no AVX, in both JVMs (JAVA_TOOL_OPTIONS reaches
# the responder JVM). Under TCG emulation every JVM runs 12-16x slower, and C2 compiling a method costs far more than
# C1: with full tiered JIT the C2 threads compete with the measured threads on the two vCPUs well past any warm-up this
# VM time allows, so the figures would mix transport and compiler. C1 code is slower than C2 code, but it is the same
# compiler for every mode, and its compilation is done within the warm-up. UseAVX=0 is mandatory under TCG (-cpu max):
# with AVX, JIT-compiled code crashed the JVM (SIGILL). Absolute times are inflated by the emulation: compare the ratios
# within one run, never with the host.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
jar=$root/bench/target/rdmabus-bench.jar

if [ -z "${RXE_VM_DEV:-}" ]; then
  # On the host: boot the VM with this script as its command.
  [ -f "$jar" ] || { echo "measure-eventbus: build first: mvn -o -q -B -pl bench -am package -DskipTests" >&2; exit 2; }
  export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:UseAVX=0"
  export RXE_VM_ENV="${RXE_VM_ENV:-} JAVA_TOOL_OPTIONS RXE_VM_TIMEOUT"
  export RXE_VM_TIMEOUT=${RXE_VM_TIMEOUT:-900}
  cd "$root"
  # The VM's vCPUs are host threads: whatever else loads the host slows the VM, and so the figures.
  echo "measure-eventbus: host $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  status=0
  "$here/rxe-vm.sh" "$here/measure-eventbus.sh" "$@" || status=$?
  echo "measure-eventbus: host load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit "$status"
fi

# In the VM.
cd "$root"
echo "== machine: $(nproc) vCPU(s), clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)," \
  "JAVA_TOOL_OPTIONS=${JAVA_TOOL_OPTIONS:-}"
echo "== ib_send_lat -d $RXE_VM_DEV -x $RXE_VM_GID_IDX -n 2000 (2 B, RC): the device's own round trip / 2"
timeout 60 ib_send_lat -d "$RXE_VM_DEV" -x "$RXE_VM_GID_IDX" -n 2000 -F > /tmp/ib_send_lat.server 2>&1 &
server=$!
sleep 2
timeout 60 ib_send_lat -d "$RXE_VM_DEV" -x "$RXE_VM_GID_IDX" -n 2000 -F 127.0.0.1 | grep -A1 "t_min" || true
wait $server || true

echo "== event bus: rdmabus (rdma) / tcp (epoll) / tcp (nio) / in-JVM hop"
# Counts sized for TCG (a round trip takes about a millisecond here): every phase is also bounded in time.
started=$SECONDS
status=0
timeout $((RXE_VM_TIMEOUT > 120 ? RXE_VM_TIMEOUT - 60 : RXE_VM_TIMEOUT)) \
  java -jar "$jar" eventbus --provider rdma --modes RDMABUS,TCP_EPOLL,TCP,IN_JVM \
    --warmup 3000 --count 5000 --round-trip-seconds 90 --in-flight 32 --seconds 10 --first 0 "$@" || status=$?
echo "measure-eventbus: the bench exited $status after $((SECONDS - started)) s"
exit "$status"
