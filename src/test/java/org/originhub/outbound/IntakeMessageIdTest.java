package org.originhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A document without its own messageId gets one that is the same on every redelivery of its outbox message. */
class IntakeMessageIdTest {

    @Test
    void theSameOutboxMessageAlwaysGetsTheSameMessageId() {
        String id = SingleWindowIntake.messageIdFor("AR", "ID:0a3ad8b1-f004-11f1-99e9-02fc00000001");
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(SingleWindowIntake.messageIdFor("AR", "ID:0a3ad8b1-f004-11f1-99e9-02fc00000001")).isEqualTo(id);
        assertThat(SingleWindowIntake.messageIdFor("AR", "ID:0a3ad8b1-f004-11f1-99e9-02fc00000002")).isNotEqualTo(id);
        assertThat(SingleWindowIntake.messageIdFor("BR", "ID:0a3ad8b1-f004-11f1-99e9-02fc00000001")).isNotEqualTo(id);
        assertThat(SingleWindowIntake.messageIdFor("AR", null)).isNotEqualTo(SingleWindowIntake.messageIdFor("AR", null));
    }
}
