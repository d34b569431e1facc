/*
 * Dynamically Connected transport through rdma-core's mlx5 direct verbs. The address handles DC initiators post
 * with are plain verbs objects, shared with UD queue pairs, and live in rdmabus_verbs.c.
 *
 * libmlx5 is opened with dlopen on first use instead of being linked, so this library loads, and RC keeps
 * working, on hosts without it; DC is then reported unsupported with the reason. Only the four mlx5dv
 * functions below are called; the mlx5dv_wr_* helpers are inline wrappers over function pointers that the
 * queue pair itself carries.
 *
 * Not exercised on hardware in this project's CI (Soft-RoCE has no DC); see native/README.md.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <infiniband/mlx5dv.h>
#include <infiniband/verbs.h>

#include "rdmabus_verbs.h"
#include "org_rdmabus_verbs_rdma_impl_VerbsNative.h"

#define FN(name) JNICALL Java_org_rdmabus_verbs_rdma_impl_VerbsNative_##name

struct mlx5_functions {
    bool (*is_supported)(struct ibv_device *device);
    int (*query_device)(struct ibv_context *context, struct mlx5dv_context *attrs);
    struct ibv_qp *(*create_qp)(struct ibv_context *context, struct ibv_qp_init_attr_ex *attr,
                                struct mlx5dv_qp_init_attr *dv_attr);
    struct mlx5dv_qp_ex *(*qp_ex_from_ibv_qp_ex)(struct ibv_qp_ex *qp);
    char error[256];
};

static struct mlx5_functions mlx5;
static pthread_once_t mlx5_once = PTHREAD_ONCE_INIT;

static void load_mlx5(void) {
    void *library = dlopen("libmlx5.so.1", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *error = dlerror();
        snprintf(mlx5.error, sizeof mlx5.error, "libmlx5.so.1 not loadable: %s", error != NULL ? error : "?");
        return;
    }
    *(void **) &mlx5.is_supported = dlsym(library, "mlx5dv_is_supported");
    *(void **) &mlx5.query_device = dlsym(library, "mlx5dv_query_device");
    *(void **) &mlx5.create_qp = dlsym(library, "mlx5dv_create_qp");
    *(void **) &mlx5.qp_ex_from_ibv_qp_ex = dlsym(library, "mlx5dv_qp_ex_from_ibv_qp_ex");
    if (mlx5.is_supported == NULL || mlx5.query_device == NULL || mlx5.create_qp == NULL
        || mlx5.qp_ex_from_ibv_qp_ex == NULL) {
        snprintf(mlx5.error, sizeof mlx5.error, "libmlx5.so.1 lacks the DC functions (rdma-core too old)");
        mlx5.create_qp = NULL;
    }
}

static int mlx5_ready(void) {
    pthread_once(&mlx5_once, load_mlx5);
    return mlx5.create_qp != NULL;
}

JNIEXPORT jstring FN(dcUnsupportedReason)(JNIEnv *env, jclass type, jlong context_handle) {
    struct ibv_context *context = rb_ptr(context_handle);
    if (!mlx5_ready()) {
        return (*env)->NewStringUTF(env, mlx5.error);
    }
    if (!mlx5.is_supported(context->device)) {
        char message[160];
        snprintf(message, sizeof message, "%s is not an mlx5 device", ibv_get_device_name(context->device));
        return (*env)->NewStringUTF(env, message);
    }
    struct mlx5dv_context attrs;
    memset(&attrs, 0, sizeof attrs);
    if (mlx5.query_device(context, &attrs) != 0) {
        return (*env)->NewStringUTF(env, "mlx5dv_query_device failed");
    }
    return NULL;
}

static void write_caps(JNIEnv *env, jintArray caps, const struct ibv_qp_cap *cap) {
    jint values[] = {(jint) cap->max_inline_data, (jint) cap->max_send_wr};
    (*env)->SetIntArrayRegion(env, caps, 0, 2, values);
}

JNIEXPORT jlong FN(createDci)(JNIEnv *env, jclass type, jlong context, jlong pd, jlong cq, jint max_send_wr,
                              jint max_inline, jintArray caps) {
    if (!mlx5_ready()) {
        rb_throw_message(env, mlx5.error);
        return 0;
    }
    struct ibv_qp_init_attr_ex attr;
    memset(&attr, 0, sizeof attr);
    attr.qp_type = IBV_QPT_DRIVER;
    attr.send_cq = rb_ptr(cq);
    attr.recv_cq = rb_ptr(cq);
    attr.pd = rb_ptr(pd);
    attr.comp_mask = IBV_QP_INIT_ATTR_PD | IBV_QP_INIT_ATTR_SEND_OPS_FLAGS;
    attr.send_ops_flags = IBV_QP_EX_WITH_SEND | IBV_QP_EX_WITH_RDMA_WRITE | IBV_QP_EX_WITH_RDMA_WRITE_WITH_IMM
                          | IBV_QP_EX_WITH_RDMA_READ;
    attr.cap.max_send_wr = (uint32_t) max_send_wr;
    attr.cap.max_send_sge = 1;
    attr.cap.max_inline_data = (uint32_t) max_inline;
    struct mlx5dv_qp_init_attr dv;
    memset(&dv, 0, sizeof dv);
    dv.comp_mask = MLX5DV_QP_INIT_ATTR_MASK_DC;
    dv.dc_init_attr.dc_type = MLX5DV_DCTYPE_DCI;
    struct ibv_qp *qp = mlx5.create_qp(rb_ptr(context), &attr, &dv);
    if (qp == NULL) {
        rb_throw(env, "mlx5dv_create_qp(DCI)", errno);
        return 0;
    }
    write_caps(env, caps, &attr.cap);
    return rb_handle(qp);
}

static int modify(JNIEnv *env, struct ibv_qp *qp, struct ibv_qp_attr *attr, int mask, const char *call) {
    int ret = ibv_modify_qp(qp, attr, mask);
    if (ret != 0) {
        rb_throw(env, call, rb_error_code(ret));
        return 0;
    }
    return 1;
}

/* The local half of an address vector: DC queue pairs need the port, and on RoCE the source GID. */
static void local_address(struct ibv_ah_attr *ah, jint port, jboolean global, jint sgid_index) {
    ah->port_num = (uint8_t) port;
    ah->is_global = global ? 1 : 0;
    if (global) {
        ah->grh.sgid_index = (uint8_t) sgid_index;
        ah->grh.hop_limit = 64;
    }
}

JNIEXPORT void FN(connectDci)(JNIEnv *env, jclass type, jlong qp_handle, jint port, jint mtu, jboolean global,
                              jint sgid_index, jint timeout, jint retry_count, jint rnr_retry, jint max_rd_atomic) {
    struct ibv_qp *qp = rb_ptr(qp_handle);
    struct ibv_qp_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.qp_state = IBV_QPS_INIT;
    attr.pkey_index = 0;
    attr.port_num = (uint8_t) port;
    if (!modify(env, qp, &attr, IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT, "ibv_modify_qp(DCI RESET->INIT)")) {
        return;
    }
    memset(&attr, 0, sizeof attr);
    attr.qp_state = IBV_QPS_RTR;
    attr.path_mtu = (enum ibv_mtu) mtu;
    local_address(&attr.ah_attr, port, global, sgid_index);
    if (!modify(env, qp, &attr, IBV_QP_STATE | IBV_QP_PATH_MTU | IBV_QP_AV, "ibv_modify_qp(DCI INIT->RTR)")) {
        return;
    }
    memset(&attr, 0, sizeof attr);
    attr.qp_state = IBV_QPS_RTS;
    attr.timeout = (uint8_t) timeout;
    attr.retry_cnt = (uint8_t) retry_count;
    attr.rnr_retry = (uint8_t) rnr_retry;
    attr.sq_psn = 0;
    attr.max_rd_atomic = (uint8_t) max_rd_atomic;
    modify(env, qp, &attr,
           IBV_QP_STATE | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT | IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN
               | IBV_QP_MAX_QP_RD_ATOMIC,
           "ibv_modify_qp(DCI RTR->RTS)");
}

JNIEXPORT jlong FN(createDct)(JNIEnv *env, jclass type, jlong context, jlong pd, jlong cq, jlong srq,
                              jlong access_key, jint port, jint mtu, jboolean global, jint sgid_index, jint access,
                              jint min_rnr_timer) {
    if (!mlx5_ready()) {
        rb_throw_message(env, mlx5.error);
        return 0;
    }
    struct ibv_qp_init_attr_ex init;
    memset(&init, 0, sizeof init);
    init.qp_type = IBV_QPT_DRIVER;
    init.send_cq = rb_ptr(cq);
    init.recv_cq = rb_ptr(cq);
    init.srq = rb_ptr(srq);
    init.pd = rb_ptr(pd);
    init.comp_mask = IBV_QP_INIT_ATTR_PD;
    struct mlx5dv_qp_init_attr dv;
    memset(&dv, 0, sizeof dv);
    dv.comp_mask = MLX5DV_QP_INIT_ATTR_MASK_DC;
    dv.dc_init_attr.dc_type = MLX5DV_DCTYPE_DCT;
    dv.dc_init_attr.dct_access_key = (uint64_t) access_key;
    struct ibv_qp *qp = mlx5.create_qp(rb_ptr(context), &init, &dv);
    if (qp == NULL) {
        rb_throw(env, "mlx5dv_create_qp(DCT)", errno);
        return 0;
    }
    struct ibv_qp_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.qp_state = IBV_QPS_INIT;
    attr.pkey_index = 0;
    attr.port_num = (uint8_t) port;
    attr.qp_access_flags = (unsigned int) access;
    int ok = modify(env, qp, &attr, IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT | IBV_QP_ACCESS_FLAGS,
                    "ibv_modify_qp(DCT RESET->INIT)");
    if (ok) {
        memset(&attr, 0, sizeof attr);
        attr.qp_state = IBV_QPS_RTR;
        attr.path_mtu = (enum ibv_mtu) mtu;
        attr.min_rnr_timer = (uint8_t) min_rnr_timer;
        local_address(&attr.ah_attr, port, global, sgid_index);
        ok = modify(env, qp, &attr, IBV_QP_STATE | IBV_QP_PATH_MTU | IBV_QP_AV | IBV_QP_MIN_RNR_TIMER,
                    "ibv_modify_qp(DCT INIT->RTR)");
    }
    if (!ok) {
        ibv_destroy_qp(qp);
        return 0;
    }
    return rb_handle(qp);
}

JNIEXPORT jint FN(postDc)(JNIEnv *env, jclass type, jlong qp_handle, jlong ah, jint dct_number, jlong access_key,
                          jlong wr_id, jint opcode, jint flags, jlong local_address, jint length, jint lkey,
                          jlong remote_address, jint rkey, jint immediate) {
    struct ibv_qp_ex *qpx = ibv_qp_to_qp_ex(rb_ptr(qp_handle));
    if (qpx == NULL || mlx5.qp_ex_from_ibv_qp_ex == NULL) {
        return EINVAL;
    }
    struct mlx5dv_qp_ex *dv = mlx5.qp_ex_from_ibv_qp_ex(qpx);
    ibv_wr_start(qpx);
    qpx->wr_id = (uint64_t) wr_id;
    qpx->wr_flags = (unsigned int) flags & ~(unsigned int) IBV_SEND_INLINE;
    switch (opcode) {
        case IBV_WR_SEND:
            ibv_wr_send(qpx);
            break;
        case IBV_WR_RDMA_WRITE:
            ibv_wr_rdma_write(qpx, (uint32_t) rkey, (uint64_t) remote_address);
            break;
        case IBV_WR_RDMA_WRITE_WITH_IMM:
            ibv_wr_rdma_write_imm(qpx, (uint32_t) rkey, (uint64_t) remote_address, htonl((uint32_t) immediate));
            break;
        case IBV_WR_RDMA_READ:
            ibv_wr_rdma_read(qpx, (uint32_t) rkey, (uint64_t) remote_address);
            break;
        default:
            ibv_wr_abort(qpx);
            return EINVAL;
    }
    mlx5dv_wr_set_dc_addr(dv, rb_ptr(ah), (uint32_t) dct_number, (uint64_t) access_key);
    if ((flags & IBV_SEND_INLINE) != 0) {
        ibv_wr_set_inline_data(qpx, rb_ptr(local_address), (size_t) length);
    } else if (length > 0) {
        ibv_wr_set_sge(qpx, (uint32_t) lkey, (uint64_t) local_address, (uint32_t) length);
    } else {
        ibv_wr_set_sge_list(qpx, 0, NULL);
    }
    int ret = ibv_wr_complete(qpx);
    return ret == 0 ? 0 : rb_error_code(ret);
}
