/**
 * The hardware provider, {@code rdma}: {@link org.rdmabus.verbs.rdma.RdmaFabric} opens a real RDMA NIC through
 * libibverbs and this module's JNI library ({@code librdmabus_verbs.so}), with DC initiators and targets on
 * mlx5 devices and RC queue pairs over shared receive queues everywhere else (Soft-RoCE included).
 * {@link org.rdmabus.verbs.rdma.DisniLibrary} puts DiSNI's native half ({@code libdisni.so}, shipped in this
 * jar) in place for applications that use DiSNI's own API.
 */
package org.rdmabus.verbs.rdma;
