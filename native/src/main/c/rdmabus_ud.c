/*
 * Unreliable Datagram queue pairs: the connectionless path every verbs device has. The pool sends the first
 * exchange with a new peer this way on devices without DC, then moves to RC. Receives come from a shared
 * receive queue whose buffers are posted with two scatter entries, so the 40-byte GRH that every UD receive
 * starts with lands in a scratch area and the caller's buffer holds the payload alone (see
 * RdmaSharedReceiveQueue's header bytes).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <infiniband/verbs.h>

#include "rdmabus_verbs.h"
#include "org_rdmabus_verbs_rdma_impl_VerbsNative.h"

#define FN(name) JNICALL Java_org_rdmabus_verbs_rdma_impl_VerbsNative_##name

JNIEXPORT jlong FN(createUdQp)(JNIEnv *env, jclass type, jlong pd, jlong send_cq, jlong recv_cq, jlong srq,
                               jint max_send_wr, jint max_inline, jintArray caps) {
    struct ibv_qp_init_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.send_cq = rb_ptr(send_cq);
    attr.recv_cq = rb_ptr(recv_cq);
    attr.srq = rb_ptr(srq);
    attr.qp_type = IBV_QPT_UD;
    attr.sq_sig_all = 0;
    attr.cap.max_send_wr = (uint32_t) max_send_wr;
    attr.cap.max_send_sge = 1;
    attr.cap.max_inline_data = (uint32_t) max_inline;
    struct ibv_qp *qp = ibv_create_qp(rb_ptr(pd), &attr);
    if (qp == NULL) {
        rb_throw(env, "ibv_create_qp(UD)", errno);
        return 0;
    }
    jint values[] = {(jint) attr.cap.max_inline_data, (jint) attr.cap.max_send_wr};
    (*env)->SetIntArrayRegion(env, caps, 0, 2, values);
    return rb_handle(qp);
}

/* RESET -> INIT -> RTR -> RTS: a UD queue pair needs no peer, only its port and the key datagrams must carry. */
JNIEXPORT void FN(modifyUdReady)(JNIEnv *env, jclass type, jlong qp, jint port, jint qkey) {
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
    attr.sq_psn = 0;
    ret = ibv_modify_qp(rb_ptr(qp), &attr, IBV_QP_STATE | IBV_QP_SQ_PSN);
    if (ret != 0) {
        rb_throw(env, "ibv_modify_qp(UD RTR->RTS)", rb_error_code(ret));
    }
}

JNIEXPORT jint FN(postUd)(JNIEnv *env, jclass type, jlong qp, jlong ah, jint remote_qpn, jint remote_qkey,
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

JNIEXPORT jint FN(postSrqReceiveWithHeader)(JNIEnv *env, jclass type, jlong srq, jlong wr_id, jlong header_address,
                                            jint header_length, jint header_lkey, jlong address, jint length,
                                            jint lkey) {
    struct ibv_sge sge[2] = {
        {.addr = (uint64_t) header_address, .length = (uint32_t) header_length, .lkey = (uint32_t) header_lkey},
        {.addr = (uint64_t) address, .length = (uint32_t) length, .lkey = (uint32_t) lkey},
    };
    struct ibv_recv_wr request = {.wr_id = (uint64_t) wr_id, .next = NULL, .sg_list = sge, .num_sge = 2};
    struct ibv_recv_wr *bad = NULL;
    int ret = ibv_post_srq_recv(rb_ptr(srq), &request, &bad);
    return ret == 0 ? 0 : rb_error_code(ret);
}
