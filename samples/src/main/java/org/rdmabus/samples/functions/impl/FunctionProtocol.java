package org.rdmabus.samples.functions.impl;

/**
 * The line protocol between the function-runtime launcher and its node JVMs: {@link
 * org.rdmabus.samples.impl.node.LineProtocol}'s shared commands, events and fields, and these.
 *
 * <pre>
 * launcher -> runtime   {"command":"run","invocations":200,"warmup":50,"limitMillis":120000,
 *                        "catalogPort":..,"taxPort":..}
 * node -> launcher      {"event":"progress","step":"joining the clusters"}
 *                       {"event":"ready","role":"tax","pid":..,"nodeId":..,"classicPort":..,
 *                        "rdmabus":{"path":..,"overRdma":..},"tcp":{"path":..,"overRdma":..}}
 * runtime -> launcher   {"event":"progress","rounds":120}
 *                       {"event":"result","columns":[{...see ColumnResult...}, ...]}
 * </pre>
 */
final class FunctionProtocol {

    /** Command to the runtime: measure. Its answer is a {@link #RESULT} event. */
    static final String RUN = "run";
    /** Event: the runtime's measurement. */
    static final String RESULT = "result";

    /** Field: the node's role. */
    static final String ROLE = "role";
    /** Field: a starting node's step, in a progress event. */
    static final String STEP = "step";
    /** Field: the rounds done, in the runtime's progress events. */
    static final String ROUNDS = "rounds";
    /** Field: a service's classic exchange port on 127.0.0.1. */
    static final String CLASSIC_PORT = "classicPort";
    /** Field: the path of the node's rdmabus-carried instance. */
    static final String RDMABUS = "rdmabus";
    /** Field: the path of the node's instance with rdmabus disabled. */
    static final String TCP = "tcp";
    /** Field: measured rounds. */
    static final String INVOCATIONS = "invocations";
    /** Field: unmeasured rounds first. */
    static final String WARMUP = "warmup";
    /** Field: the time limit of the rounds, in milliseconds. */
    static final String LIMIT_MILLIS = "limitMillis";
    /** Field: the catalog's classic exchange port. */
    static final String CATALOG_PORT = "catalogPort";
    /** Field: the tax service's classic exchange port. */
    static final String TAX_PORT = "taxPort";
    /** Field: the runtime's columns. */
    static final String COLUMNS = "columns";

    private FunctionProtocol() {
    }
}
