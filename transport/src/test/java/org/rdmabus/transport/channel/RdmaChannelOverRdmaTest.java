package org.rdmabus.transport.channel;

/**
 * {@link RdmaChannelTest} over the rdma provider: both nodes' pools on one real (or Soft-RoCE) device, so request and
 * reply, the credited {@code Flowable} and back-pressure cross real verbs. It skips every test where no device is
 * found; with {@code -Drdmabus.verbs.required=true} (native/src/test/vm/run-eventbus-tests.sh) it runs, and a node that
 * does not end up on the rdma channel fails it with its start-up line.
 */
class RdmaChannelOverRdmaTest extends RdmaChannelTest {

    @Override
    String provider() {
        return "rdma";
    }
}
