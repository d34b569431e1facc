/**
 * What every sample shares: node JVMs started with the same flags ({@link org.rdmabus.samples.impl.node.ChildJvm}),
 * guarded and cleaned up whatever happens ({@link org.rdmabus.samples.impl.node.ChildProcessGuard},
 * {@link org.rdmabus.samples.impl.node.ShmJanitor}), clustered with Hazelcast on loopback
 * ({@link org.rdmabus.samples.impl.node.LoopbackCluster}), and driven through a JSON line protocol
 * ({@link org.rdmabus.samples.impl.node.LineProtocol}).
 */
package org.rdmabus.samples.impl.node;
