package org.originhub.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.AcknowledgementStatusCode;
import org.originhub.dataset.v1.AcknowledgementType;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.MessageTypeCode;
import org.originhub.exchange.HubHeaders;
import org.originhub.format.FormatContext;
import org.originhub.format.aladi.AladiCodFormat;
import org.originhub.format.ccd.CcdFormat;
import org.originhub.signature.DemoKeys;
import org.originhub.signature.EnvelopeSigner;
import org.originhub.signature.SigningKey;
import org.originhub.support.PartnerBroker.Jms;
import org.originhub.support.TwoHubs;
import org.originhub.support.Xmlsec1;
import org.originhub.xml.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Two hubs, two brokers, two configurations (AR served by one, BR by the other), exchanging over AMQP in both
 * directions; then what a partner (or an attacker) may send to hub AR's inbound address, sent by a client that is not
 * Camel (the Qpid JMS client): each bad message ends in DLQ.hub.inbound, is answered with a signed Rejected
 * acknowledgement, and reaches no single window.
 */
class TwoHubExchangeTest {
    static final long WAIT = 40_000;
    /**
     * For an absence checked after a positive marker has shown that the hub is done with the message (its
     * acknowledgements, or a later message through the same single-consumer queues): nothing is still in flight, so a
     * short receive suffices.
     */
    static final long AFTER_MARKER = 200;

    @TempDir
    static Path dir;
    static TwoHubs hubs;
    static final EnvelopeCodec codec = new EnvelopeCodec();
    static final EnvelopeSigner signer = new EnvelopeSigner();

    @BeforeAll
    static void startHubs() throws Exception {
        hubs = new TwoHubs(dir).start();
    }

    @AfterAll
    static void stopHubs() throws Exception {
        if (hubs != null) hubs.close();
    }

    // ------------------------------------------------------------------ the exchange in both directions

    @Test
    void codFromArReachesBrSingleWindowAsCcdAndArLearnsItWasAccepted() throws Exception {
        byte[] cod = Files.readAllBytes(Path.of("samples/aladi-cod/cod-4.1.0-FormA18-AR-BR.xml"));
        String number = new AladiCodFormat().parse(cod, FormatContext.of("AR")).getHeader().getDocumentNumber();
        Jms.sendBytes(hubs.ar.connectionFactory("sw-ar", "sw-ar-test-password"), "AR.sw.outbox", cod);

        Message delivered = Jms.receiveSelected(hubs.hubBrAdmin(), "BR.sw.inbox",
                "OriginHubDocumentNumber = '" + number + "' AND OriginHubMessageType = 'CertificateOfOrigin'", WAIT);
        assertThat(delivered).as("CO delivered to BR's single window").isNotNull();
        assertThat(delivered.getStringProperty(HubHeaders.FORMAT)).isEqualTo("ccd");
        ExchangeEnvelope ccd = new CcdFormat().parse(Jms.body(delivered).getBytes(StandardCharsets.UTF_8), FormatContext.of("BR"));
        assertThat(ccd.getBody().getCertificateOfOrigin().getDocument().getNumber()).isEqualTo(number);
        assertThat(Base64.getDecoder().decode(delivered.getStringProperty(HubHeaders.ORIGINAL_DOCUMENT))).isEqualTo(cod);
        assertThat(delivered.getStringProperty(HubHeaders.ORIGINAL_DOCUMENT_FORMAT)).startsWith("aladi-cod 4.1");

        String messageId = delivered.getStringProperty(HubHeaders.MESSAGE_ID);
        AcknowledgementType ack = acknowledgementAt(hubs.hubArAdmin(), "AR.sw.inbox", messageId);
        assertThat(ack.getStatus()).isEqualTo(AcknowledgementStatusCode.ACCEPTED);
    }

    @Test
    void edi3JsonFromBrReachesArSingleWindowAsSchemaValidCodAndBrLearnsItWasAccepted() throws Exception {
        byte[] json = Files.readAllBytes(Path.of("samples/edi3-json/coo-br-ar-a18.json"));
        Jms.sendBytes(hubs.br.connectionFactory("sw-br", "sw-br-test-password"), "BR.sw.outbox", json);

        Message delivered = Jms.receiveSelected(hubs.hubArAdmin(), "AR.sw.inbox",
                "OriginHubSender = 'BR' AND OriginHubMessageType = 'CertificateOfOrigin' AND OriginHubFormat = 'aladi-cod'", WAIT);
        assertThat(delivered).as("CO delivered to AR's single window").isNotNull();
        byte[] cod = bodyBytes(delivered);
        // AladiCodFormat.parse validates against the ALADI XSD of the document's version: it throws if invalid.
        ExchangeEnvelope parsed = new AladiCodFormat().parse(cod, FormatContext.of("AR"));
        assertThat(parsed.getHeader().getDocumentNumber()).isNotBlank();
        assertThat(new String(cod, StandardCharsets.UTF_8)).contains("<CODVer>4.1");
        assertThat(Base64.getDecoder().decode(delivered.getStringProperty(HubHeaders.ORIGINAL_DOCUMENT))).isEqualTo(json);

        String messageId = delivered.getStringProperty(HubHeaders.MESSAGE_ID);
        assertAcceptedPerhapsWithDefaults(acknowledgementAt(hubs.hubBrAdmin(), "BR.sw.inbox", messageId));
    }

    // ------------------------------------------------------------------ interoperability

    @Test
    void messageSignedByXmlsec1AndSentByPlainQpidClientIsDeliveredAndAccepted() throws Exception {
        Xmlsec1.assumeAvailable();
        ExchangeEnvelope env = brToAr();
        SigningKey br = hubs.key("BR");
        String signed = Xmlsec1.sign(new String(codec.write(env), StandardCharsets.UTF_8), br.privateKey(), br.certificate(), dir);

        sendToHubArInbound("partner-br", "partner-br-on-ar-password", signed, "xmlsec1");

        Message delivered = Jms.receiveSelected(hubs.hubArAdmin(), "AR.sw.inbox",
                "OriginHubMessageId = '" + env.getHeader().getMessageId() + "'", WAIT);
        assertThat(delivered).as("xmlsec1-signed message delivered").isNotNull();
        new AladiCodFormat().parse(bodyBytes(delivered), FormatContext.of("AR"));
        assertAcceptedPerhapsWithDefaults(acknowledgementAt(hubs.hubBrAdmin(), "BR.sw.inbox", env.getHeader().getMessageId()));
    }

    @Test
    void replayedMessageIsDeliveredOnceAndAcknowledgedTwice() throws Exception {
        ExchangeEnvelope env = brToAr();
        String signed = sign(env, hubs.key("BR"));
        sendToHubArInbound("partner-br", "partner-br-on-ar-password", signed, "replay-1");
        sendToHubArInbound("partner-br", "partner-br-on-ar-password", signed, "replay-2");

        List<Message> acks = Jms.receiveSelected(hubs.hubBrAdmin(), "BR.sw.inbox",
                "OriginHubInReplyTo = '" + env.getHeader().getMessageId() + "'", 2, WAIT);
        assertThat(acks).hasSize(2);
        List<Message> delivered = Jms.receiveSelected(hubs.hubArAdmin(), "AR.sw.inbox",
                // Both acknowledgements are in: the first copy's is sent after its delivery, the repeat's by the
                // duplicate check before any delivery, so the hub is done with both copies.
                "OriginHubMessageId = '" + env.getHeader().getMessageId() + "'", 2, AFTER_MARKER);
        assertThat(delivered).hasSize(1);
        // The repeat's acknowledgement may overtake the first one (it skips delivery): tell them apart by reason.
        List<AcknowledgementType> both = new java.util.ArrayList<>();
        for (Message m : acks) both.add(codec.read(bodyBytes(m)).getBody().getAcknowledgement());
        assertThat(both).filteredOn(a -> a.getReason().stream().anyMatch(r -> "DUPLICATE".equals(r.getCode())))
                .singleElement().satisfies(a -> assertThat(a.getStatus()).isEqualTo(AcknowledgementStatusCode.ACCEPTED));
        assertThat(both).filteredOn(a -> a.getReason().stream().noneMatch(r -> "DUPLICATE".equals(r.getCode())))
                .singleElement().satisfies(TwoHubExchangeTest::assertAcceptedPerhapsWithDefaults);
    }

    // ------------------------------------------------------------------ what must never reach a single window

    @Test
    void tamperedBodyIsRejected() throws Exception {
        ExchangeEnvelope env = brToAr();
        String signed = sign(env, hubs.key("BR"));
        String tampered = signed.replaceFirst("<Description>", "<Description>Forged ");
        assertThat(tampered).isNotEqualTo(signed);
        assertRejected(env, tampered, "tampered", "SIGNATURE_INVALID");
    }

    @Test
    void validSignatureByCertificateNotConfiguredForSenderIsRejected() throws Exception {
        ExchangeEnvelope env = brToAr();
        SigningKey stranger = DemoKeys.generate("BR", "stranger", java.time.Instant.now().minusSeconds(3600), java.time.Duration.ofDays(30));
        assertRejected(env, sign(env, stranger), "stranger", "UNTRUSTED_SIGNER");
    }

    @Test
    void validSignatureByPartnerClOnMessageClaimingSenderBrIsRejected() throws Exception {
        ExchangeEnvelope env = brToAr();
        SigningKey cl = hubs.key("CL");
        assertRejected(env, sign(env, cl), "cl-claims-br", "UNTRUSTED_SIGNER");
    }

    @Test
    void documentWithTwoSignaturesIsRejected() throws Exception {
        ExchangeEnvelope env = brToAr();
        Document doc = SecureXml.parse(sign(env, hubs.key("BR")).getBytes(StandardCharsets.UTF_8));
        Element signature = lastElementChild(doc.getDocumentElement());
        doc.getDocumentElement().appendChild(signature.cloneNode(true));
        assertRejected(env, SecureXml.toString(doc), "two-signatures", "SIGNATURE_PROFILE");
    }

    @Test
    void signatureWrappingIsRejected() throws Exception {
        // The genuine signed envelope (an innocent message) is moved under a new root whose Header/Body are forged.
        ExchangeEnvelope innocent = brToAr();
        Document genuine = SecureXml.parse(sign(innocent, hubs.key("BR")).getBytes(StandardCharsets.UTF_8));
        ExchangeEnvelope forged = brToAr();
        forged.getBody().getCertificateOfOrigin().getExporter().setName("Forged exporter");
        Document attack = codec.toDocument(forged);
        Element signature = lastElementChild(genuine.getDocumentElement());
        // The signature becomes the forged root's child; the genuine signed content travels inside the forged Body.
        Element body = (Element) attack.getDocumentElement().getElementsByTagNameNS(EnvelopeCodec.NAMESPACE, "Body").item(0);
        genuine.getDocumentElement().removeChild(signature);
        body.appendChild(attack.importNode(genuine.getDocumentElement(), true));
        attack.getDocumentElement().appendChild(attack.importNode(signature, true));
        String wrapped = SecureXml.toString(attack);
        String reason = rejectionReason(forged, wrapped, "wrapping");
        assertThat(reason).isIn("SIGNATURE_INVALID", "SIGNATURE_PROFILE", "SCHEMA_INVALID");
    }

    @Test
    void messageWithoutSignatureIsRejected() throws Exception {
        ExchangeEnvelope env = brToAr();
        assertRejected(env, new String(codec.write(env), StandardCharsets.UTF_8), "unsigned", "SIGNATURE_MISSING");
    }

    @Test
    void receiverThisHubDoesNotServeIsRejected() throws Exception {
        ExchangeEnvelope env = brToAr();
        env.getHeader().getReceiver().setCountry("UY");
        assertRejected(env, sign(env, hubs.key("BR")), "not-served", "UNKNOWN_PARTY");
    }

    // ------------------------------------------------------------------ helpers

    /** A COD form may require values the certificate lacks: then the acknowledgement names each defaulted field. */
    private static void assertAcceptedPerhapsWithDefaults(AcknowledgementType ack) {
        assertThat(ack.getStatus()).isIn(AcknowledgementStatusCode.ACCEPTED, AcknowledgementStatusCode.ACCEPTED_WITH_WARNINGS);
        if (ack.getStatus() == AcknowledgementStatusCode.ACCEPTED_WITH_WARNINGS) {
            assertThat(ack.getReason()).isNotEmpty().allSatisfy(r -> {
                assertThat(r.getCode()).isEqualTo("DEFAULTED_FIELD");
                assertThat(r.getSeverity()).isEqualTo("Warning");
            });
        }
    }

    private void assertRejected(ExchangeEnvelope env, String document, String testCase, String expectedReason) throws Exception {
        assertThat(rejectionReason(env, document, testCase)).isEqualTo(expectedReason);
    }

    /** Sends a document to hub AR as partner BR; checks DLQ, the Rejected acknowledgement and no delivery. */
    private String rejectionReason(ExchangeEnvelope env, String document, String testCase) throws Exception {
        sendToHubArInbound("partner-br", "partner-br-on-ar-password", document, testCase);
        Message dead = Jms.receiveSelected(hubs.hubArAdmin(), "DLQ.hub.inbound", "testCase = '" + testCase + "'", WAIT);
        assertThat(dead).as("dead letter for %s", testCase).isNotNull();
        String reason = dead.getStringProperty(HubHeaders.FAILURE_REASON);
        assertThat(dead.getStringProperty(HubHeaders.FAILURE_DETAIL)).isNotBlank();
        assertThat(dead.getStringProperty(HubHeaders.FAILED_ROUTE)).isEqualTo("inbound-verify");
        assertThat(Jms.body(dead)).isEqualTo(document);

        AcknowledgementType ack = acknowledgementAt(hubs.hubBrAdmin(), "BR.sw.inbox", env.getHeader().getMessageId());
        assertThat(ack.getStatus()).isEqualTo(AcknowledgementStatusCode.REJECTED);
        assertThat(ack.getReason()).extracting(r -> r.getCode()).containsExactly(reason);
        assertThat(ack.getReason().get(0).getText()).isNotBlank();

        // Positive marker: a good message sent after it, through the same queues (one consumer each, so in order), is
        // delivered; the refused one, had it gone on, would have been delivered before it.
        ExchangeEnvelope marker = brToAr();
        sendToHubArInbound("partner-br", "partner-br-on-ar-password", sign(marker, hubs.key("BR")), testCase + "-marker");
        assertThat(Jms.receiveSelected(hubs.hubArAdmin(), "AR.sw.inbox",
                "OriginHubMessageId = '" + marker.getHeader().getMessageId() + "'", WAIT)).as("marker after %s", testCase).isNotNull();
        assertThat(Jms.receiveSelected(hubs.hubArAdmin(), "AR.sw.inbox",
                "OriginHubMessageId = '" + env.getHeader().getMessageId() + "'", AFTER_MARKER)).as("nothing delivered").isNull();
        return reason;
    }

    /** Waits for the acknowledgement of a message on a single window's inbox and checks its envelope. */
    private AcknowledgementType acknowledgementAt(jakarta.jms.ConnectionFactory cf, String inbox, String inReplyTo) throws Exception {
        Message m = Jms.receiveSelected(cf, inbox, "OriginHubInReplyTo = '" + inReplyTo + "'", WAIT);
        assertThat(m).as("acknowledgement of %s on %s", inReplyTo, inbox).isNotNull();
        assertThat(m.getStringProperty(HubHeaders.MESSAGE_TYPE)).isEqualTo("Acknowledgement");
        ExchangeEnvelope ack = codec.read(bodyBytes(m));
        assertThat(ack.getHeader().getMessageType()).isEqualTo(MessageTypeCode.ACKNOWLEDGEMENT);
        assertThat(ack.getHeader().getInReplyTo()).isEqualTo(inReplyTo);
        return ack.getBody().getAcknowledgement();
    }

    /** A fresh BR → AR certificate of origin in the common dataset (from the ccd sample), unsigned. */
    private static ExchangeEnvelope brToAr() throws Exception {
        ExchangeEnvelope env = new CcdFormat().parse(Files.readAllBytes(Path.of("samples/ccd/coo-br-ar-a18.xml")), FormatContext.of("BR"));
        env.getHeader().setMessageId(UUID.randomUUID().toString());
        // A CO number of its own for each test, so that one test's CO lifecycle does not touch another's.
        String number = "BR-A18-" + UUID.randomUUID().toString().substring(0, 8);
        env.getHeader().setDocumentNumber(number);
        env.getBody().getCertificateOfOrigin().getDocument().setNumber(number);
        env.getHeader().setCreatedAt(OffsetDateTime.now(ZoneOffset.UTC));
        env.getHeader().setSchemaVersion(EnvelopeCodec.SCHEMA_VERSION);
        return env;
    }

    private static String sign(ExchangeEnvelope env, SigningKey key) {
        return SecureXml.toString(signer.sign(codec.toDocument(env), key));
    }

    /** What a partner's AMQP client does: the Qpid JMS client, no Camel. */
    private static void sendToHubArInbound(String user, String password, String document, String testCase) throws Exception {
        JmsConnectionFactory cf = new JmsConnectionFactory(user, password, hubs.ar.amqpUrl());
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage m = s.createTextMessage(document);
            m.setStringProperty("testCase", testCase);
            s.createProducer(s.createQueue("hub.inbound")).send(m);
        }
    }

    private static byte[] bodyBytes(Message m) throws Exception {
        return Jms.body(m).getBytes(StandardCharsets.UTF_8);
    }

    private static Element lastElementChild(Element parent) {
        Node n = parent.getLastChild();
        while (n != null && n.getNodeType() != Node.ELEMENT_NODE) n = n.getPreviousSibling();
        return (Element) n;
    }
}
