/**
 * The {@code soft} provider's public surface: {@link org.rdmabus.verbs.soft.SoftFabric}, a software RDMA NIC over
 * shared memory for processes on one host, and {@link org.rdmabus.verbs.soft.SoftFaults}, its fault injection for
 * tests. The implementation lives in {@code org.rdmabus.verbs.soft.impl} and is not API.
 */
package org.rdmabus.verbs.soft;
