package org.originhub.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.originhub.dataset.AcknowledgementFactory;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.AcknowledgementStatusCode;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.MessageTypeCode;

/** What the hub reads from an unverified message to know whom to answer: only a well-formed envelope's claims. */
class AcknowledgementsClaimedHeaderTest {
    final EnvelopeCodec codec = new EnvelopeCodec();
    final AcknowledgementFactory.Original original = new AcknowledgementFactory.Original(UUID.randomUUID().toString(), null,
            MessageTypeCode.CERTIFICATE_OF_ORIGIN, "BR", "AR", "BR-A18-1", LocalDate.of(2026, 11, 2), "A18");

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
