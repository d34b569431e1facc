/**
 * Internals of the {@code rdma} provider: loading the JNI libraries from the jar, the device probe and the
 * policies it feeds (GID choice, capabilities, timeouts), the address format, and the verbs objects behind the
 * SPI. Work-request ids given to the NIC are the provider's own ({@link org.rdmabus.verbs.rdma.impl.WorkRequestIds}),
 * so completions lead back to the caller's ids without locks or allocation.
 */
package org.rdmabus.verbs.rdma.impl;
