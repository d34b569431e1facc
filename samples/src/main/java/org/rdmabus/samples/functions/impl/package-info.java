/**
 * The {@code rdmabus function-runtime} internals: the launcher that starts the catalog, tax and runtime node JVMs and
 * prints the comparison, the nodes' main class and line protocol, the runtime's measurement, and the classic path's
 * client and service responder over the verbs SPI.
 */
package org.rdmabus.samples.functions.impl;
