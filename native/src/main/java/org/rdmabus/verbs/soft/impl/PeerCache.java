package org.rdmabus.verbs.soft.impl;

import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.VerbsException;

/**
 * One NIC's cache of the peers it has posted to. The first post to a never-seen address maps the peer's
 * control segment; later posts find it with a hash lookup that allocates nothing. Peers found dead are dropped
 * by the NIC's agent, which unmaps them once no thread can be copying through their mappings.
 */
final class PeerCache {
    private final SoftNic local;
    private final ConcurrentHashMap<TargetAddress, RemoteTarget> targets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RemoteNic> nics = new ConcurrentHashMap<>();

    PeerCache(SoftNic local) {
        this.local = local;
    }

    /**
     * @param address a target address.
     * @return the resolved target, or {@code null} when the address names no reachable soft NIC.
     */
    RemoteTarget resolve(TargetAddress address) {
        RemoteTarget target = targets.get(address);
        if (target != null && !target.nic().isRetired()) {
            return target;
        }
        return resolveSlowly(address);
    }

    private synchronized RemoteTarget resolveSlowly(TargetAddress address) {
        RemoteTarget target = targets.get(address);
        if (target != null && !target.nic().isRetired()) {
            return target;
        }
        if (!SoftNic.PROVIDER.equals(address.provider())) {
            return null;
        }
        String locator = new String(address.locator(), StandardCharsets.UTF_8);
        RemoteNic nic = nics.get(locator);
        if (nic == null || nic.isRetired()) {
            try {
                nic = RemoteNic.map(local, locator);
            } catch (VerbsException | InvalidPathException e) {
                return null;
            }
            nics.put(locator, nic);
        }
        target = new RemoteTarget(nic, address.targetNumber(), address.accessKey());
        targets.put(address, target);
        return target;
    }

    /**
     * Checks every cached peer, so one nobody posts to any more is still noticed when it dies.
     *
     * @param now              {@link System#nanoTime()}.
     * @param peerTimeoutNanos the peer timeout.
     * @return peers found dead, removed from the cache; the caller unmaps them.
     */
    synchronized List<RemoteNic> removeDead(long now, long peerTimeoutNanos) {
        List<RemoteNic> dead = null;
        for (RemoteNic nic : nics.values()) {
            if (!nic.reachable(now, peerTimeoutNanos) && nic.isDead()) {
                if (dead == null) {
                    dead = new ArrayList<>();
                }
                dead.add(nic);
            }
        }
        if (dead == null) {
            return List.of();
        }
        for (RemoteNic nic : dead) {
            nics.remove(nic.locator(), nic);
            targets.values().removeIf(target -> target.nic() == nic);
        }
        return dead;
    }

    /** @return every peer still cached; for closing. */
    synchronized List<RemoteNic> removeAll() {
        List<RemoteNic> all = new ArrayList<>(nics.values());
        nics.clear();
        targets.clear();
        return all;
    }
}
