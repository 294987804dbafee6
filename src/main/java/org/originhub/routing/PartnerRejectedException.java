package org.originhub.routing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.qpid.jms.provider.ProviderException;

/**
 * The partner's broker settled a delivery with the AMQP {@code rejected} outcome: it refuses this message, for the
 * reason in its error condition and description. Permanent (no retry).
 *
 * <p>How Qpid JMS 2.9 surfaces the outcomes: {@code rejected} becomes a {@link ProviderException} (or a subclass
 * chosen by the condition: security, resource allocation, invalid destination) made by
 * {@code AmqpSupport.convertToNonFatalException} in {@code AmqpFixedProducer.applyDeliveryStateUpdate}, with the
 * message "description [condition = name]"; {@code released} and {@code modified} become
 * {@code ProviderDeliveryReleasedException} / {@code ProviderDeliveryModifiedException}; a link or connection closed
 * under a pending send, other {@code ProviderException}s made elsewhere. A rejection is therefore recognized by the
 * frame that made it, which no other failure has.
 */
public class PartnerRejectedException extends Exception {
    private static final Pattern WITH_CONDITION = Pattern.compile("(?s)(.*) \\[condition = ([^\\]]*)\\]");

    private final String condition;
    private final String description;

    public PartnerRejectedException(String partner, String condition, String description, Throwable cause) {
        super("partner " + partner + " rejected the message: " + (condition == null ? "" : condition + ": ") + description, cause);
        this.condition = condition;
        this.description = description;
    }

    /** The AMQP error condition the partner gave (e.g. {@code amqp:precondition-failed}), or null. */
    public String condition() {
        return condition;
    }

    /** The partner's description of why it refused the message. */
    public String description() {
        return description;
    }

    /** The rejection a send failure stands for, or null if it is no {@code rejected} outcome. */
    static PartnerRejectedException from(String partner, Throwable failure) {
        if (failure instanceof PartnerRejectedException r) {
            return r;
        }
        if (PartnerSender.releasedOrModified(failure)) {
            return null;
        }
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ProviderException && madeByOutcome(c)) {
                String message = String.valueOf(c.getMessage());
                Matcher m = WITH_CONDITION.matcher(message);
                return m.matches() ? new PartnerRejectedException(partner, m.group(2), m.group(1), failure)
                        : new PartnerRejectedException(partner, null, message, failure);
            }
        }
        return null;
    }

    private static boolean madeByOutcome(Throwable t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().equals("org.apache.qpid.jms.provider.amqp.AmqpFixedProducer")
                    && frame.getMethodName().equals("applyDeliveryStateUpdate")) {
                return true;
            }
        }
        return false;
    }
}
