package org.originhub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.originhub.history.MessageState;

/**
 * When a partner's broker answers "duplicate", the forwarder counts the message as delivered only if this hub may
 * have sent it there before; otherwise someone else used the id first and the message was not delivered.
 */
class PartnerForwarderDuplicateRuleTest {

    @Test
    void aFirstSendOfANewMessageWasNeverThereBefore() {
        assertThat(PartnerForwarder.mayHaveSentBefore(1, false, 1, Optional.of(MessageState.SIGNED))).isFalse();
        assertThat(PartnerForwarder.mayHaveSentBefore(1, false, null, Optional.empty())).isFalse();
    }

    @Test
    void aRetryARedeliveryOrAReplayMayHaveReachedThePartner() {
        assertThat(PartnerForwarder.mayHaveSentBefore(2, false, 1, Optional.of(MessageState.SIGNED))).as("second attempt").isTrue();
        assertThat(PartnerForwarder.mayHaveSentBefore(1, true, 1, Optional.of(MessageState.SIGNED))).as("redelivered").isTrue();
        assertThat(PartnerForwarder.mayHaveSentBefore(1, false, 2, Optional.of(MessageState.SIGNED))).as("delivery count").isTrue();
        for (MessageState s : new MessageState[] {MessageState.FAILED, MessageState.REPLAYED, MessageState.SENT, MessageState.ACKNOWLEDGED}) {
            assertThat(PartnerForwarder.mayHaveSentBefore(1, false, 1, Optional.of(s))).as("history %s", s).isTrue();
        }
    }
}
