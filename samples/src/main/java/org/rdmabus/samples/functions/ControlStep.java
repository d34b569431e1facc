package org.rdmabus.samples.functions;

/**
 * The control-path steps a function instance pays before its first call when it opens its own RDMA resources, in
 * the order it takes them. With the warm pool none of them happens on an invocation: the pool took them once, at
 * start-up.
 */
public enum ControlStep {
    /** Open the device (the soft NIC: its shared-memory control segment and its agent thread). */
    OPEN_NIC("open the NIC"),
    /** Allocate and register the instance's receive buffers. */
    REGISTER_MEMORY("register memory"),
    /** Create the completion queues, the shared receive queue and a reliable queue pair per service; post receives. */
    CREATE_QUEUES("create CQs, SRQ, 2 QPs"),
    /** Hand each service this instance's queue-pair address over TCP and get the service's back. */
    EXCHANGE_ADDRESSES("exchange addresses (TCP)"),
    /** Connect each queue pair to its service's. */
    CONNECT("connect the 2 QPs");

    private final String label;

    ControlStep(String label) {
        this.label = label;
    }

    /** @return how the sample's table names the step. */
    public String label() {
        return label;
    }
}
