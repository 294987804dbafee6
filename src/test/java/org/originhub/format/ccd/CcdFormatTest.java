package org.originhub.format.ccd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.MessageTypeCode;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.format.FormatContext;

class CcdFormatTest {
    private static final FormatContext BR = FormatContext.of("BR");
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final CcdFormat format = new CcdFormat(codec);

    private static String sample() throws IOException {
        return Files.readString(Path.of("samples/ccd/coo-br-ar-a18.xml"), StandardCharsets.UTF_8);
    }

    private ExchangeEnvelope parse(String xml) {
        return format.parse(xml.getBytes(StandardCharsets.UTF_8), BR);
    }

    @Test
    void namesItself() {
        assertThat(format.name()).isEqualTo("ccd");
        assertThat(new CcdFormat().name()).isEqualTo("ccd");
    }

    @Test
    void readsTheSampleFromBrazilToArgentina() throws IOException {
        ExchangeEnvelope e = parse(sample());

        assertThat(e.getHeader().getMessageId()).isNull();
        assertThat(e.getHeader().getMessageType()).isEqualTo(MessageTypeCode.CERTIFICATE_OF_ORIGIN);
        assertThat(e.getHeader().getMessageFunction()).isEqualTo("9");
        assertThat(e.getHeader().getSender().getCountry()).isEqualTo("BR");
        assertThat(e.getHeader().getReceiver().getCountry()).isEqualTo("AR");
        assertThat(e.getHeader().getDocumentNumber()).isEqualTo("BR-A18-2025-004522");
        assertThat(e.getHeader().getSchemaVersion()).isEqualTo("1.0");
        var co = e.getBody().getCertificateOfOrigin();
        assertThat(co.getDocument().getIssuingAuthority().getName()).contains("São Paulo");
        assertThat(co.getGoodsItem()).hasSize(2);
        assertThat(co.getGoodsItem().get(1).getOriginCriterion().getPercent()).isEqualByComparingTo("60");
        assertThat(e.getAny()).isNull();
    }

    @Test
    void roundTripsOnceTheHubHasFilledTheHeader() throws IOException {
        ExchangeEnvelope e = parse(sample());
        e.getHeader().setMessageId(UUID.randomUUID().toString());

        byte[] rendered = format.render(e, FormatContext.of("AR"));
        ExchangeEnvelope again = parse(new String(rendered, StandardCharsets.UTF_8));

        assertThat(new String(rendered, StandardCharsets.UTF_8)).startsWith("<?xml").doesNotContain("Signature");
        assertThat(format.render(again, FormatContext.of("AR"))).isEqualTo(rendered);
        assertThat(codec.read(rendered).getHeader().getMessageId()).isEqualTo(e.getHeader().getMessageId());
    }

    @Test
    void acceptsAnEnvelopeWithoutAnyHubAssignedField() throws IOException {
        String xml = sample().replaceAll("\\s*<CreatedAt>[^<]*</CreatedAt>", "")
                .replaceAll("\\s*<SchemaVersion>[^<]*</SchemaVersion>", "");

        ExchangeEnvelope e = parse(xml);

        assertThat(e.getHeader().getMessageId()).isNull();
        assertThat(e.getHeader().getCreatedAt()).isNull();
        assertThat(e.getHeader().getSchemaVersion()).isNull();
        assertThat(e.getHeader().getDocumentIssueDate()).hasToString("2025-03-11");
    }

    @Test
    void keepsHubAssignedFieldsTheSingleWindowSent() throws IOException {
        String id = "0b4f6a52-4a0e-4f8e-9a51-7a1b2c3d4e5f";
        String xml = sample().replace("<Header>", "<Header>\n    <MessageId>" + id + "</MessageId>");

        ExchangeEnvelope e = parse(xml);

        assertThat(e.getHeader().getMessageId()).isEqualTo(id);
        assertThat(e.getHeader().getCreatedAt()).isEqualTo(OffsetDateTime.parse("2025-03-11T14:25:00-03:00"));
    }

    @Test
    void stillChecksTheHubAssignedFieldsWhenPresent() throws IOException {
        String xml = sample().replace("<SchemaVersion>1.0</SchemaVersion>", "<SchemaVersion>2.0</SchemaVersion>");

        assertRejected(() -> parse(xml), RejectionReason.SCHEMA_INVALID);
    }

    @Test
    void rejectsAnEnvelopeThatBreaksTheSchema() throws IOException {
        assertRejected(() -> parse(sample().replace("<Country>AR</Country>\n      <AuthorityId>DGA", "<Country>ARG</Country>\n      <AuthorityId>DGA")),
                RejectionReason.SCHEMA_INVALID);
        assertRejected(() -> parse(sample().replaceAll("\\s*<DocumentNumber>[^<]*</DocumentNumber>", "")),
                RejectionReason.SCHEMA_INVALID);
        assertRejected(() -> parse(sample().replaceAll("(?s)<GoodsItem>.*</GoodsItem>", "")),
                RejectionReason.SCHEMA_INVALID);
    }

    @Test
    void refusesExternalEntities() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE ExchangeEnvelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <ExchangeEnvelope xmlns="urn:originhub:exchange:v1"><Header><MessageType>&xxe;</MessageType></Header></ExchangeEnvelope>
                """;

        assertRejected(() -> parse(xxe), RejectionReason.UNPARSEABLE);
    }

    @Test
    void refusesWhatIsNotXml() {
        assertRejected(() -> parse("{\"iD\": 1}"), RejectionReason.UNPARSEABLE);
    }

    @Test
    void dropsASignatureFromTheSingleWindowAndNeverRendersOne() throws IOException {
        String signed = sample().replace("</Body>", "</Body>\n  <ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo/></ds:Signature>");

        ExchangeEnvelope e = parse(signed);
        assertThat(e.getAny()).isNull();

        ExchangeEnvelope withSignature = codec.read(signed.replace("<Header>",
                "<Header><MessageId>0b4f6a52-4a0e-4f8e-9a51-7a1b2c3d4e5f</MessageId>").getBytes(StandardCharsets.UTF_8));
        assertThat(withSignature.getAny()).isNotNull();
        assertThat(new String(format.render(withSignature, BR), StandardCharsets.UTF_8)).doesNotContain("Signature");
    }

    @Test
    void rendersOnlyCompleteEnvelopes() throws IOException {
        ExchangeEnvelope withoutMessageId = parse(sample());

        assertRejected(() -> format.render(withoutMessageId, BR), RejectionReason.SCHEMA_INVALID);
    }

    private static void assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, RejectionReason reason) {
        assertThatThrownBy(call).isInstanceOf(MessageRejectedException.class)
                .satisfies(t -> assertThat(((MessageRejectedException) t).reason()).isEqualTo(reason));
    }
}
