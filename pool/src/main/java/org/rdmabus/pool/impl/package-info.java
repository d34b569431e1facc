/**
 * The pool's internals. {@link org.rdmabus.pool.impl.PoolCore} owns the NIC and every resource;
 * {@code Peer} is one virtual connection (send queue, credits, sequence, path binding, promotion state) and the
 * receive state of one source; {@code SendPath} is a send queue frames leave by (a shared DC initiator or a
 * promoted peer's reliable queue pair); {@code Inbound} is this node's DC target and receive buffers;
 * {@code ChannelManager} runs promotion and demotion; {@code SendSlabs} is the registered send memory.
 */
package org.rdmabus.pool.impl;
