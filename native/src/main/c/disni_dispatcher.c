/*
 * The native half of DiSNI 2.1: the 48 methods that com.ibm.disni.verbs.impl.NativeDispatcher declares,
 * implemented over libibverbs and librdmacm for rdmabus.
 *
 * The contract, as DiSNI's Java classes use it:
 *   - Every verbs or rdma_cm object is handed to Java as its native address ("objId"). Java treats a negative
 *     objId as "not created", so addresses go out as-is and failures throw java.io.IOException instead.
 *   - Structures that Java builds (work requests, scatter lists, socket addresses) and structures that Java
 *     reads (work completions, the ids of a CM event, memory keys) live in direct buffers whose addresses are
 *     passed as jlong. Java lays work requests out exactly as struct ibv_send_wr / ibv_recv_wr, with absolute
 *     next and sg_list pointers, after asking this library for the struct sizes and offsets; completions are
 *     read back in struct ibv_wc layout. So posting and polling hand those buffers straight to libibverbs.
 *   - DiSNI acknowledges a CM event only by its type, so each event is acknowledged here as soon as its ids
 *     and type are copied out. rdma_destroy_id then never waits for an unacknowledged event.
 *   - RdmaCqProvider destroys the completion channel before the CQ bound to it. libibverbs refuses that with
 *     EBUSY; the channel is then remembered in the CQ's context and destroyed together with its last CQ.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jni.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <infiniband/verbs.h>
#include <rdma/rdma_cma.h>

/* DiSNI 2.1 refuses a native library that reports another interface version. */
#define DISNI_INTERFACE_VERSION 32
/* rdma_create_qp needs scatter/gather limits that DiSNI does not pass; this bounds each work request. */
#define DISNI_MAX_SGE 4

#define DISNI(name) JNICALL Java_com_ibm_disni_verbs_impl_NativeDispatcher__1##name

/* A completion channel and whether Java already asked to destroy it while CQs still used it. */
struct disni_channel {
    struct ibv_comp_channel *channel;
    int close_requested;
    int cq_count;
};

static inline void *from_handle(jlong handle) {
    return (void *) (uintptr_t) handle;
}

static inline jlong to_handle(const void *pointer) {
    return (jlong) (uintptr_t) pointer;
}

static void throw_io(JNIEnv *env, const char *call, int error) {
    char message[256];
    snprintf(message, sizeof message, "%s failed: %s (errno %d)", call, strerror(error), error);
    jclass type = (*env)->FindClass(env, "java/io/IOException");
    if (type != NULL) {
        (*env)->ThrowNew(env, type, message);
    }
}

/* Null handles come from closed or never-created Java objects; fail like a verbs call rather than crash. */
static int require(JNIEnv *env, const void *pointer, const char *call) {
    if (pointer == NULL) {
        throw_io(env, call, EINVAL);
        return 0;
    }
    return 1;
}

/* librdmacm and libibverbs report failures as -1 with errno, or as a positive errno; normalise to errno. */
static inline int failure_code(int ret) {
    return ret > 0 ? ret : (errno != 0 ? errno : EIO);
}

/* ---------------------------------------------------------------- rdma_cm */

JNIEXPORT jlong DISNI(createEventChannel)(JNIEnv *env, jobject self) {
    struct rdma_event_channel *channel = rdma_create_event_channel();
    if (channel == NULL) {
        throw_io(env, "rdma_create_event_channel", errno);
        return -1;
    }
    return to_handle(channel);
}

JNIEXPORT jlong DISNI(createId)(JNIEnv *env, jobject self, jlong channel, jshort port_space) {
    struct rdma_cm_id *id = NULL;
    if (!require(env, from_handle(channel), "rdma_create_id")) {
        return -1;
    }
    int ret = rdma_create_id(from_handle(channel), &id, NULL, (enum rdma_port_space) (uint16_t) port_space);
    if (ret != 0) {
        throw_io(env, "rdma_create_id", failure_code(ret));
        return -1;
    }
    return to_handle(id);
}

JNIEXPORT jlong DISNI(createQP)(JNIEnv *env, jobject self, jlong id_handle, jlong pd, jlong send_cq, jlong recv_cq,
                                jint qp_type, jint max_send_wr, jint max_recv_wr, jint max_inline) {
    struct rdma_cm_id *id = from_handle(id_handle);
    if (!require(env, id, "rdma_create_qp") || !require(env, id->verbs, "rdma_create_qp (id not bound to a device)")) {
        return -1;
    }
    struct ibv_device_attr device;
    int sge = DISNI_MAX_SGE;
    if (ibv_query_device(id->verbs, &device) == 0 && device.max_sge < sge) {
        sge = device.max_sge;
    }
    struct ibv_qp_init_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.send_cq = from_handle(send_cq);
    attr.recv_cq = from_handle(recv_cq);
    attr.qp_type = (enum ibv_qp_type) qp_type;
    attr.cap.max_send_wr = (uint32_t) max_send_wr;
    attr.cap.max_recv_wr = (uint32_t) max_recv_wr;
    attr.cap.max_send_sge = (uint32_t) sge;
    attr.cap.max_recv_sge = (uint32_t) sge;
    attr.cap.max_inline_data = (uint32_t) max_inline;
    int ret = rdma_create_qp(id, from_handle(pd), &attr);
    if (ret != 0) {
        throw_io(env, "rdma_create_qp", failure_code(ret));
        return -1;
    }
    return to_handle(id->qp);
}

/* Java writes family, port and address of a sockaddr_in; copy them so stale bytes in the buffer never matter. */
static struct sockaddr_in read_sockaddr_in(jlong address) {
    const struct sockaddr_in *in = from_handle(address);
    struct sockaddr_in copy;
    memset(&copy, 0, sizeof copy);
    copy.sin_family = in->sin_family;
    copy.sin_port = in->sin_port;
    copy.sin_addr = in->sin_addr;
    return copy;
}

JNIEXPORT void DISNI(bindAddr)(JNIEnv *env, jobject self, jlong id, jlong address) {
    if (!require(env, from_handle(id), "rdma_bind_addr") || !require(env, from_handle(address), "rdma_bind_addr")) {
        return;
    }
    struct sockaddr_in in = read_sockaddr_in(address);
    int ret = rdma_bind_addr(from_handle(id), (struct sockaddr *) &in);
    if (ret != 0) {
        throw_io(env, "rdma_bind_addr", failure_code(ret));
    }
}

JNIEXPORT void DISNI(listen)(JNIEnv *env, jobject self, jlong id, jint backlog) {
    if (!require(env, from_handle(id), "rdma_listen")) {
        return;
    }
    int ret = rdma_listen(from_handle(id), backlog);
    if (ret != 0) {
        throw_io(env, "rdma_listen", failure_code(ret));
    }
}

JNIEXPORT void DISNI(resolveAddr)(JNIEnv *env, jobject self, jlong id, jlong source, jlong destination,
                                  jint timeout_ms) {
    if (!require(env, from_handle(id), "rdma_resolve_addr")
        || !require(env, from_handle(destination), "rdma_resolve_addr")) {
        return;
    }
    struct sockaddr_in src;
    struct sockaddr_in dst = read_sockaddr_in(destination);
    if (source != 0) {
        src = read_sockaddr_in(source);
    }
    int ret = rdma_resolve_addr(from_handle(id), source != 0 ? (struct sockaddr *) &src : NULL,
                                (struct sockaddr *) &dst, timeout_ms);
    if (ret != 0) {
        throw_io(env, "rdma_resolve_addr", failure_code(ret));
    }
}

JNIEXPORT void DISNI(resolveRoute)(JNIEnv *env, jobject self, jlong id, jint timeout_ms) {
    if (!require(env, from_handle(id), "rdma_resolve_route")) {
        return;
    }
    int ret = rdma_resolve_route(from_handle(id), timeout_ms);
    if (ret != 0) {
        throw_io(env, "rdma_resolve_route", failure_code(ret));
    }
}

/* Returns the event type, or -1 when none arrived within the timeout (milliseconds; negative waits forever). */
JNIEXPORT jint DISNI(getCmEvent)(JNIEnv *env, jobject self, jlong channel_handle, jlong listen_id_out,
                                 jlong conn_id_out, jint timeout_ms) {
    struct rdma_event_channel *channel = from_handle(channel_handle);
    if (channel == NULL || listen_id_out == 0 || conn_id_out == 0) {
        return -1;
    }
    struct pollfd ready = {.fd = channel->fd, .events = POLLIN, .revents = 0};
    if (poll(&ready, 1, timeout_ms) <= 0 || (ready.revents & POLLIN) == 0) {
        return -1;
    }
    struct rdma_cm_event *event = NULL;
    if (rdma_get_cm_event(channel, &event) != 0) {
        return -1;
    }
    uint64_t listen_id = (uintptr_t) event->listen_id;
    uint64_t conn_id = (uintptr_t) event->id;
    memcpy(from_handle(listen_id_out), &listen_id, sizeof listen_id);
    memcpy(from_handle(conn_id_out), &conn_id, sizeof conn_id);
    jint type = (jint) event->event;
    rdma_ack_cm_event(event);
    return type;
}

/*
 * DiSNI passes no read depths, but RDMA READ needs them: ask for as many outstanding READs as the device
 * allows. librdmacm lowers them to what the peer offers during the exchange.
 */
static void fill_read_depths(struct rdma_cm_id *id, struct rdma_conn_param *param) {
    struct ibv_device_attr device;
    if (id->verbs != NULL && ibv_query_device(id->verbs, &device) == 0) {
        param->responder_resources = (uint8_t) (device.max_qp_rd_atom > 255 ? 255 : device.max_qp_rd_atom);
        param->initiator_depth = (uint8_t) (device.max_qp_init_rd_atom > 255 ? 255 : device.max_qp_init_rd_atom);
    }
}

JNIEXPORT void DISNI(connect)(JNIEnv *env, jobject self, jlong id_handle, jint retry_count, jint rnr_retry_count,
                              jlong private_data, jbyte private_data_length) {
    struct rdma_cm_id *id = from_handle(id_handle);
    if (!require(env, id, "rdma_connect")) {
        return;
    }
    struct rdma_conn_param param;
    memset(&param, 0, sizeof param);
    fill_read_depths(id, &param);
    param.retry_count = (uint8_t) retry_count;
    param.rnr_retry_count = (uint8_t) rnr_retry_count;
    if (private_data != 0 && private_data_length != 0) {
        param.private_data = from_handle(private_data);
        param.private_data_len = (uint8_t) private_data_length;
    }
    int ret = rdma_connect(id, &param);
    if (ret != 0) {
        throw_io(env, "rdma_connect", failure_code(ret));
    }
}

JNIEXPORT void DISNI(accept)(JNIEnv *env, jobject self, jlong id_handle, jint retry_count, jint rnr_retry_count) {
    struct rdma_cm_id *id = from_handle(id_handle);
    if (!require(env, id, "rdma_accept")) {
        return;
    }
    struct rdma_conn_param param;
    memset(&param, 0, sizeof param);
    fill_read_depths(id, &param);
    param.retry_count = (uint8_t) retry_count;
    param.rnr_retry_count = (uint8_t) rnr_retry_count;
    int ret = rdma_accept(id, &param);
    if (ret != 0) {
        throw_io(env, "rdma_accept", failure_code(ret));
    }
}

/* Events are acknowledged as soon as they are read (see the file comment), so nothing is left to do. */
JNIEXPORT jint DISNI(ackCmEvent)(JNIEnv *env, jobject self, jint event_type) {
    return 0;
}

JNIEXPORT jint DISNI(disconnect)(JNIEnv *env, jobject self, jlong id) {
    if (from_handle(id) == NULL) {
        return -EINVAL;
    }
    return rdma_disconnect(from_handle(id)) == 0 ? 0 : -errno;
}

JNIEXPORT jint DISNI(destroyEventChannel)(JNIEnv *env, jobject self, jlong channel) {
    if (from_handle(channel) != NULL) {
        rdma_destroy_event_channel(from_handle(channel));
    }
    return 0;
}

JNIEXPORT jint DISNI(destroyCmId)(JNIEnv *env, jobject self, jlong id) {
    if (from_handle(id) == NULL) {
        return -EINVAL;
    }
    return rdma_destroy_id(from_handle(id)) == 0 ? 0 : -errno;
}

JNIEXPORT jint DISNI(destroyQP)(JNIEnv *env, jobject self, jlong id) {
    if (from_handle(id) == NULL) {
        return -EINVAL;
    }
    rdma_destroy_qp(from_handle(id));
    return 0;
}

static jint copy_ipv4(const struct sockaddr *address, jlong out) {
    if (address == NULL || out == 0 || address->sa_family != AF_INET) {
        return -1;
    }
    memcpy(from_handle(out), address, sizeof(struct sockaddr_in));
    return 0;
}

JNIEXPORT jint DISNI(getSrcAddr)(JNIEnv *env, jobject self, jlong id, jlong out) {
    return from_handle(id) == NULL ? -1 : copy_ipv4(rdma_get_local_addr(from_handle(id)), out);
}

JNIEXPORT jint DISNI(getDstAddr)(JNIEnv *env, jobject self, jlong id, jlong out) {
    return from_handle(id) == NULL ? -1 : copy_ipv4(rdma_get_peer_addr(from_handle(id)), out);
}

JNIEXPORT jint DISNI(destroyEp)(JNIEnv *env, jobject self, jlong id) {
    if (from_handle(id) != NULL) {
        rdma_destroy_ep(from_handle(id));
    }
    return 0;
}

/* ---------------------------------------------------------------- verbs */

JNIEXPORT jlong DISNI(allocPd)(JNIEnv *env, jobject self, jlong context) {
    if (!require(env, from_handle(context), "ibv_alloc_pd")) {
        return -1;
    }
    struct ibv_pd *pd = ibv_alloc_pd(from_handle(context));
    if (pd == NULL) {
        throw_io(env, "ibv_alloc_pd", errno);
        return -1;
    }
    return to_handle(pd);
}

JNIEXPORT jlong DISNI(createCompChannel)(JNIEnv *env, jobject self, jlong context) {
    if (!require(env, from_handle(context), "ibv_create_comp_channel")) {
        return -1;
    }
    struct disni_channel *wrapper = calloc(1, sizeof *wrapper);
    if (wrapper == NULL) {
        throw_io(env, "ibv_create_comp_channel", ENOMEM);
        return -1;
    }
    wrapper->channel = ibv_create_comp_channel(from_handle(context));
    if (wrapper->channel == NULL) {
        int error = errno;
        free(wrapper);
        throw_io(env, "ibv_create_comp_channel", error);
        return -1;
    }
    return to_handle(wrapper);
}

JNIEXPORT jlong DISNI(createCQ)(JNIEnv *env, jobject self, jlong context, jlong channel_handle, jint entries,
                                jint vector) {
    struct disni_channel *wrapper = from_handle(channel_handle);
    if (!require(env, from_handle(context), "ibv_create_cq")) {
        return -1;
    }
    struct ibv_cq *cq = ibv_create_cq(from_handle(context), entries, wrapper,
                                      wrapper != NULL ? wrapper->channel : NULL, vector);
    if (cq == NULL) {
        throw_io(env, "ibv_create_cq", errno);
        return -1;
    }
    if (wrapper != NULL) {
        wrapper->cq_count++;
    }
    return to_handle(cq);
}

/* DiSNI 2.1 always passes a null attribute: rdma_cm drives the state transitions, so there is nothing to do. */
JNIEXPORT jint DISNI(modifyQP)(JNIEnv *env, jobject self, jlong qp, jlong attr) {
    if (!require(env, from_handle(qp), "ibv_modify_qp")) {
        return -1;
    }
    if (attr != 0) {
        throw_io(env, "ibv_modify_qp (attributes are not part of DiSNI 2.1's interface)", ENOTSUP);
        return -1;
    }
    return 0;
}

JNIEXPORT jlong DISNI(regMr)(JNIEnv *env, jobject self, jlong pd, jlong address, jint length, jint access,
                             jlong lkey_out, jlong rkey_out, jlong handle_out) {
    if (!require(env, from_handle(pd), "ibv_reg_mr")) {
        return -1;
    }
    struct ibv_mr *mr = ibv_reg_mr(from_handle(pd), from_handle(address), (size_t) (uint32_t) length, access);
    if (mr == NULL) {
        throw_io(env, "ibv_reg_mr", errno);
        return -1;
    }
    uint32_t lkey = mr->lkey, rkey = mr->rkey, handle = mr->handle;
    memcpy(from_handle(lkey_out), &lkey, sizeof lkey);
    memcpy(from_handle(rkey_out), &rkey, sizeof rkey);
    memcpy(from_handle(handle_out), &handle, sizeof handle);
    return to_handle(mr);
}

/* The on-demand-paging capabilities of RC, as IBV_ODP_SUPPORT_* bits; -1 when the device cannot say. */
JNIEXPORT jint DISNI(queryOdpSupport)(JNIEnv *env, jobject self, jlong context) {
    if (from_handle(context) == NULL) {
        return -1;
    }
    struct ibv_device_attr_ex attr;
    memset(&attr, 0, sizeof attr);
    if (ibv_query_device_ex(from_handle(context), NULL, &attr) != 0) {
        return -1;
    }
    if ((attr.odp_caps.general_caps & IBV_ODP_SUPPORT) == 0) {
        return 0;
    }
    return (jint) attr.odp_caps.per_transport_caps.rc_odp_caps;
}

/* DiSNI's "experimental prefetch" maps to rdma-core's ibv_advise_mr, which only on-demand-paging MRs accept. */
JNIEXPORT jint DISNI(expPrefetchMr)(JNIEnv *env, jobject self, jlong mr_handle, jlong address, jint length) {
    struct ibv_mr *mr = from_handle(mr_handle);
    if (!require(env, mr, "ibv_advise_mr")) {
        return -1;
    }
    struct ibv_sge range = {.addr = (uint64_t) address, .length = (uint32_t) length, .lkey = mr->lkey};
    int ret = ibv_advise_mr(mr->pd, IBV_ADVISE_MR_ADVICE_PREFETCH, IBV_ADVISE_MR_FLAG_FLUSH, &range, 1);
    if (ret != 0) {
        throw_io(env, "ibv_advise_mr", failure_code(ret));
        return -1;
    }
    return 0;
}

JNIEXPORT void DISNI(deregMr)(JNIEnv *env, jobject self, jlong mr) {
    if (!require(env, from_handle(mr), "ibv_dereg_mr")) {
        return;
    }
    int ret = ibv_dereg_mr(from_handle(mr));
    if (ret != 0) {
        throw_io(env, "ibv_dereg_mr", failure_code(ret));
    }
}

JNIEXPORT void DISNI(postSend)(JNIEnv *env, jobject self, jlong qp, jlong requests) {
    if (!require(env, from_handle(qp), "ibv_post_send") || !require(env, from_handle(requests), "ibv_post_send")) {
        return;
    }
    struct ibv_send_wr *bad = NULL;
    int ret = ibv_post_send(from_handle(qp), from_handle(requests), &bad);
    if (ret != 0) {
        throw_io(env, "ibv_post_send", failure_code(ret));
    }
}

JNIEXPORT void DISNI(postRecv)(JNIEnv *env, jobject self, jlong qp, jlong requests) {
    if (!require(env, from_handle(qp), "ibv_post_recv") || !require(env, from_handle(requests), "ibv_post_recv")) {
        return;
    }
    struct ibv_recv_wr *bad = NULL;
    int ret = ibv_post_recv(from_handle(qp), from_handle(requests), &bad);
    if (ret != 0) {
        throw_io(env, "ibv_post_recv", failure_code(ret));
    }
}

/* Returns 0 when an event was taken (Java acknowledges it later), -1 when none arrived within the timeout. */
JNIEXPORT jint DISNI(getCqEvent)(JNIEnv *env, jobject self, jlong channel_handle, jint timeout_ms) {
    struct disni_channel *wrapper = from_handle(channel_handle);
    if (!require(env, wrapper, "ibv_get_cq_event")) {
        return -1;
    }
    struct pollfd ready = {.fd = wrapper->channel->fd, .events = POLLIN, .revents = 0};
    if (poll(&ready, 1, timeout_ms) <= 0 || (ready.revents & POLLIN) == 0) {
        return -1;
    }
    struct ibv_cq *cq = NULL;
    void *context = NULL;
    if (ibv_get_cq_event(wrapper->channel, &cq, &context) != 0) {
        return -1;
    }
    return 0;
}

JNIEXPORT jint DISNI(pollCQ)(JNIEnv *env, jobject self, jlong cq, jint count, jlong completions) {
    if (!require(env, from_handle(cq), "ibv_poll_cq") || !require(env, from_handle(completions), "ibv_poll_cq")) {
        return -1;
    }
    return ibv_poll_cq(from_handle(cq), count, from_handle(completions));
}

JNIEXPORT jint DISNI(reqNotifyCQ)(JNIEnv *env, jobject self, jlong cq, jint solicited_only) {
    if (!require(env, from_handle(cq), "ibv_req_notify_cq")) {
        return -1;
    }
    return ibv_req_notify_cq(from_handle(cq), solicited_only);
}

JNIEXPORT jint DISNI(ackCqEvent)(JNIEnv *env, jobject self, jlong cq, jint count) {
    if (from_handle(cq) == NULL || count <= 0) {
        return -1;
    }
    ibv_ack_cq_events(from_handle(cq), (unsigned int) count);
    return 0;
}

JNIEXPORT jint DISNI(destroyCompChannel)(JNIEnv *env, jobject self, jlong channel_handle) {
    struct disni_channel *wrapper = from_handle(channel_handle);
    if (wrapper == NULL) {
        return -EINVAL;
    }
    if (wrapper->cq_count > 0) {
        wrapper->close_requested = 1;
        return 0;
    }
    int ret = ibv_destroy_comp_channel(wrapper->channel);
    if (ret != 0) {
        return -failure_code(ret);
    }
    free(wrapper);
    return 0;
}

JNIEXPORT jint DISNI(deallocPd)(JNIEnv *env, jobject self, jlong pd) {
    if (from_handle(pd) == NULL) {
        return -EINVAL;
    }
    int ret = ibv_dealloc_pd(from_handle(pd));
    return ret == 0 ? 0 : -failure_code(ret);
}

JNIEXPORT jint DISNI(destroyCQ)(JNIEnv *env, jobject self, jlong cq_handle) {
    struct ibv_cq *cq = from_handle(cq_handle);
    if (cq == NULL) {
        return -EINVAL;
    }
    struct disni_channel *wrapper = cq->cq_context;
    int ret = ibv_destroy_cq(cq);
    if (ret != 0) {
        return -failure_code(ret);
    }
    if (wrapper != NULL && --wrapper->cq_count == 0 && wrapper->close_requested) {
        if (ibv_destroy_comp_channel(wrapper->channel) == 0) {
            free(wrapper);
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- field lookups */

/* Returns -1, not an error, while the id is not yet bound to a device, so Java asks again later. */
JNIEXPORT jlong DISNI(getContext)(JNIEnv *env, jobject self, jlong id) {
    struct rdma_cm_id *cm_id = from_handle(id);
    if (!require(env, cm_id, "rdma_cm_id->verbs")) {
        return -1;
    }
    return cm_id->verbs != NULL ? to_handle(cm_id->verbs) : -1;
}

JNIEXPORT jint DISNI(getQpNum)(JNIEnv *env, jobject self, jlong qp) {
    if (!require(env, from_handle(qp), "ibv_qp->qp_num")) {
        return -1;
    }
    return (jint) ((struct ibv_qp *) from_handle(qp))->qp_num;
}

JNIEXPORT jint DISNI(getContextFd)(JNIEnv *env, jobject self, jlong context) {
    if (!require(env, from_handle(context), "ibv_context->cmd_fd")) {
        return -1;
    }
    return ((struct ibv_context *) from_handle(context))->cmd_fd;
}

JNIEXPORT jint DISNI(getContextNumCompVectors)(JNIEnv *env, jobject self, jlong context) {
    if (!require(env, from_handle(context), "ibv_context->num_comp_vectors")) {
        return -1;
    }
    return ((struct ibv_context *) from_handle(context))->num_comp_vectors;
}

JNIEXPORT jint DISNI(getPdHandle)(JNIEnv *env, jobject self, jlong pd) {
    if (!require(env, from_handle(pd), "ibv_pd->handle")) {
        return -1;
    }
    return (jint) ((struct ibv_pd *) from_handle(pd))->handle;
}

/* ---------------------------------------------------------------- layout checks */

JNIEXPORT jint DISNI(getSockAddrInSize)(JNIEnv *env, jobject self) {
    return (jint) sizeof(struct sockaddr_in);
}

JNIEXPORT jint DISNI(getIbvRecvWRSize)(JNIEnv *env, jobject self) {
    return (jint) sizeof(struct ibv_recv_wr);
}

JNIEXPORT jint DISNI(getIbvSendWRSize)(JNIEnv *env, jobject self) {
    return (jint) sizeof(struct ibv_send_wr);
}

JNIEXPORT jint DISNI(getIbvSgeSize)(JNIEnv *env, jobject self) {
    return (jint) sizeof(struct ibv_sge);
}

JNIEXPORT jint DISNI(getIbvWCSize)(JNIEnv *env, jobject self) {
    return (jint) sizeof(struct ibv_wc);
}

JNIEXPORT jint DISNI(getRemoteAddressOffset)(JNIEnv *env, jobject self) {
    return (jint) offsetof(struct ibv_send_wr, wr.rdma.remote_addr);
}

JNIEXPORT jint DISNI(getRKeyOffset)(JNIEnv *env, jobject self) {
    return (jint) offsetof(struct ibv_send_wr, wr.rdma.rkey);
}

JNIEXPORT jint DISNI(getVersion)(JNIEnv *env, jobject self) {
    return DISNI_INTERFACE_VERSION;
}

/*
 * The JNI entry point of a library named "disni" that is already in the process's global symbol scope.
 * rdmabus loads this file with RTLD_GLOBAL before DiSNI's static initializer runs; System.loadLibrary("disni")
 * then finds this symbol and treats the library as built in (JNI 1.8), with no java.library.path involved.
 */
JNIEXPORT jint JNICALL JNI_OnLoad_disni(JavaVM *vm, void *reserved) {
    return JNI_VERSION_1_8;
}
