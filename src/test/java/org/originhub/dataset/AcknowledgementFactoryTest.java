package org.originhub.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.originhub.dataset.v1.AcknowledgementStatusCode;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.MessageTypeCode;

class AcknowledgementFactoryTest {
    final EnvelopeCodec codec = new EnvelopeCodec();
    final String id = UUID.randomUUID().toString();
    final AcknowledgementFactory.Original original = new AcknowledgementFactory.Original(id, null,
            MessageTypeCode.CERTIFICATE_OF_ORIGIN, "BR", "AR", "BR-A18-1", LocalDate.of(2026, 11, 2), "A18");

    @Test
    void rejectionAnswersTheMessageWithTheRuleThatFailedAndIsSchemaValid() {
        ExchangeEnvelope ack = AcknowledgementFactory.acknowledge(original, "AR", AcknowledgementStatusCode.REJECTED,
                List.of(new AcknowledgementFactory.Reason("SIGNATURE_INVALID", "changed after signing", false)));

        ExchangeEnvelope read = codec.read(codec.write(ack));
        assertThat(read.getHeader().getInReplyTo()).isEqualTo(id);
        assertThat(read.getHeader().getCorrelationId()).isEqualTo(id);
        assertThat(read.getHeader().getMessageId()).isNotEqualTo(id);
        assertThat(read.getHeader().getMessageType()).isEqualTo(MessageTypeCode.ACKNOWLEDGEMENT);
        assertThat(read.getHeader().getMessageFunction()).isEqualTo("27");
        assertThat(read.getHeader().getSender().getCountry()).isEqualTo("AR");
        assertThat(read.getHeader().getReceiver().getCountry()).isEqualTo("BR");
        assertThat(read.getHeader().getDocumentNumber()).isEqualTo("BR-A18-1");
        assertThat(read.getBody().getAcknowledgement().getStatus()).isEqualTo(AcknowledgementStatusCode.REJECTED);
        assertThat(read.getBody().getAcknowledgement().getAcknowledgedMessageType()).isEqualTo(MessageTypeCode.CERTIFICATE_OF_ORIGIN);
        assertThat(read.getBody().getAcknowledgement().getReason()).singleElement()
                .satisfies(r -> {
                    assertThat(r.getCode()).isEqualTo("SIGNATURE_INVALID");
                    assertThat(r.getSeverity()).isEqualTo("Error");
                });
    }

    @Test
    void acceptanceUsesFunction29AndAVeryLongReasonStaysWithinTheSchema() {
        ExchangeEnvelope ack = AcknowledgementFactory.acknowledge(original, "AR", AcknowledgementStatusCode.ACCEPTED_WITH_WARNINGS,
                List.of(new AcknowledgementFactory.Reason("W", "x".repeat(5000), true)));
        ExchangeEnvelope read = codec.read(codec.write(ack));
        assertThat(read.getHeader().getMessageFunction()).isEqualTo("29");
        assertThat(read.getBody().getAcknowledgement().getReason().get(0).getText()).hasSizeLessThanOrEqualTo(2048);
    }
}
