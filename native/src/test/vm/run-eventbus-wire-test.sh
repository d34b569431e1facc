#!/usr/bin/env bash
# run-eventbus-wire-test.sh: EventBusAcrossTheWireTest across two Soft-RoCE VMs on a virtual wire (rxe-vm-pair.sh):
# VM A (192.0.2.1) runs the keeper node and, in a child JVM, the responder; VM B (192.0.2.2) the requester. Hazelcast
# binds to the wire addresses and joins over TCP; the event bus runs over the rdma provider; the responder is killed
# (kill -9) while it holds requests, which must fail within 2 s, and the keeper must lose nothing of the stream it
# receives across the kill. Build on the host first (mvn -B verify). Each side writes its Surefire report as
# TEST-...EventBusAcrossTheWireTest-<role>.xml. It passes only once the rdma provider starts on Soft-RoCE (pooled RC
# queue pairs); until then both sides fail at start-up with the node's start-up line.
#
# Like run-eventbus-tests.sh: offline, C1-only JIT in every JVM, and the reactor resolved to target/classes rather
# than to whatever snapshots ~/.m2 holds (see there). One vCPU per VM: waits stretch by RDMABUS_TEST_TIME_SCALE.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../../../.."
[ -f transport/target/test-classes/org/rdmabus/transport/semantics/EventBusAcrossTheWireTest.class ] \
  || { echo "run-eventbus-wire-test: build first on the host: mvn -B verify" >&2; exit 2; }
time_scale=${RDMABUS_TEST_TIME_SCALE:-8}
side() {
  echo "JAVA_TOOL_OPTIONS='-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:UseAVX=0' RXE_VM_WIRE_ROLE=$1" \
    "mvn -o -B -q -pl transport -am test-compile surefire:test -Dmaven.main.skip=true -Dmaven.antrun.skip=true -Dmaven.resources.skip=true" \
    "-Dtest=EventBusAcrossTheWireTest -Dsurefire.failIfNoSpecifiedTests=false" \
    "-Drdmabus.verbs.required=true -Drdmabus.test.timeScale=$time_scale -Dsurefire.reportNameSuffix=$1"
}
export RXE_VM_TIMEOUT=${RXE_VM_TIMEOUT:-1500}
exec "$here/rxe-vm-pair.sh" "$(side server)" "$(side client)"
