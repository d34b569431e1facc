/*
 * Shared helpers of librdmabus_verbs.so: handle conversion and the exception the control path throws.
 */
#ifndef RDMABUS_VERBS_H
#define RDMABUS_VERBS_H

#include <jni.h>
#include <stdint.h>

/* Must equal org.rdmabus.verbs.rdma.impl.VerbsNative.ABI_VERSION. */
#define RDMABUS_ABI_VERSION 5

static inline void *rb_ptr(jlong handle) {
    return (void *) (uintptr_t) handle;
}

static inline jlong rb_handle(const void *pointer) {
    return (jlong) (uintptr_t) pointer;
}

/* Throws org.rdmabus.verbs.VerbsException "<call> failed: <strerror> (errno N)". */
void rb_throw(JNIEnv *env, const char *call, int error);

/* Throws the same exception with a free-form message. */
void rb_throw_message(JNIEnv *env, const char *message);

/* Converts a -1/errno or positive-errno return into an errno. */
int rb_error_code(int ret);

#endif
