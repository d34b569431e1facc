package org.rdmabus.samples.impl.node;

/**
 * What every sample's line protocol between the launcher and its node JVMs shares: one JSON object per line,
 * commands on the node's stdin, events on its stdout, and nothing else on the node's stdout. Each sample adds its own
 * commands, events and fields.
 *
 * <pre>
 * launcher -> node   {"command":"exit"}
 * node -> launcher   {"event":"ready","pid":..,"nodeId":..,"path":..,"overRdma":..}
 *                    {"event":"progress",...}
 *                    {"event":"error","message":..}
 * </pre>
 *
 * <p>A node whose stdin closes acts as if told to exit: the launcher is gone.
 */
public final class LineProtocol {

    /** The field naming a command. */
    public static final String COMMAND = "command";
    /** The field naming an event. */
    public static final String EVENT = "event";

    /** Command: leave the cluster and exit. */
    public static final String EXIT = "exit";

    /** Event: the node joined the cluster and takes commands. */
    public static final String READY = "ready";
    /** Event: a long command's progress; {@link NodeProcess#await} hands it to the caller and keeps waiting. */
    public static final String PROGRESS = "progress";
    /** Event: the node failed; the field {@link #MESSAGE} says why. */
    public static final String ERROR = "error";

    /** Field: an error's message. */
    public static final String MESSAGE = "message";
    /** Field: the node's process id. */
    public static final String PID = "pid";
    /** Field: the node's cluster identifier. */
    public static final String NODE_ID = "nodeId";

    private LineProtocol() {
    }
}
