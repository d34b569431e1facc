/**
 * {@link org.rdmabus.buffer.VarHandleBuffer}, the Agrona buffer every rdmabus module reads and writes memory with:
 * Agrona's interfaces, Java's {@code VarHandle}s underneath, so that no JVM needs a flag and no JDK warns.
 * <p>
 * The layers it is built from live in {@code org.rdmabus.buffer.impl}, which is not public API.
 */
package org.rdmabus.buffer;
