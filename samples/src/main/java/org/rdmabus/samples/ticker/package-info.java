/**
 * The {@code ticker} sample: one {@link org.rdmabus.samples.ticker.TickerPublisher publisher} fans price ticks out
 * over the clustered event bus to subscriber nodes, each consuming them through a back-pressured RxJava
 * {@code Flowable} ({@link org.rdmabus.samples.ticker.MessageConsumerFlowable}). A slow subscriber holds no more than
 * its consumer's buffer, so its memory stays flat while the fast ones get every tick.
 */
package org.rdmabus.samples.ticker;
