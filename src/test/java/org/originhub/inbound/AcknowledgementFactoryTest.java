package org.originhub.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.originhub.dataset.EnvelopeCodec;
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

    @Test
    void claimedHeaderIsReadOnlyFromAWellFormedEnvelopeNamingSenderAndMessageId() {
        ExchangeEnvelope ack = AcknowledgementFactory.acknowledge(original, "AR", AcknowledgementStatusCode.ACCEPTED, List.of());
        Optional<AcknowledgementFactory.Original> claimed = Acknowledgements.claimedHeader(codec.write(ack));
        assertThat(claimed).get().satisfies(o -> {
            assertThat(o.senderCountry()).isEqualTo("AR");
            assertThat(o.messageType()).isEqualTo(MessageTypeCode.ACKNOWLEDGEMENT);
        });
        assertThat(Acknowledgements.claimedHeader("<not-xml".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(Acknowledgements.claimedHeader("<a xmlns='urn:other'/>".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(Acknowledgements.claimedHeader(("<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
                + "<ExchangeEnvelope xmlns='urn:originhub:exchange:v1'><Header><MessageId>&e;</MessageId></Header></ExchangeEnvelope>")
                .getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}
