/**
 * The {@code rdmabus quote-service} internals: the launcher that starts the three node JVMs and reports their hop
 * latencies, the nodes' main class, the line protocol between them, and the self-test client.
 */
package org.rdmabus.samples.quote.impl;
