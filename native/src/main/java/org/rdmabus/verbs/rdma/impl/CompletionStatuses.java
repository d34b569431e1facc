package org.rdmabus.verbs.rdma.impl;

import org.rdmabus.verbs.CompletionStatus;

/** Maps {@code enum ibv_wc_status} onto the SPI's {@link CompletionStatus}. */
public final class CompletionStatuses {
    private static final CompletionStatus[] BY_CODE = {
        CompletionStatus.SUCCESS,                // IBV_WC_SUCCESS
        CompletionStatus.LOCAL_LENGTH,           // IBV_WC_LOC_LEN_ERR
        CompletionStatus.LOCAL_LENGTH,           // IBV_WC_LOC_QP_OP_ERR: a malformed request, e.g. too much inline
        CompletionStatus.LOCAL_LENGTH,           // IBV_WC_LOC_EEC_OP_ERR
        CompletionStatus.LOCAL_PROTECTION,       // IBV_WC_LOC_PROT_ERR
        CompletionStatus.FLUSHED,                // IBV_WC_WR_FLUSH_ERR
        CompletionStatus.LOCAL_PROTECTION,       // IBV_WC_MW_BIND_ERR
        CompletionStatus.REMOTE_INVALID_REQUEST, // IBV_WC_BAD_RESP_ERR
        CompletionStatus.LOCAL_PROTECTION,       // IBV_WC_LOC_ACCESS_ERR
        CompletionStatus.REMOTE_INVALID_REQUEST, // IBV_WC_REM_INV_REQ_ERR
        CompletionStatus.REMOTE_ACCESS,          // IBV_WC_REM_ACCESS_ERR
        CompletionStatus.REMOTE_INVALID_REQUEST, // IBV_WC_REM_OP_ERR
        CompletionStatus.RETRY_EXCEEDED,         // IBV_WC_RETRY_EXC_ERR
        CompletionStatus.RNR_RETRY_EXCEEDED,     // IBV_WC_RNR_RETRY_EXC_ERR
        CompletionStatus.REMOTE_ACCESS,          // IBV_WC_LOC_RDD_VIOL_ERR
        CompletionStatus.REMOTE_INVALID_REQUEST, // IBV_WC_REM_INV_RD_REQ_ERR
        CompletionStatus.REMOTE_INVALID_REQUEST, // IBV_WC_REM_ABORT_ERR
        CompletionStatus.REMOTE_INVALID_REQUEST, // IBV_WC_INV_EECN_ERR
        CompletionStatus.REMOTE_INVALID_REQUEST, // IBV_WC_INV_EEC_STATE_ERR
        CompletionStatus.RETRY_EXCEEDED,         // IBV_WC_FATAL_ERR: the device failed; the peer is unreachable
        CompletionStatus.RETRY_EXCEEDED,         // IBV_WC_RESP_TIMEOUT_ERR
        CompletionStatus.REMOTE_INVALID_REQUEST, // IBV_WC_GENERAL_ERR
    };

    private CompletionStatuses() {
    }

    /**
     * @param code an {@code ibv_wc_status}.
     * @return the SPI status; unknown codes (from a newer rdma-core) count as the remote refusing the request.
     */
    public static CompletionStatus of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : CompletionStatus.REMOTE_INVALID_REQUEST;
    }
}
