package org.rdmabus.samples.ticker.impl;

/**
 * The line protocol between the ticker launcher and its node JVMs: {@link
 * org.rdmabus.samples.impl.node.LineProtocol}'s shared commands, events and fields, and these.
 *
 * <pre>
 * launcher -> subscriber  {"command":"watch"}                      sample every second from now
 *                         {"command":"drain","published":20000}    take what is left, then report
 * launcher -> publisher   {"command":"publish","count":20000,"rate":2000,"subscribers":3}
 * node -> launcher        {"event":"ready","pid":..,"nodeId":..,"path":..,"overRdma":..}
 * subscriber -> launcher  {"event":"progress","sample":3,"received":5998,"heapAfterGc":15204352}
 *                         {"event":"drained","received":..,"skipped":..,"backwards":..,"last":..,"heldAtEnd":..,
 *                          "heapAfterGc":[..]}
 * publisher -> launcher   {"event":"progress","published":4000}
 *                         {"event":"published","count":20000,"nanos":..}
 * </pre>
 *
 * <p>{@code heapAfterGc} is -1 in the samples of subscribers that do not measure it (the fast ones).
 */
final class TickerProtocol {

    /** Command to a subscriber: start sampling. */
    static final String WATCH = "watch";
    /** Command to a subscriber: publishing is over; take what is left and report. */
    static final String DRAIN = "drain";
    /** Command to the publisher: publish. */
    static final String PUBLISH = "publish";
    /** Event: a subscriber's report. */
    static final String DRAINED = "drained";
    /** Event: the publisher is done; and its field, how many ticks it published. */
    static final String PUBLISHED = "published";

    /** Field: how many ticks. */
    static final String COUNT = "count";
    /** Field: ticks per second. */
    static final String RATE = "rate";
    /** Field: how many subscribers must be registered before the first tick. */
    static final String SUBSCRIBERS = "subscribers";
    /** Field: how long publishing took. */
    static final String NANOS = "nanos";
    /** Field: a sample's index, from 0 at the watch command. */
    static final String SAMPLE = "sample";
    /** Field: ticks a subscriber has taken so far. */
    static final String RECEIVED = "received";
    /** Field: the heap in use after a full collection, in bytes, or a list of them. */
    static final String HEAP_AFTER_GC = "heapAfterGc";
    /** Field: ticks missing between ticks a subscriber took. */
    static final String SKIPPED = "skipped";
    /** Field: ticks that came no later than one already taken. */
    static final String BACKWARDS = "backwards";
    /** Field: the highest sequence taken, -1 for none. */
    static final String LAST = "last";
    /** Field: ticks the subscriber still held when the end of the stream came, and took while draining. */
    static final String HELD_AT_END = "heldAtEnd";

    private TickerProtocol() {
    }
}
