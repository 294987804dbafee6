package org.originhub.exchange;

/**
 * A permanent fault: the message can never succeed as it is. The error handling sends it to the dead-letter
 * queue of the route's input at once (no retry), with the {@link RejectionReason} and detail in headers.
 */
public class MessageRejectedException extends RuntimeException {
    private final RejectionReason reason;

    public MessageRejectedException(RejectionReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public MessageRejectedException(RejectionReason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    public RejectionReason reason() {
        return reason;
    }

    /**
     * The failure code of any error, as dead-letter headers and negative acknowledgements carry it: the rejection
     * reason's name for a permanent fault, {@code FAILED} for anything else (a transient fault that exhausted its retries).
     */
    public static String reasonCodeOf(Throwable error) {
        return error instanceof MessageRejectedException r ? r.reason().name() : "FAILED";
    }

    /** The reason and its detail in one line, for headers, logs and acknowledgements. */
    public String explanation() {
        return reason.description() + ": " + getMessage();
    }
}
