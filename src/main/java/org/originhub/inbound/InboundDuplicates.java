package org.originhub.inbound;

import org.apache.camel.Exchange;
import org.originhub.exchange.HopTransaction;
import org.originhub.exchange.HubHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The receiving hub's duplicate check: the partners' messageIds already delivered (sender and messageId, kept in the
 * hub's database for at least the message age window, see {@link InboundMessageIds}). A key is remembered only once
 * the hop's broker transaction has committed ({@link HopTransaction}), so a crash before the commit never turns the
 * redelivered message into a "duplicate" that nobody delivers. (A crash in the
 * instant after the commit and before the key is written can let a partner's later resend through once more; the
 * broker's duplicate detection on the inbound address, by the _AMQ_DUPL_ID the sending hub sets, stops that resend.)
 */
@Component("inboundDuplicates")
public class InboundDuplicates {
    private static final Logger log = LoggerFactory.getLogger(InboundDuplicates.class);
    private final InboundMessageIds repository;

    public InboundDuplicates(InboundMessageIds repository) {
        this.repository = repository;
    }

    /** Whether the message's sender and messageId were delivered before. */
    public boolean seenBefore(Exchange exchange) {
        String key = exchange.getMessage().getHeader(HubHeaders.IDEMPOTENCY_KEY, String.class);
        return key != null && repository.contains(key);
    }

    /**
     * Remembers the message's key once the hop's broker transaction has committed (at once outside a hop): never for
     * a message the broker still holds and will redeliver.
     */
    public void rememberOnCommit(Exchange exchange) {
        String key = exchange.getMessage().getHeader(HubHeaders.IDEMPOTENCY_KEY, String.class);
        if (key == null) {
            return;
        }
        HopTransaction.afterCommit(() -> {
            // The message is delivered already: a database failure here must not look like a failed delivery.
            try {
                repository.add(key);
            } catch (RuntimeException e) {
                log.warn("Delivered partner message {} but could not remember it (a repeat would be delivered "
                        + "again unless the broker's duplicate detection stops it): {}", key, e.toString());
            }
        });
    }
}
