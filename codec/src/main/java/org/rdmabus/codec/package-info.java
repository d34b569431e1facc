/**
 * Frames on the wire and strict decoding.
 * <p>
 * {@link org.rdmabus.codec.FrameLayout} documents the versioned little-endian format. The sending side is
 * {@link org.rdmabus.codec.FrameEncoder} (one frame into a caller's buffer) and
 * {@link org.rdmabus.codec.Segmenter} (a large message into segment frames); the receiving side is
 * {@link org.rdmabus.codec.FrameDecoder} (a strict flyweight that reports a typed
 * {@link org.rdmabus.codec.DecodeError} instead of throwing) and {@link org.rdmabus.codec.Reassembler} (bounded
 * reassembly across sources). {@link org.rdmabus.codec.CodecLimits} holds every bound,
 * {@link org.rdmabus.codec.NodeId} maps Vert.x node ids to the 128 bits in each header, and
 * {@link org.rdmabus.codec.DecodeErrorCounters} counts refusals for metrics.
 * <p>
 * The module depends on Agrona buffers only; it knows nothing of Vert.x or of the NIC layer. An event-bus message is
 * opaque bytes here.
 */
package org.rdmabus.codec;
