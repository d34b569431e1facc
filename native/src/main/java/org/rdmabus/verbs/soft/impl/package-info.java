/**
 * The {@code soft} provider's implementation: shared-memory segments and their layouts, the NIC and its
 * resources, the send-queue engine and the agent thread. Not API: use {@link org.rdmabus.verbs.soft.SoftFabric}.
 */
package org.rdmabus.verbs.soft.impl;
