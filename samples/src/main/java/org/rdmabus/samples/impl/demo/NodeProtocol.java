package org.rdmabus.samples.impl.demo;

import org.rdmabus.samples.impl.node.LineProtocol;

/**
 * The line protocol between the demo and its node JVMs: {@link LineProtocol}'s shared commands, events and fields,
 * and the demo's own.
 *
 * <pre>
 * demo -> node   {"command":"round-trips","phase":"latency","count":20000,"limitMillis":30000,"payload":64,"record":true}
 *                {"command":"throughput","count":20000,"inflight":32,"limitMillis":30000,"payload":64}
 *                {"command":"fresh-node","address":"...","limitMillis":20000}              (responder)
 *                {"command":"first-contact","address":"...","limitMillis":20000,"payload":64} (requester)
 *                {"command":"exit"}
 * node -> demo   {"event":"ready","role":"requester","pid":..,"nodeId":..,"startMillis":..,"path":..,"overRdma":..}
 *                {"event":"progress","phase":"latency","done":2000,"total":20000}
 *                {"event":"result","phase":"latency",...,"path":..,"overRdma":..}
 *                {"event":"fresh-ready","address":..,"nodeId":..}
 *                {"event":"error","message":..}
 * </pre>
 */
public final class NodeProtocol {

    /** The field naming a command. */
    public static final String COMMAND = LineProtocol.COMMAND;
    /** The field naming an event. */
    public static final String EVENT = LineProtocol.EVENT;

    /** Command: sequential round trips (warm-up or measured). */
    public static final String ROUND_TRIPS = "round-trips";
    /** Command: pipelined requests with a fixed number in flight. */
    public static final String THROUGHPUT = "throughput";
    /** Command to the responder: start a fresh node in its JVM with a consumer on a fresh address. */
    public static final String FRESH_NODE = "fresh-node";
    /** Command to the requester: time the first request to a node it never contacted. */
    public static final String FIRST_CONTACT = "first-contact";
    /** Command: leave the cluster and exit. */
    public static final String EXIT = LineProtocol.EXIT;

    /** Event: the node joined the cluster and takes commands. */
    public static final String READY = LineProtocol.READY;
    /** Event: a load command's progress. */
    public static final String PROGRESS = LineProtocol.PROGRESS;
    /** Event: a command's result. */
    public static final String RESULT = "result";
    /** Event: the fresh node is up and its consumer registered. */
    public static final String FRESH_READY = "fresh-ready";
    /** Event: the node failed; the field {@link #MESSAGE} says why. */
    public static final String ERROR = LineProtocol.ERROR;

    /** Field: a phase name, see {@link #WARMUP}, {@link #LATENCY}, {@link #THROUGHPUT}, {@link #FIRST_CONTACT}. */
    public static final String PHASE = "phase";
    /** Phase: warm-up round trips, not recorded. */
    public static final String WARMUP = "warmup";
    /** Phase: measured sequential round trips. */
    public static final String LATENCY = "latency";

    /** Field: how many requests a load command sends. */
    public static final String COUNT = "count";
    /** Field: how many requests a throughput command keeps in flight. */
    public static final String INFLIGHT = "inflight";
    /** Field: a command's time limit in milliseconds. */
    public static final String LIMIT_MILLIS = "limitMillis";
    /** Field: the request body size in bytes. */
    public static final String PAYLOAD = "payload";
    /** Field: whether round trips are recorded into a histogram. */
    public static final String RECORD = "record";
    /** Field: an event-bus address. */
    public static final String ADDRESS = "address";
    /** Field: requests done so far. */
    public static final String DONE = "done";
    /** Field: requests a load command sends in all. */
    public static final String TOTAL = "total";
    /** Field: requests answered. */
    public static final String COMPLETED = "completed";
    /** Field: requests failed. */
    public static final String FAILED = "failed";
    /** Field: the first failure's message, when any failed. */
    public static final String FIRST_FAILURE = "firstFailure";
    /** Field: whether the time limit stopped the command before its count. */
    public static final String TIMED_OUT = "timedOut";
    /** Field: a load's duration in nanoseconds. */
    public static final String ELAPSED_NANOS = "elapsedNanos";
    /** Field: the round trips, an HdrHistogram in nanoseconds, compressed and base64-encoded. */
    public static final String HISTOGRAM = "histogram";
    /** Field: the first request's round trip in nanoseconds. */
    public static final String FIRST_NANOS = "firstNanos";
    /** Field: the second request's round trip to the same node in nanoseconds. */
    public static final String SECOND_NANOS = "secondNanos";
    /** Field: the node's role. */
    public static final String ROLE = "role";
    /** Field: the node's process id. */
    public static final String PID = LineProtocol.PID;
    /** Field: the node's cluster identifier. */
    public static final String NODE_ID = LineProtocol.NODE_ID;
    /** Field: how long the node took to join the cluster, in milliseconds. */
    public static final String START_MILLIS = "startMillis";
    /** Field: an error's message. */
    public static final String MESSAGE = LineProtocol.MESSAGE;

    /** The address the responder answers on. */
    public static final String ECHO_ADDRESS = "rdmabus.demo.echo";

    private NodeProtocol() {
    }
}
