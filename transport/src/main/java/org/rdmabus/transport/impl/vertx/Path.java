package org.rdmabus.transport.impl.vertx;

/** The path a destination's traffic takes. */
enum Path {
  /** Not decided yet: the destination's messages wait, in order, until it is. */
  UNRESOLVED,
  /** The node channel. */
  CHANNEL,
  /** Vert.x's TCP transport, for good. */
  TCP
}
