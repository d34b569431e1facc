package org.rdmabus.pool.impl;

import java.util.Arrays;
import org.rdmabus.verbs.CompletionStatus;

/**
 * The entries one poll completed, with their statuses, gathered under a path's lock and handled after it is
 * released. Owned by one poller thread and reused, so polling allocates nothing once it has grown.
 */
final class CompletionBatch {
    private SendEntry[] entries;
    private CompletionStatus[] statuses;
    private int size;

    CompletionBatch(int capacity) {
        entries = new SendEntry[capacity];
        statuses = new CompletionStatus[capacity];
    }

    void add(SendEntry entry, CompletionStatus status) {
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
            statuses = Arrays.copyOf(statuses, size * 2);
        }
        entries[size] = entry;
        statuses[size] = status;
        size++;
    }

    int size() {
        return size;
    }

    SendEntry entry(int i) {
        return entries[i];
    }

    CompletionStatus status(int i) {
        return statuses[i];
    }

    void clear() {
        Arrays.fill(entries, 0, size, null);
        size = 0;
    }
}
