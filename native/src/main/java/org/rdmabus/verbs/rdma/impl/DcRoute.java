package org.rdmabus.verbs.rdma.impl;

/**
 * How a DC initiator reaches one target: the address handle of the target's port and the target's number
 * and key.
 *
 * @param ah        the {@code ibv_ah}.
 * @param dctNumber the DCT number.
 * @param accessKey the DC access key.
 */
record DcRoute(long ah, int dctNumber, long accessKey) {
}
