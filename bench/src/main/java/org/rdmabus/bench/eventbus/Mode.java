package org.rdmabus.bench.eventbus;

/** How a benchmark node's event bus travels between JVMs, or, for the floor, between two event loops of one JVM. */
enum Mode {
    /** Plain Vert.x out of the box: TCP on the JDK's NIO transport, rdmabus disabled. */
    TCP("tcp (nio)"),
    /** Plain Vert.x TCP with Netty's native epoll transport, rdmabus disabled: the fair TCP baseline. */
    TCP_EPOLL("tcp (epoll)"),
    /** rdmabus: the provider the run names ({@code --provider}), otherwise the best fabric here. */
    RDMABUS("rdmabus"),
    /**
     * No second JVM: one non-clustered Vert.x instance (epoll) sends from one event loop to a consumer on another.
     * Two cross-thread wake-ups per round trip and no network: the machine's floor for any event-bus transport.
     */
    IN_JVM("in-JVM hop");

    private final String label;

    Mode(String label) {
        this.label = label;
    }

    /** @return the name printed in reports. */
    String label() {
        return label;
    }

    /** @return whether Vert.x runs on Netty's native transport in this mode (rdmabus asks for it by default). */
    boolean nativeTransport() {
        return this != TCP;
    }

    /** @return whether the mode runs two clustered nodes in two JVMs. */
    boolean clustered() {
        return this != IN_JVM;
    }
}
