/*
 * DiSNI's com.ibm.disni.util.NativeAffinity, which also loads the "disni" library: the calling thread's CPU
 * affinity as a 64-bit mask (bit n = CPU n), the form DiSNI's CQ processors pass.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <sched.h>
#include <stdint.h>

#define AFFINITY(name) JNICALL Java_com_ibm_disni_util_NativeAffinity__1##name

JNIEXPORT void AFFINITY(setAffinity)(JNIEnv *env, jclass type, jlong mask) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int cpu = 0; cpu < 64; cpu++) {
        if ((((uint64_t) mask) >> cpu) & 1u) {
            CPU_SET(cpu, &set);
        }
    }
    /* DiSNI ignores the outcome; an invalid mask leaves the thread where it was. */
    sched_setaffinity(0, sizeof set, &set);
}

JNIEXPORT jlong AFFINITY(getAffinity)(JNIEnv *env, jclass type) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) {
        return -1;
    }
    uint64_t mask = 0;
    for (int cpu = 0; cpu < 64; cpu++) {
        if (CPU_ISSET(cpu, &set)) {
            mask |= (uint64_t) 1 << cpu;
        }
    }
    return (jlong) mask;
}
