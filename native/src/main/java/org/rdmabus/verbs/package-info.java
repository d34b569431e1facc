/**
 * The NIC layer's SPI: a verbs-shaped view of RDMA (providers, devices, registered memory, completion queues,
 * DC initiators and targets, shared receive queues and reliable queue pairs) that hides the verbs library.
 * <p>
 * Providers: {@code soft}, a software RDMA NIC over shared memory for processes on one host; {@code rdma}, a
 * real NIC through DiSNI and this module's JNI code. {@link org.rdmabus.verbs.Fabrics} picks one.
 * <p>
 * The data path ({@code post}, {@code poll}) allocates nothing: work requests and completions are reusable
 * objects owned by the caller, and every data-path failure is a {@link org.rdmabus.verbs.CompletionStatus}.
 */
package org.rdmabus.verbs;
