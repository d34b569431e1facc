/**
 * The warm shared pool of DC queue pairs: KRCore's control plane in user space, over the verbs-shaped SPI of
 * {@code org.rdmabus.verbs}.
 * <p>
 * {@link org.rdmabus.pool.QpPool} creates every queue pair, buffer and slab at start-up and hands out virtual
 * {@link org.rdmabus.pool.Connection}s that create none. {@link org.rdmabus.pool.TargetDirectory} maps node ids to
 * DC target addresses. Inbound messages go to a {@link org.rdmabus.pool.MessageSink} with a
 * {@link org.rdmabus.pool.ReceivedMessage} handle whose release returns the buffer and the sender's credit.
 * Failures are {@link org.rdmabus.pool.PoolException} subtypes; counters are {@link org.rdmabus.pool.PoolStats}.
 * <p>
 * The pool starts no poller threads: the transport drives {@link org.rdmabus.pool.QpPool#doWork(int)}.
 */
package org.rdmabus.pool;
