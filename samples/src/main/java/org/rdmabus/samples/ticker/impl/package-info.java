/**
 * The {@code rdmabus ticker} internals: the launcher that starts the publisher and subscriber JVMs and prints what
 * each took, the nodes' main class and line protocol, and the subscribers' checks and heap probe.
 */
package org.rdmabus.samples.ticker.impl;
