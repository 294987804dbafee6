package org.originhub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.originhub.OriginHubApplication;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.AcknowledgementStatusCode;
import org.originhub.dataset.v1.AcknowledgementType;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.exchange.HubHeaders;
import org.originhub.format.FormatContext;
import org.originhub.format.aladi.AladiCodFormat;
import org.originhub.format.ccd.CcdFormat;
import org.originhub.history.JdbcMessageHistory;
import org.originhub.history.MessageHistory;
import org.originhub.history.MessageState;
import org.originhub.signature.EnvelopeSigner;
import org.originhub.signature.KeyStores;
import org.originhub.signature.SigningKey;
import org.originhub.support.HubProperties;
import org.originhub.support.PartnerBroker.Jms;
import org.originhub.support.ProtonSender;
import org.originhub.support.ProtonSender.Body;
import org.originhub.xml.SecureXml;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The hub's inbound side with a sender that is neither Java nor Qpid JMS: partner BR's messages sent to
 * {@code hub.inbound} by a Qpid Proton (Python) client ({@link ProtonSender}) over the hub's AMQP acceptor, as the
 * account {@code partner-br} (which speaks for BR in the default configuration). A correctly signed BR → AR envelope,
 * as a data section or as an amqp-value string, reaches AR's single window as an ALADI COD and is RECEIVED and
 * DELIVERED in the history; a tampered one is taken by the broker ({@code accepted}) and then dead-lettered by the
 * hub's verification with its reason, and reaches no single window.
 */
class ProtonSenderInboundTest {
    static final long WAIT = 40_000;
    static final long NOTHING = 2_000;

    static Path dir;
    static HubProperties hub;
    static ConfigurableApplicationContext context;
    static SigningKey br;
    static final EnvelopeCodec codec = new EnvelopeCodec();
    static final EnvelopeSigner signer = new EnvelopeSigner();

    @BeforeAll
    static void startHub() throws Exception {
        // Under target/, so that a clean removes it (journals and history take tens of MB per run).
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target/partner-tests")), "proton-sender-");
        hub = new HubProperties(dir.resolve("hub"), "hub-proton-sender-test", 68);
        context = new SpringApplicationBuilder(OriginHubApplication.class).run(hub.asArgs());
        // The hub made BR's demo key at start: partner BR signs with it, as the default configuration expects.
        br = KeyStores.load(hub.keystore("BR"), "origin-hub-br", "br-key-test-password".toCharArray());
    }

    @AfterAll
    static void stopHub() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    @Timeout(180)
    void signedEnvelopesAsDataSectionsAreAcceptedDeliveredToArAsAladiCodAndRecorded() throws Exception {
        ExchangeEnvelope first = brToAr(null);
        ExchangeEnvelope second = brToAr(null);
        ProtonSender.Result sent = send(Body.DATA, Map.of(), file(first, signed(first)), file(second, signed(second)));

        assertThat(sent.exitCode()).as(sent.output()).isZero();
        assertThat(sent.lines()).as(sent.output()).hasSize(2).allMatch(l -> l.startsWith("accepted "));
        assertDeliveredAndRecorded(first, sent);
        assertDeliveredAndRecorded(second, sent);
    }

    @Test
    @Timeout(180)
    void signedEnvelopeAsAnAmqpValueStringIsDeliveredToo() throws Exception {
        ExchangeEnvelope env = brToAr(null);
        ProtonSender.Result sent = send(Body.STRING, Map.of(), file(env, signed(env)));

        assertThat(sent.exitCode()).as(sent.output()).isZero();
        assertThat(sent.lines()).as(sent.output()).singleElement().asString().startsWith("accepted ");
        assertDeliveredAndRecorded(env, sent);
    }

    @Test
    @Timeout(180)
    void tamperedEnvelopeIsAcceptedByTheBrokerThenDeadLetteredByTheHubAndNotDelivered() throws Exception {
        ExchangeEnvelope env = brToAr("GOODS-AS-SIGNED");
        String signed = new String(signed(env), StandardCharsets.UTF_8);
        assertThat(signed).contains("GOODS-AS-SIGNED");
        // Well-formed and schema-valid still; only the signature no longer matches.
        byte[] tampered = signed.replace("GOODS-AS-SIGNED", "GOODS-AS-CHANGED").getBytes(StandardCharsets.UTF_8);
        String testCase = "proton-tampered-" + UUID.randomUUID();
        ProtonSender.Result sent = send(Body.DATA, Map.of("testCase", testCase), file(env, tampered));

        // The broker took it: the hub verifies after, never at the AMQP transfer.
        assertThat(sent.exitCode()).as(sent.output()).isZero();
        assertThat(sent.lines()).as(sent.output()).singleElement().asString().startsWith("accepted ");

        Message dead = Jms.receiveSelected(hub.hubConnectionFactory(), "DLQ.hub.inbound", "testCase = '" + testCase + "'", WAIT);
        assertThat(dead).as("dead letter of the tampered message; sender said: %s", sent.output()).isNotNull();
        assertThat(dead.getStringProperty(HubHeaders.FAILURE_REASON)).isEqualTo("SIGNATURE_INVALID");
        assertThat(dead.getStringProperty(HubHeaders.FAILURE_DETAIL)).isNotBlank();
        assertThat(Jms.body(dead)).contains("GOODS-AS-CHANGED");
        String deadId = dead.getStringProperty(HubHeaders.MESSAGE_ID);
        await("the rejection in the history").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(history().find(deadId)).hasValueSatisfying(d -> assertThat(d.transitions())
                        .anySatisfy(t -> assertThat(t.reason()).startsWith("SIGNATURE_INVALID"))));
        assertThat(Jms.receiveSelected(hub.hubConnectionFactory(), "AR.sw.inbox",
                "OriginHubMessageId = '" + env.getHeader().getMessageId() + "'", NOTHING))
                .as("nothing delivered to AR").isNull();
        assertThat(history().find(env.getHeader().getMessageId())
                .map(d -> d.transitions().stream().map(MessageHistory.Transition::state).toList()).orElse(List.of()))
                .doesNotContain(MessageState.DELIVERED);
    }

    /** AR's single window has it as a schema-valid ALADI COD; the history says RECEIVED then DELIVERED. */
    private static void assertDeliveredAndRecorded(ExchangeEnvelope env, ProtonSender.Result sent) throws Exception {
        String id = env.getHeader().getMessageId();
        Message delivered = Jms.receiveSelected(hub.hubConnectionFactory(), "AR.sw.inbox", "OriginHubMessageId = '" + id + "'", WAIT);
        assertThat(delivered).as("%s delivered to AR's single window; sender said: %s", id, sent.output()).isNotNull();
        assertThat(delivered.getStringProperty(HubHeaders.SENDER)).isEqualTo("BR");
        assertThat(delivered.getStringProperty(HubHeaders.FORMAT)).isEqualTo("aladi-cod");
        // AladiCodFormat.parse validates against the ALADI XSD of the document's version: it throws if invalid.
        ExchangeEnvelope cod = new AladiCodFormat().parse(Jms.body(delivered).getBytes(StandardCharsets.UTF_8), FormatContext.of("AR"));
        // BR's number is no ALADI CertificateID: the COD carries one derived from it (AladiCodWriter), the header BR's.
        assertThat(cod.getHeader().getDocumentNumber()).startsWith("BRHUB");
        assertThat(delivered.getStringProperty(HubHeaders.DOCUMENT_NUMBER)).isEqualTo(env.getHeader().getDocumentNumber());
        await("RECEIVED and DELIVERED in the history of " + id).atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(history().find(id)).hasValueSatisfying(d -> assertThat(d.transitions())
                        .extracting(MessageHistory.Transition::state).contains(MessageState.RECEIVED, MessageState.DELIVERED)));
        // The round trip closes: the hub's Accepted acknowledgement reaches BR's single window (the default
        // configuration's partner BR is this same hub).
        Message ack = Jms.receiveSelected(hub.hubConnectionFactory(), "BR.sw.inbox", "OriginHubInReplyTo = '" + id + "'", WAIT);
        assertThat(ack).as("acknowledgement of %s", id).isNotNull();
        AcknowledgementType a = codec.read(Jms.body(ack).getBytes(StandardCharsets.UTF_8)).getBody().getAcknowledgement();
        assertThat(a.getStatus()).isIn(AcknowledgementStatusCode.ACCEPTED, AcknowledgementStatusCode.ACCEPTED_WITH_WARNINGS);
    }

    private static ProtonSender.Result send(Body body, Map<String, String> properties, Path... files) throws Exception {
        return ProtonSender.send(hub.amqpUrl(), "partner-br", HubProperties.PARTNER_BR_PASSWORD, body, properties, dir, files);
    }

    private static byte[] signed(ExchangeEnvelope env) {
        return SecureXml.serialize(signer.sign(codec.toDocument(env), br));
    }

    private static Path file(ExchangeEnvelope env, byte[] content) throws Exception {
        return Files.write(dir.resolve(env.getHeader().getMessageId() + ".xml"), content);
    }

    private static JdbcMessageHistory history() {
        return context.getBean(JdbcMessageHistory.class);
    }

    /** A fresh BR → AR certificate of origin in the common dataset (from the ccd sample), unsigned. */
    private static ExchangeEnvelope brToAr(String goodsDescription) throws Exception {
        ExchangeEnvelope env = new CcdFormat().parse(Files.readAllBytes(Path.of("samples/ccd/coo-br-ar-a18.xml")), FormatContext.of("BR"));
        env.getHeader().setMessageId(UUID.randomUUID().toString());
        String number = "BR-A18-" + UUID.randomUUID().toString().substring(0, 8);
        env.getHeader().setDocumentNumber(number);
        env.getBody().getCertificateOfOrigin().getDocument().setNumber(number);
        env.getHeader().setCreatedAt(OffsetDateTime.now(ZoneOffset.UTC));
        env.getHeader().setSchemaVersion(EnvelopeCodec.SCHEMA_VERSION);
        if (goodsDescription != null) {
            env.getBody().getCertificateOfOrigin().getGoodsItem().get(0).setDescription(goodsDescription);
        }
        return env;
    }
}
