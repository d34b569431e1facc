package org.rdmabus.verbs.soft.impl;

import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.TargetAddress;

/** A DC target: an entry in the NIC's target table naming its receive queue and completion queue. */
final class SoftDcTarget implements DcTarget {
    private final SoftNic nic;
    private final int number;
    private final TargetAddress address;
    private volatile boolean closed;

    SoftDcTarget(SoftNic nic, int number, TargetAddress address) {
        this.nic = nic;
        this.number = number;
        this.address = address;
    }

    SoftNic nic() {
        return nic;
    }

    int number() {
        return number;
    }

    @Override
    public TargetAddress address() {
        return address;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        nic.destroyTarget(number);
    }

    @Override
    public String toString() {
        return "SoftDcTarget{" + address + '}';
    }
}
