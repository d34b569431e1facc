/*
 * librdmabus_verbs.so: the rdma provider's own verbs calls (devices, memory, CQs, SRQs, RC and UD queue pairs,
 * address handles) and the loader's helpers. DC lives in rdmabus_dc.c. Every function is a thin wrapper: policy (GID choice,
 * timeouts, state tracking) is in Java, where it can be unit-tested without a device.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <infiniband/verbs.h>

#include "rdmabus_verbs.h"
#include "org_rdmabus_verbs_rdma_impl_VerbsNative.h"

#define FN(name) JNICALL Java_org_rdmabus_verbs_rdma_impl_VerbsNative_##name

void rb_throw_message(JNIEnv *env, const char *message) {
    jclass type = (*env)->FindClass(env, "org/rdmabus/verbs/VerbsException");
    if (type != NULL) {
        (*env)->ThrowNew(env, type, message);
    }
}

void rb_throw(JNIEnv *env, const char *call, int error) {
    char message[256];
    snprintf(message, sizeof message, "%s failed: %s (errno %d)", call, strerror(error), error);
    rb_throw_message(env, message);
}

int rb_error_code(int ret) {
    if (ret > 0) {
        return ret;
    }
    return errno != 0 ? errno : EIO;
}

/* ---------------------------------------------------------------- loader and environment */

JNIEXPORT jint FN(abiVersion)(JNIEnv *env, jclass type) {
    return RDMABUS_ABI_VERSION;
}

JNIEXPORT jstring FN(loadGlobal)(JNIEnv *env, jclass type, jstring path) {
    const char *file = (*env)->GetStringUTFChars(env, path, NULL);
    if (file == NULL) {
        return NULL;
    }
    /* The JVM already mapped the file RTLD_LOCAL or not at all; this reference is kept for the process's life. */
    void *handle = dlopen(file, RTLD_NOW | RTLD_GLOBAL);
    (*env)->ReleaseStringUTFChars(env, path, file);
    if (handle == NULL) {
        const char *error = dlerror();
        return (*env)->NewStringUTF(env, error != NULL ? error : "dlopen failed");
    }
    return NULL;
}

JNIEXPORT jboolean FN(hasGlobalSymbol)(JNIEnv *env, jclass type, jstring symbol) {
    const char *name = (*env)->GetStringUTFChars(env, symbol, NULL);
    if (name == NULL) {
        return JNI_FALSE;
    }
    void *address = dlsym(RTLD_DEFAULT, name);
    (*env)->ReleaseStringUTFChars(env, symbol, name);
    return address != NULL ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jlong FN(bufferAddress)(JNIEnv *env, jclass type, jobject buffer) {
    /* NULL (0) for a buffer that is not direct: JNI's documented answer. */
    return rb_handle((*env)->GetDirectBufferAddress(env, buffer));
}

JNIEXPORT jlong FN(memlockLimit)(JNIEnv *env, jclass type) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_MEMLOCK, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
        return -1;
    }
    return (jlong) limit.rlim_cur;
}

/* ---------------------------------------------------------------- devices */

JNIEXPORT jobjectArray FN(deviceNames)(JNIEnv *env, jclass type) {
    int count = 0;
    errno = 0;
    struct ibv_device **devices = ibv_get_device_list(&count);
    if (devices == NULL) {
        rb_throw(env, "ibv_get_device_list", errno != 0 ? errno : ENOSYS);
        return NULL;
    }
    jclass string = (*env)->FindClass(env, "java/lang/String");
    jobjectArray names = string != NULL ? (*env)->NewObjectArray(env, count, string, NULL) : NULL;
    for (int i = 0; names != NULL && i < count; i++) {
        jstring name = (*env)->NewStringUTF(env, ibv_get_device_name(devices[i]));
        if (name == NULL) {
            names = NULL;
            break;
        }
        (*env)->SetObjectArrayElement(env, names, i, name);
        (*env)->DeleteLocalRef(env, name);
    }
    ibv_free_device_list(devices);
    return names;
}

JNIEXPORT jlong FN(openDevice)(JNIEnv *env, jclass type, jstring name) {
    const char *wanted = (*env)->GetStringUTFChars(env, name, NULL);
    if (wanted == NULL) {
        return 0;
    }
    int count = 0;
    struct ibv_device **devices = ibv_get_device_list(&count);
    struct ibv_context *context = NULL;
    int error = ENODEV;
    for (int i = 0; devices != NULL && i < count; i++) {
        if (strcmp(ibv_get_device_name(devices[i]), wanted) == 0) {
            context = ibv_open_device(devices[i]);
            error = context == NULL ? errno : 0;
            break;
        }
    }
    if (devices != NULL) {
        ibv_free_device_list(devices);
    }
    (*env)->ReleaseStringUTFChars(env, name, wanted);
    if (context == NULL) {
        rb_throw(env, "ibv_open_device", error);
        return 0;
    }
    return rb_handle(context);
}

JNIEXPORT void FN(closeDevice)(JNIEnv *env, jclass type, jlong context) {
    int ret = ibv_close_device(rb_ptr(context));
    if (ret != 0) {
        rb_throw(env, "ibv_close_device", rb_error_code(ret));
    }
}

JNIEXPORT void FN(queryDevice)(JNIEnv *env, jclass type, jlong context, jlongArray out) {
    struct ibv_device_attr attr;
    int ret = ibv_query_device(rb_ptr(context), &attr);
    if (ret != 0) {
        rb_throw(env, "ibv_query_device", rb_error_code(ret));
        return;
    }
    jlong values[] = {
        attr.max_qp_wr, attr.max_sge, attr.max_cqe, attr.max_srq_wr, attr.max_qp_rd_atom,
        attr.max_qp_init_rd_atom, attr.vendor_id, attr.vendor_part_id, attr.phys_port_cnt,
        (jlong) attr.max_mr_size, attr.max_qp,
    };
    (*env)->SetLongArrayRegion(env, out, 0, sizeof values / sizeof values[0], values);
}

JNIEXPORT void FN(queryPort)(JNIEnv *env, jclass type, jlong context, jint port, jlongArray out) {
    struct ibv_port_attr attr;
    int ret = ibv_query_port(rb_ptr(context), (uint8_t) port, &attr);
    if (ret != 0) {
        rb_throw(env, "ibv_query_port", rb_error_code(ret));
        return;
    }
    jlong values[] = {
        attr.state, attr.active_mtu, attr.lid, attr.link_layer, attr.gid_tbl_len, attr.max_msg_sz,
    };
    (*env)->SetLongArrayRegion(env, out, 0, sizeof values / sizeof values[0], values);
}

JNIEXPORT jint FN(queryGid)(JNIEnv *env, jclass type, jlong context, jint port, jint index, jbyteArray out) {
    struct ibv_gid_entry entry;
    memset(&entry, 0, sizeof entry);
    if (ibv_query_gid_ex(rb_ptr(context), (uint32_t) port, (uint32_t) index, &entry, 0) != 0) {
        /* ENODATA marks an empty slot; any other failure makes the slot unusable just the same. */
        return -1;
    }
    (*env)->SetByteArrayRegion(env, out, 0, 16, (const jbyte *) entry.gid.raw);
    switch (entry.gid_type) {
        case IBV_GID_TYPE_IB:
            return 0;
        case IBV_GID_TYPE_ROCE_V1:
            return 1;
        case IBV_GID_TYPE_ROCE_V2:
            return 2;
        default:
            return -1;
    }
}

/* ---------------------------------------------------------------- protection domains and memory */

JNIEXPORT jlong FN(allocPd)(JNIEnv *env, jclass type, jlong context) {
    struct ibv_pd *pd = ibv_alloc_pd(rb_ptr(context));
    if (pd == NULL) {
        rb_throw(env, "ibv_alloc_pd", errno);
        return 0;
    }
    return rb_handle(pd);
}

JNIEXPORT void FN(deallocPd)(JNIEnv *env, jclass type, jlong pd) {
    int ret = ibv_dealloc_pd(rb_ptr(pd));
    if (ret != 0) {
        rb_throw(env, "ibv_dealloc_pd", rb_error_code(ret));
    }
}

JNIEXPORT jlong FN(regMr)(JNIEnv *env, jclass type, jlong pd, jlong address, jlong length, jint access) {
    struct ibv_mr *mr = ibv_reg_mr(rb_ptr(pd), rb_ptr(address), (size_t) length, access);
    if (mr == NULL) {
        rb_throw(env, "ibv_reg_mr", errno);
        return 0;
    }
    return rb_handle(mr);
}

JNIEXPORT jint FN(mrLkey)(JNIEnv *env, jclass type, jlong mr) {
    return (jint) ((struct ibv_mr *) rb_ptr(mr))->lkey;
}

JNIEXPORT jint FN(mrRkey)(JNIEnv *env, jclass type, jlong mr) {
    return (jint) ((struct ibv_mr *) rb_ptr(mr))->rkey;
}

JNIEXPORT void FN(deregMr)(JNIEnv *env, jclass type, jlong mr) {
    int ret = ibv_dereg_mr(rb_ptr(mr));
    if (ret != 0) {
        rb_throw(env, "ibv_dereg_mr", rb_error_code(ret));
    }
}

/* ---------------------------------------------------------------- completion queues */

JNIEXPORT jlong FN(createCq)(JNIEnv *env, jclass type, jlong context, jint entries) {
    struct ibv_cq *cq = ibv_create_cq(rb_ptr(context), entries, NULL, NULL, 0);
    if (cq == NULL) {
        rb_throw(env, "ibv_create_cq", errno);
        return 0;
    }
    return rb_handle(cq);
}

JNIEXPORT void FN(destroyCq)(JNIEnv *env, jclass type, jlong cq) {
    int ret = ibv_destroy_cq(rb_ptr(cq));
    if (ret != 0) {
        rb_throw(env, "ibv_destroy_cq", rb_error_code(ret));
    }
}

/* The record layout is VerbsNative.COMPLETION_*; Java decodes it with an UnsafeBuffer. */
struct rb_completion {
    uint64_t wr_id;
    uint32_t status;
    uint32_t opcode;
    uint32_t byte_len;
    uint32_t immediate;
    uint32_t qp_num;
    uint32_t flags;
};

_Static_assert(sizeof(struct rb_completion) == 32, "completion record must stay 32 bytes");

#define POLL_BATCH 16

JNIEXPORT jint FN(pollCq)(JNIEnv *env, jclass type, jlong cq, jint max, jlong out) {
    struct ibv_wc batch[POLL_BATCH];
    struct rb_completion *records = rb_ptr(out);
    int taken = 0;
    while (taken < max) {
        int want = max - taken < POLL_BATCH ? max - taken : POLL_BATCH;
        int got = ibv_poll_cq(rb_ptr(cq), want, batch);
        if (got < 0) {
            return taken > 0 ? taken : -EIO;
        }
        for (int i = 0; i < got; i++) {
            struct rb_completion *record = &records[taken + i];
            record->wr_id = batch[i].wr_id;
            record->status = batch[i].status;
            record->opcode = batch[i].opcode;
            record->byte_len = batch[i].byte_len;
            record->immediate = (batch[i].wc_flags & IBV_WC_WITH_IMM) != 0 ? ntohl(batch[i].imm_data) : 0;
            record->qp_num = batch[i].qp_num;
            record->flags = batch[i].wc_flags;
        }
        taken += got;
        if (got < want) {
            break;
        }
    }
    return taken;
}

/* ---------------------------------------------------------------- shared receive queues */

JNIEXPORT jlong FN(createSrq)(JNIEnv *env, jclass type, jlong pd, jint max_wr) {
    struct ibv_srq_init_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr.max_wr = (uint32_t) max_wr;
    attr.attr.max_sge = 1;
    struct ibv_srq *srq = ibv_create_srq(rb_ptr(pd), &attr);
    if (srq == NULL) {
        rb_throw(env, "ibv_create_srq", errno);
        return 0;
    }
    return rb_handle(srq);
}

JNIEXPORT void FN(destroySrq)(JNIEnv *env, jclass type, jlong srq) {
    int ret = ibv_destroy_srq(rb_ptr(srq));
    if (ret != 0) {
        rb_throw(env, "ibv_destroy_srq", rb_error_code(ret));
    }
}

JNIEXPORT jint FN(postSrqReceive)(JNIEnv *env, jclass type, jlong srq, jlong wr_id, jlong address, jint length,
                                  jint lkey) {
    struct ibv_sge sge = {.addr = (uint64_t) address, .length = (uint32_t) length, .lkey = (uint32_t) lkey};
    struct ibv_recv_wr request = {.wr_id = (uint64_t) wr_id, .next = NULL, .sg_list = &sge, .num_sge = 1};
    struct ibv_recv_wr *bad = NULL;
    int ret = ibv_post_srq_recv(rb_ptr(srq), &request, &bad);
    return ret == 0 ? 0 : rb_error_code(ret);
}

/* ---------------------------------------------------------------- RC queue pairs */

static void write_caps(JNIEnv *env, jintArray caps, const struct ibv_qp_cap *cap) {
    jint values[] = {(jint) cap->max_inline_data, (jint) cap->max_send_wr};
    (*env)->SetIntArrayRegion(env, caps, 0, 2, values);
}

JNIEXPORT jlong FN(createRcQp)(JNIEnv *env, jclass type, jlong pd, jlong send_cq, jlong recv_cq, jlong srq,
                               jint max_send_wr, jint max_inline, jintArray caps) {
    struct ibv_qp_init_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.send_cq = rb_ptr(send_cq);
    attr.recv_cq = rb_ptr(recv_cq);
    attr.srq = rb_ptr(srq);
    attr.qp_type = IBV_QPT_RC;
    attr.sq_sig_all = 0;
    attr.cap.max_send_wr = (uint32_t) max_send_wr;
    attr.cap.max_send_sge = 1;
    attr.cap.max_inline_data = (uint32_t) max_inline;
    struct ibv_qp *qp = ibv_create_qp(rb_ptr(pd), &attr);
    if (qp == NULL) {
        rb_throw(env, "ibv_create_qp(RC)", errno);
        return 0;
    }
    write_caps(env, caps, &attr.cap);
    return rb_handle(qp);
}

JNIEXPORT jint FN(qpNumber)(JNIEnv *env, jclass type, jlong qp) {
    return (jint) ((struct ibv_qp *) rb_ptr(qp))->qp_num;
}

static void modify(JNIEnv *env, jlong qp, struct ibv_qp_attr *attr, int mask, const char *call) {
    int ret = ibv_modify_qp(rb_ptr(qp), attr, mask);
    if (ret != 0) {
        rb_throw(env, call, rb_error_code(ret));
    }
}

JNIEXPORT void FN(modifyRcInit)(JNIEnv *env, jclass type, jlong qp, jint port, jint access) {
    struct ibv_qp_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.qp_state = IBV_QPS_INIT;
    attr.pkey_index = 0;
    attr.port_num = (uint8_t) port;
    attr.qp_access_flags = (unsigned int) access;
    modify(env, qp, &attr, IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT | IBV_QP_ACCESS_FLAGS,
           "ibv_modify_qp(RESET->INIT)");
}

/* Fills the address vector of a peer; RoCE always routes by GID, InfiniBand only across subnets. */
static int fill_address(JNIEnv *env, struct ibv_ah_attr *ah, jint port, jint dlid, jbyteArray dgid,
                        jboolean global, jint sgid_index) {
    ah->port_num = (uint8_t) port;
    ah->dlid = (uint16_t) dlid;
    ah->sl = 0;
    ah->src_path_bits = 0;
    ah->is_global = global ? 1 : 0;
    if (global) {
        if (dgid == NULL || (*env)->GetArrayLength(env, dgid) != 16) {
            rb_throw_message(env, "a global route needs a 16-byte destination GID");
            return 0;
        }
        (*env)->GetByteArrayRegion(env, dgid, 0, 16, (jbyte *) ah->grh.dgid.raw);
        ah->grh.sgid_index = (uint8_t) sgid_index;
        ah->grh.hop_limit = 64;
        ah->grh.flow_label = 0;
        ah->grh.traffic_class = 0;
    }
    return 1;
}

JNIEXPORT void FN(modifyRcRtr)(JNIEnv *env, jclass type, jlong qp, jint port, jint mtu, jint remote_qpn,
                               jint remote_psn, jint dlid, jbyteArray dgid, jboolean global, jint sgid_index,
                               jint max_dest_rd_atomic, jint min_rnr_timer) {
    struct ibv_qp_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.qp_state = IBV_QPS_RTR;
    attr.path_mtu = (enum ibv_mtu) mtu;
    attr.dest_qp_num = (uint32_t) remote_qpn;
    attr.rq_psn = (uint32_t) remote_psn & 0xFFFFFF;
    attr.max_dest_rd_atomic = (uint8_t) max_dest_rd_atomic;
    attr.min_rnr_timer = (uint8_t) min_rnr_timer;
    if (!fill_address(env, &attr.ah_attr, port, dlid, dgid, global, sgid_index)) {
        return;
    }
    modify(env, qp, &attr,
           IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU | IBV_QP_DEST_QPN | IBV_QP_RQ_PSN
               | IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER,
           "ibv_modify_qp(INIT->RTR)");
}

JNIEXPORT void FN(modifyRcRts)(JNIEnv *env, jclass type, jlong qp, jint psn, jint timeout, jint retry_count,
                               jint rnr_retry, jint max_rd_atomic) {
    struct ibv_qp_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.qp_state = IBV_QPS_RTS;
    attr.sq_psn = (uint32_t) psn & 0xFFFFFF;
    attr.timeout = (uint8_t) timeout;
    attr.retry_cnt = (uint8_t) retry_count;
    attr.rnr_retry = (uint8_t) rnr_retry;
    attr.max_rd_atomic = (uint8_t) max_rd_atomic;
    modify(env, qp, &attr,
           IBV_QP_STATE | IBV_QP_SQ_PSN | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT | IBV_QP_RNR_RETRY
               | IBV_QP_MAX_QP_RD_ATOMIC,
           "ibv_modify_qp(RTR->RTS)");
}

JNIEXPORT void FN(modifyQpState)(JNIEnv *env, jclass type, jlong qp, jint state) {
    struct ibv_qp_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.qp_state = (enum ibv_qp_state) state;
    modify(env, qp, &attr, IBV_QP_STATE, "ibv_modify_qp(state)");
}

JNIEXPORT void FN(queryQp)(JNIEnv *env, jclass type, jlong qp, jintArray out) {
    struct ibv_qp_attr attr;
    struct ibv_qp_init_attr init;
    int ret = ibv_query_qp(rb_ptr(qp), &attr, IBV_QP_STATE | IBV_QP_SQ_PSN | IBV_QP_RQ_PSN, &init);
    if (ret != 0) {
        rb_throw(env, "ibv_query_qp", rb_error_code(ret));
        return;
    }
    jint values[] = {(jint) attr.qp_state, (jint) attr.sq_psn, (jint) attr.rq_psn};
    (*env)->SetIntArrayRegion(env, out, 0, 3, values);
}

JNIEXPORT void FN(destroyQp)(JNIEnv *env, jclass type, jlong qp) {
    int ret = ibv_destroy_qp(rb_ptr(qp));
    if (ret != 0) {
        rb_throw(env, "ibv_destroy_qp", rb_error_code(ret));
    }
}

JNIEXPORT jint FN(postSend)(JNIEnv *env, jclass type, jlong qp, jlong wr_id, jint opcode, jint flags,
                            jlong local_address, jint length, jint lkey, jlong remote_address, jint rkey,
                            jint immediate) {
    struct ibv_sge sge = {.addr = (uint64_t) local_address, .length = (uint32_t) length, .lkey = (uint32_t) lkey};
    struct ibv_send_wr request;
    memset(&request, 0, sizeof request);
    request.wr_id = (uint64_t) wr_id;
    request.sg_list = length > 0 ? &sge : NULL;
    request.num_sge = length > 0 ? 1 : 0;
    request.opcode = (enum ibv_wr_opcode) opcode;
    request.send_flags = (unsigned int) flags;
    request.imm_data = htonl((uint32_t) immediate);
    request.wr.rdma.remote_addr = (uint64_t) remote_address;
    request.wr.rdma.rkey = (uint32_t) rkey;
    struct ibv_send_wr *bad = NULL;
    int ret = ibv_post_send(rb_ptr(qp), &request, &bad);
    return ret == 0 ? 0 : rb_error_code(ret);
}

/* ---------------------------------------------------------------- address handles (UD and DC) */

JNIEXPORT jlong FN(createAh)(JNIEnv *env, jclass type, jlong pd, jint port, jint dlid, jbyteArray dgid,
                             jboolean global, jint sgid_index) {
    struct ibv_ah_attr attr;
    memset(&attr, 0, sizeof attr);
    if (!fill_address(env, &attr, port, dlid, dgid, global, sgid_index)) {
        return 0;
    }
    struct ibv_ah *ah = ibv_create_ah(rb_ptr(pd), &attr);
    if (ah == NULL) {
        rb_throw(env, "ibv_create_ah", errno);
        return 0;
    }
    return rb_handle(ah);
}

JNIEXPORT void FN(destroyAh)(JNIEnv *env, jclass type, jlong ah) {
    int ret = ibv_destroy_ah(rb_ptr(ah));
    if (ret != 0) {
        rb_throw(env, "ibv_destroy_ah", rb_error_code(ret));
    }
}

/* ---------------------------------------------------------------- UD queue pairs */

/* Every UD receive begins with room for the GRH, whether or not the packet carried one (IB spec 11.4.1.1). */
#define UD_GRH_BYTES 40

JNIEXPORT jlong FN(createUdQp)(JNIEnv *env, jclass type, jlong pd, jlong send_cq, jlong recv_cq, jint max_send_wr,
                               jint max_recv_wr, jint max_inline, jintArray caps) {
    struct ibv_qp_init_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.send_cq = rb_ptr(send_cq);
    attr.recv_cq = rb_ptr(recv_cq);
    attr.srq = NULL;
    attr.qp_type = IBV_QPT_UD;
    attr.sq_sig_all = 0;
    attr.cap.max_send_wr = (uint32_t) max_send_wr;
    attr.cap.max_recv_wr = (uint32_t) max_recv_wr;
    attr.cap.max_send_sge = 1;
    /* The GRH's scratch slot, the caller's payload buffer, the overflow scratch (see postUdReceive). */
    attr.cap.max_recv_sge = 3;
    attr.cap.max_inline_data = (uint32_t) max_inline;
    struct ibv_qp *qp = ibv_create_qp(rb_ptr(pd), &attr);
    if (qp == NULL) {
        rb_throw(env, "ibv_create_qp(UD)", errno);
        return 0;
    }
    write_caps(env, caps, &attr.cap);
    return rb_handle(qp);
}

JNIEXPORT void FN(modifyUdReady)(JNIEnv *env, jclass type, jlong qp, jint port, jint qkey, jint psn) {
    struct ibv_qp_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.qp_state = IBV_QPS_INIT;
    attr.pkey_index = 0;
    attr.port_num = (uint8_t) port;
    attr.qkey = (uint32_t) qkey;
    int ret = ibv_modify_qp(rb_ptr(qp), &attr, IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT | IBV_QP_QKEY);
    if (ret != 0) {
        rb_throw(env, "ibv_modify_qp(UD RESET->INIT)", rb_error_code(ret));
        return;
    }
    memset(&attr, 0, sizeof attr);
    attr.qp_state = IBV_QPS_RTR;
    ret = ibv_modify_qp(rb_ptr(qp), &attr, IBV_QP_STATE);
    if (ret != 0) {
        rb_throw(env, "ibv_modify_qp(UD INIT->RTR)", rb_error_code(ret));
        return;
    }
    memset(&attr, 0, sizeof attr);
    attr.qp_state = IBV_QPS_RTS;
    attr.sq_psn = (uint32_t) psn & 0xFFFFFF;
    modify(env, qp, &attr, IBV_QP_STATE | IBV_QP_SQ_PSN, "ibv_modify_qp(UD RTR->RTS)");
}

JNIEXPORT jint FN(postUdSend)(JNIEnv *env, jclass type, jlong qp, jlong ah, jint remote_qpn, jint remote_qkey,
                              jlong wr_id, jint flags, jlong local_address, jint length, jint lkey) {
    struct ibv_sge sge = {.addr = (uint64_t) local_address, .length = (uint32_t) length, .lkey = (uint32_t) lkey};
    struct ibv_send_wr request;
    memset(&request, 0, sizeof request);
    request.wr_id = (uint64_t) wr_id;
    request.sg_list = length > 0 ? &sge : NULL;
    request.num_sge = length > 0 ? 1 : 0;
    request.opcode = IBV_WR_SEND;
    request.send_flags = (unsigned int) flags;
    request.wr.ud.ah = rb_ptr(ah);
    request.wr.ud.remote_qpn = (uint32_t) remote_qpn;
    request.wr.ud.remote_qkey = (uint32_t) remote_qkey;
    struct ibv_send_wr *bad = NULL;
    int ret = ibv_post_send(rb_ptr(qp), &request, &bad);
    return ret == 0 ? 0 : rb_error_code(ret);
}

JNIEXPORT jint FN(postUdReceive)(JNIEnv *env, jclass type, jlong qp, jlong wr_id, jlong header_address,
                                 jint scratch_lkey, jlong address, jint length, jint lkey, jlong overflow_address,
                                 jint overflow_length) {
    /*
     * The NIC fills the scatter list in order: the GRH lands in the scratch slot, the payload in the caller's
     * buffer, and whatever a datagram has beyond the buffer in the shared overflow scratch. A UD receive too
     * small for its datagram moves the queue pair to ERROR (Soft-RoCE does), so with the overflow every receive
     * holds a full MTU and Java reports the too-long datagram as a failed receive instead.
     */
    struct ibv_sge sge[3];
    int count = 0;
    sge[count++] = (struct ibv_sge) {.addr = (uint64_t) header_address, .length = UD_GRH_BYTES,
                                     .lkey = (uint32_t) scratch_lkey};
    if (length > 0) {
        sge[count++] = (struct ibv_sge) {.addr = (uint64_t) address, .length = (uint32_t) length,
                                         .lkey = (uint32_t) lkey};
    }
    if (overflow_length > 0) {
        sge[count++] = (struct ibv_sge) {.addr = (uint64_t) overflow_address, .length = (uint32_t) overflow_length,
                                         .lkey = (uint32_t) scratch_lkey};
    }
    struct ibv_recv_wr request = {.wr_id = (uint64_t) wr_id, .next = NULL, .sg_list = sge, .num_sge = count};
    struct ibv_recv_wr *bad = NULL;
    int ret = ibv_post_recv(rb_ptr(qp), &request, &bad);
    return ret == 0 ? 0 : rb_error_code(ret);
}
