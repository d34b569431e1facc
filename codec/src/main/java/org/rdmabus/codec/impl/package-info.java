/**
 * Internals of the codec: UTF-8 and checksum helpers, node id derivation and reassembly bookkeeping. Not an API;
 * anything here may change without notice.
 */
package org.rdmabus.codec.impl;
