/**
 * The {@code quote-service} sample: a latency-sensitive chain of three microservices on the clustered Vert.x event
 * bus. An HTTP {@link org.rdmabus.samples.quote.GatewayVerticle gateway} asks
 * {@link org.rdmabus.samples.quote.PricingVerticle pricing}, which asks {@link org.rdmabus.samples.quote.RiskVerticle
 * risk}; each runs on its own node. The code is plain Vert.x: nothing in it knows about rdmabus, whose transport
 * carries the event bus when its jar is on the class path.
 */
package org.rdmabus.samples.quote;
