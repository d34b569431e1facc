/**
 * The layers of {@link org.rdmabus.buffer.VarHandleBuffer}, each one group of Agrona's buffer methods: what is
 * wrapped, plain values, byte ranges, strings, ASCII numbers, atomic access. Not public API.
 */
package org.rdmabus.buffer.impl;
