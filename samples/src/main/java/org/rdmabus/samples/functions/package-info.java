/**
 * The {@code function-runtime} sample: a serverless runtime that deploys a fresh function instance (a new verticle)
 * for every invocation. The function, {@link org.rdmabus.samples.functions.CheckoutFunction}, prices an order by
 * calling two services on other nodes, {@code catalog} and {@code tax} ({@link
 * org.rdmabus.samples.functions.ServiceVerticle}), over the clustered event bus. Its twin,
 * {@link org.rdmabus.samples.functions.ClassicCheckoutFunction}, makes the same two calls the classic RDMA way: every
 * instance opens the NIC, creates its own queue pairs and exchanges their addresses before its first call. Comparing
 * the two shows what a warm, shared pool of DC queue pairs saves a cold start.
 */
package org.rdmabus.samples.functions;
