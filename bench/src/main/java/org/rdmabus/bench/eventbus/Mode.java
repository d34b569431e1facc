package org.rdmabus.bench.eventbus;

/** How a benchmark node's event bus travels between JVMs. */
enum Mode {
    /** Plain Vert.x out of the box: TCP on the JDK's NIO transport, rdmabus disabled. */
    TCP("tcp (nio)"),
    /** Plain Vert.x TCP with Netty's native epoll transport, rdmabus disabled: the fair TCP baseline. */
    TCP_EPOLL("tcp (epoll)"),
    /** rdmabus with every default: the best fabric here and whatever it configures by itself. */
    RDMABUS("rdmabus");

    private final String label;

    Mode(String label) {
        this.label = label;
    }

    /** @return the name printed in reports. */
    String label() {
        return label;
    }
}
