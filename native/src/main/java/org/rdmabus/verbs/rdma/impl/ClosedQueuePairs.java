package org.rdmabus.verbs.rdma.impl;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The RC queue pairs this process closed recently, by GID and number, so {@code connect} can refuse an address
 * that is known to be dead. Verbs cannot tell whether a remote queue pair exists without sending to it, so a
 * queue pair closed by another process is found only by the first request (RETRY_EXCEEDED); this early check
 * covers the common case of a stale address handed around inside one JVM. A number the device gives to a new
 * queue pair of this process leaves the set; the set keeps the latest {@link #CAPACITY} entries.
 */
final class ClosedQueuePairs {
    static final int CAPACITY = 4096;
    private static final Map<String, Boolean> CLOSED = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    private ClosedQueuePairs() {
    }

    static synchronized void closed(byte[] gid, int queuePairNumber) {
        CLOSED.put(key(gid, queuePairNumber), Boolean.TRUE);
    }

    static synchronized void created(byte[] gid, int queuePairNumber) {
        CLOSED.remove(key(gid, queuePairNumber));
    }

    static synchronized boolean isClosed(byte[] gid, int queuePairNumber) {
        return CLOSED.containsKey(key(gid, queuePairNumber));
    }

    private static String key(byte[] gid, int queuePairNumber) {
        return HexFormat.of().formatHex(gid) + '#' + queuePairNumber;
    }
}
