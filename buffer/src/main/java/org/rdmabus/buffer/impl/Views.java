package org.rdmabus.buffer.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The {@link VarHandle}s every layer reads and writes through: views of {@code byte[]} and of {@link java.nio.ByteBuffer}
 * as {@code long}, {@code int} and {@code short}, in native byte order, as Agrona's methods without a
 * {@link ByteOrder} use it.
 */
final class Views {
    static final VarHandle ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    static final VarHandle ARRAY_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    static final VarHandle ARRAY_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    static final VarHandle BUFFER_LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    static final VarHandle BUFFER_INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    static final VarHandle BUFFER_SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.nativeOrder());

    private Views() {
    }
}
