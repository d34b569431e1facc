/**
 * The {@code rdmabus demo} internals: the node JVMs it spawns, the line protocol they speak with the demo, the
 * workload, and the table and HTML report it writes.
 */
package org.rdmabus.samples.impl.demo;
