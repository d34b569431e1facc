package org.rdmabus.verbs;

/**
 * What an opened {@link Nic} can do. The pool reads it to choose between DC and pooled RC queue pairs.
 *
 * @param dynamicallyConnected whether {@link Nic#createInitiator} and {@link Nic#createTarget} give real DC
 *                             queue pairs; when false the pool reaches peers through {@link ReliableQueuePair}s.
 * @param reliableConnected    whether {@link Nic#createReliableQueuePair} works.
 * @param maxInlineData        the largest payload a SEND may carry inline.
 * @param maxMessageSize       the largest payload of one work request.
 * @param maxQueueDepth        the largest send, receive or completion queue.
 * @param datagrams            whether {@link Nic#createDatagramQueuePair} works: the connectionless path the pool
 *                             uses for first contact where there is no DC.
 */
public record NicCapabilities(boolean dynamicallyConnected, boolean reliableConnected, int maxInlineData,
                              int maxMessageSize, int maxQueueDepth, boolean datagrams) {
}
