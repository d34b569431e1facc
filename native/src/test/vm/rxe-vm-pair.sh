#!/usr/bin/env bash
# rxe-vm-pair.sh: two Soft-RoCE VMs whose virtio NICs are cabled only to each other (qemu -netdev stream over a
# unix socket; no host networking). SERVER_COMMAND runs in VM "A" (192.0.2.1), CLIENT_COMMAND in VM "B"
# (192.0.2.2), both in the current directory; RDMA and TCP between them cross the virtual wire as real RoCE v2
# packets between two kernels. Output lines are prefixed "A| " and "B| ". Exit code: the client's, else the
# server's. One vCPU and 2 GiB each by default (RXE_VM_SMP, RXE_VM_MEM).
#   usage: rxe-vm-pair.sh 'server command' 'client command'
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 2 ] || { echo "usage: $0 'server command' 'client command'" >&2; exit 2; }
socket=$(mktemp -u /tmp/rxe-wire.XXXXXX.sock)
export RXE_VM_SMP=${RXE_VM_SMP:-1} RXE_VM_MEM=${RXE_VM_MEM:-2048}
RXE_VM_IP=192.0.2.1/24 RXE_VM_MAC=52:54:00:12:00:01 RXE_VM_WIRE=server:$socket \
  "$here/rxe-vm.sh" bash -c "$1" > >(sed -u 's/^/A| /') 2>&1 &
server=$!
for _ in $(seq 300); do [ -S "$socket" ] && break; sleep 0.1; done
if [ ! -S "$socket" ]; then
  echo "rxe-vm-pair: the server VM did not open $socket" >&2
  kill "$server" 2>/dev/null
  exit 125
fi
RXE_VM_IP=192.0.2.2/24 RXE_VM_MAC=52:54:00:12:00:02 RXE_VM_WIRE=client:$socket \
  "$here/rxe-vm.sh" bash -c "$2" > >(sed -u 's/^/B| /') 2>&1
client_rc=$?
wait "$server"
server_rc=$?
rm -f "$socket"
echo "rxe-vm-pair: server exit $server_rc, client exit $client_rc" >&2
[ "$client_rc" -ne 0 ] && exit "$client_rc"
exit "$server_rc"
