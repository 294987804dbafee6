package org.originhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.originhub.dataset.Attachments;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.CertificateOfOriginType;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.GoodsItemType;
import org.originhub.exchange.HubHeaders;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.format.FormatContext;
import org.originhub.format.aladi.AladiCodFormat;
import org.originhub.signature.EnvelopeVerifier;
import org.originhub.signature.KeyStores;
import org.originhub.support.HubProperties;
import org.originhub.support.HubSpringBootTest;
import org.originhub.support.PartnerBroker;
import org.originhub.support.PartnerBroker.Jms;
import org.originhub.support.Xmlsec1;
import org.originhub.xml.SecureXml;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.assertj.core.api.Assertions;

/**
 * The outbound exchange end to end: the hub (embedded broker, demo keys) and a second, separate Artemis broker
 * standing for partner BR. COD samples of two agreement forms go to AR.sw.outbox; the partner broker receives signed
 * envelopes over AMQP whose fields match the source, which verify with the hub's verifier and with xmlsec1, and whose
 * tampered copies fail both. Bad input ends in DLQ.AR.sw.outbox with its reason while the queue keeps moving.
 */
@HubSpringBootTest
class OutboundExchangeTest {
    static final Path SAMPLES = Path.of("samples/aladi-cod");
    static final String A14 = "cod-4.1.0-FormA14-AR-BR.xml";
    static final String A18 = "cod-4.1.0-FormA18-AR-BR.xml";
    static final long WAIT = 30_000;

    static Path dir;
    static PartnerBroker partnerBr;
    static HubProperties hub;

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "outbound-exchange");
        partnerBr = new PartnerBroker("partner-br", dir.resolve("partner-br").toString(), "hub.inbound").start();
        hub = new HubProperties(dir.resolve("hub"), "hub-outbound-test", 21)
                .put("originhub.partners.BR.amqp-url", partnerBr.amqpUrl())
                .put("originhub.partners.BR.username", PartnerBroker.USER)
                .put("originhub.partners.BR.password", PartnerBroker.PASSWORD);
        hub.asMap().forEach((k, v) -> registry.add(k, () -> v));
    }

    @AfterAll
    static void stopPartner() throws Exception {
        partnerBr.close();
    }

    @Autowired
    EnvelopeCodec codec;
    @Autowired
    EnvelopeVerifier verifier;
    @Autowired
    AladiCodFormat aladi;

    ActiveMQConnectionFactory swAr() {
        return hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD);
    }

    @Test
    void codSamplesOfTwoFormsArriveSignedAtThePartnerWithEveryMappedField() throws Exception {
        byte[] a14 = Files.readAllBytes(SAMPLES.resolve(A14));
        byte[] a18 = Files.readAllBytes(SAMPLES.resolve(A18));
        Jms.sendBytes(swAr(), "AR.sw.outbox", a14);
        Jms.sendBytes(swAr(), "AR.sw.outbox", a18);

        List<Message> received = partnerBr.receive("hub.inbound", 2, WAIT);
        assertThat(received).hasSize(2);
        Map<String, String> bySource = new HashMap<>();
        for (Message m : received) {
            String xml = Jms.body(m);
            ExchangeEnvelope env = codec.read(xml.getBytes(StandardCharsets.UTF_8));
            String number = env.getHeader().getDocumentNumber();
            bySource.put(number, xml);
            assertThat(m.getStringProperty(HubHeaders.DUPLICATE_ID)).isEqualTo(env.getHeader().getMessageId());
            assertThat(m.getStringProperty(HubHeaders.GROUP_ID)).isEqualTo("AR:" + number);
        }
        for (byte[] source : List.of(a14, a18)) {
            Document cod = SecureXml.parse(source);
            String certificateId = xpath(cod, "//*[local-name()='CertificateID']");
            String xml = bySource.get(certificateId);
            assertThat(xml).as("envelope for %s", certificateId).isNotNull();
            assertMappedFromSource(source, cod, xml);
            assertSignatureVerifiesAndTamperingFails(xml);
        }
    }

    private void assertMappedFromSource(byte[] source, Document cod, String xml) {
        ExchangeEnvelope env = codec.read(xml.getBytes(StandardCharsets.UTF_8));
        // Header from the COD.
        assertThat(env.getHeader().getSender().getCountry()).isEqualTo("AR").isEqualTo(xpath(cod, "//*[local-name()='EHCountry']"));
        assertThat(env.getHeader().getReceiver().getCountry()).isEqualTo("BR");
        assertThat(env.getHeader().getAgreementId()).isEqualTo(xpath(cod, "//*[local-name()='AgreementAcronym']"));
        assertThat(env.getHeader().getMessageType().value()).isEqualTo("CertificateOfOrigin");
        assertThat(env.getHeader().getMessageFunction()).isEqualTo("9");
        assertThat(env.getHeader().getSchemaVersion()).isEqualTo(EnvelopeCodec.SCHEMA_VERSION);
        // Every mapped field: the hub's body equals the mapping of the source, and spot checks tie it to the COD.
        ExchangeEnvelope expected = aladi.parse(source, FormatContext.of("AR"));
        expected.setHeader(env.getHeader());
        assertThat(bodyXml(env)).isEqualTo(bodyXml(expected));
        CertificateOfOriginType co = env.getBody().getCertificateOfOrigin();
        assertThat(co.getDocument().getNumber()).isEqualTo(xpath(cod, "//*[local-name()='CertificateID']"));
        assertThat(co.getDocument().getIssuingAuthority().getName()).isEqualTo(xpath(cod, "//*[local-name()='EHName']"));
        assertThat(co.getExporter().getName()).isEqualTo(xpath(cod, "//*[local-name()='ExporterBusinessName']"));
        NodeList goods = nodes(cod, "//*[local-name()='Goods']");
        assertThat(co.getGoodsItem()).hasSize(goods.getLength());
        for (int i = 0; i < goods.getLength(); i++) {
            Element g = (Element) goods.item(i);
            GoodsItemType item = co.getGoodsItem().get(i);
            String code = xpath(g, "./*[local-name()='GoodsItemCode']").replaceAll("[^0-9]", "");
            assertThat(item.getClassification().getHsCode()).isEqualTo(code.substring(0, 6));
            assertThat(item.getDescription()).isEqualTo(xpath(g, "./*[local-name()='GoodsItemName']"));
        }
        // The original COD travels byte for byte, with its hash.
        var original = Attachments.findOriginal(co).orElseThrow();
        assertThat(original.getContent()).isEqualTo(source);
        assertThat(original.getSha256()).isEqualTo(Attachments.sha256Hex(source));
    }

    private void assertSignatureVerifiesAndTamperingFails(String xml) throws Exception {
        X509Certificate arCert = KeyStores.readPemCertificates(hub.certificate("AR")).get(0);
        Document doc = SecureXml.parse(xml.getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(doc, List.of(arCert)).signerCertificate()).isEqualTo(arCert);

        Path signed = Files.writeString(dir.resolve("signed-" + System.nanoTime() + ".xml"), xml);
        Xmlsec1.assumeAvailable();
        Xmlsec1.Result ok = Xmlsec1.verify(signed, hub.certificate("AR"));
        assertThat(ok.exitCode()).as(ok.output()).isZero();

        // Tamper with one goods description: both verifiers must refuse.
        String tampered = xml.replaceFirst("<Description>", "<Description>X");
        assertThat(tampered).isNotEqualTo(xml);
        Path tamperedFile = Files.writeString(dir.resolve("tampered-" + System.nanoTime() + ".xml"), tampered);
        assertThat(Xmlsec1.verify(tamperedFile, hub.certificate("AR")).exitCode()).isNotZero();
        Assertions.assertThatThrownBy(() -> verifier.verify(SecureXml.parse(tampered.getBytes(StandardCharsets.UTF_8)), List.of(arCert)))
                .isInstanceOfSatisfying(MessageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.SIGNATURE_INVALID));
    }

    @Test
    void badInputIsDeadLetteredWithItsReasonWhileValidMessagesBeforeAndAfterArrive() throws Exception {
        byte[] valid = Files.readAllBytes(SAMPLES.resolve(A14));
        String validXml = new String(valid, StandardCharsets.UTF_8);
        String unparseable = "<CertOrigin><unclosed>";
        // Schema-invalid: a certificate number that breaks the ALADI pattern.
        String certificateId = xpath(SecureXml.parse(valid), "//*[local-name()='CertificateID']");
        String schemaInvalid = validXml.replace(certificateId, "not-a-certificate-id");
        // Unknown partner: the importer is in Chile, which has no partner here.
        String unknownPartner = validXml.replaceAll("<ImporterCountry>BR</ImporterCountry>", "<ImporterCountry>CL</ImporterCountry>");
        assertThat(unknownPartner).isNotEqualTo(validXml);

        Jms.sendBytes(swAr(), "AR.sw.outbox", valid);
        Jms.sendText(swAr(), "AR.sw.outbox", unparseable);
        Jms.sendText(swAr(), "AR.sw.outbox", schemaInvalid);
        Jms.sendText(swAr(), "AR.sw.outbox", unknownPartner);
        Jms.sendBytes(swAr(), "AR.sw.outbox", Files.readAllBytes(SAMPLES.resolve(A18)));

        List<Message> dead = Jms.receive(hub.hubConnectionFactory(), "DLQ.AR.sw.outbox", 3, WAIT);
        assertThat(dead).extracting(m -> m.getStringProperty(HubHeaders.FAILURE_REASON))
                .containsExactly("UNPARSEABLE", "SCHEMA_INVALID", "UNKNOWN_PARTNER");
        for (Message m : dead) {
            assertThat(m.getStringProperty(HubHeaders.FAILED_ROUTE)).isEqualTo("sw-outbox-intake-AR");
            assertThat(m.getStringProperty(HubHeaders.FAILED_QUEUE)).isEqualTo("AR.sw.outbox");
            assertThat(m.getStringProperty(HubHeaders.FAILURE_DETAIL)).isNotBlank();
            assertThat(m.getStringProperty(HubHeaders.FAILURE_CLASS)).isEqualTo(MessageRejectedException.class.getName());
        }
        assertThat(Jms.body(dead.get(0))).isEqualTo(unparseable);
        assertThat(dead.get(1).getStringProperty(HubHeaders.FAILURE_DETAIL)).contains("CertificateID").contains("line");
        assertThat(dead.get(2).getStringProperty(HubHeaders.FAILURE_DETAIL)).contains("CL");

        // The single window is told, on its inbox, with the rule that failed (correlated by its JMS message id).
        for (Message d : dead) {
            String sentId = d.getStringProperty(HubHeaders.MESSAGE_ID);
            Message told = Jms.receiveSelected(hub.hubConnectionFactory(), "AR.sw.inbox", "OriginHubInReplyTo = '" + sentId + "'", WAIT);
            assertThat(told).as("rejection told to the SW for %s", sentId).isNotNull();
            ExchangeEnvelope ack = codec.read(Jms.body(told).getBytes(StandardCharsets.UTF_8));
            assertThat(ack.getBody().getAcknowledgement().getStatus().value()).isEqualTo("Rejected");
            assertThat(ack.getBody().getAcknowledgement().getReason().get(0).getCode())
                    .isEqualTo(d.getStringProperty(HubHeaders.FAILURE_REASON));
        }

        List<Message> arrived = partnerBr.receive("hub.inbound", 2, WAIT);
        assertThat(arrived).hasSize(2);
        // Once, not retried: nothing more in the dead-letter queue.
        assertThat(Jms.receive(hub.hubConnectionFactory(), "DLQ.AR.sw.outbox", 1, 1000)).isEmpty();
    }

    @Test
    void aSingleWindowResendingItsOwnMessageIdIsToldItIsADuplicateAndNothingIsSentTwice() throws Exception {
        String messageId = java.util.UUID.randomUUID().toString();
        String ccd = Files.readString(Path.of("samples/ccd/coo-br-ar-a18.xml"))
                .replace("<Header>", "<Header><MessageId>" + messageId + "</MessageId>");
        ActiveMQConnectionFactory swBr = hub.connectionFactory("sw-br", HubProperties.SW_BR_PASSWORD);
        Jms.sendText(swBr, "BR.sw.outbox", ccd);
        // Partner AR is this hub's own AMQP acceptor: the CO comes back in and reaches AR's single window.
        Message first = Jms.receiveSelected(hub.hubConnectionFactory(), "AR.sw.inbox", "OriginHubMessageId = '" + messageId + "'", WAIT);
        assertThat(first).as("first send delivered").isNotNull();

        Jms.sendText(swBr, "BR.sw.outbox", ccd);
        Message dead = Jms.receiveSelected(hub.hubConnectionFactory(), "DLQ.BR.sw.outbox", "OriginHubFailureReason = 'DUPLICATE'", WAIT);
        assertThat(dead).as("the resend is dead-lettered as a duplicate").isNotNull();
        assertThat(dead.getStringProperty(HubHeaders.FAILURE_DETAIL)).contains(messageId);
        assertThat(Jms.receiveSelected(hub.hubConnectionFactory(), "BR.sw.inbox", "OriginHubFailureReason = 'DUPLICATE'", WAIT))
                .as("BR's single window is told").isNotNull();
        // A third send is still a duplicate: the repeat did not make the original look refused.
        Jms.sendText(swBr, "BR.sw.outbox", ccd);
        assertThat(Jms.receiveSelected(hub.hubConnectionFactory(), "DLQ.BR.sw.outbox", "OriginHubFailureReason = 'DUPLICATE'", WAIT))
                .isNotNull();
        // Both repeats are in the dead-letter queue (the positive marker: a dead-lettered copy went nowhere else, in the
        // same transaction), so no second copy can still be on its way.
        assertThat(Jms.receiveSelected(hub.hubConnectionFactory(), "AR.sw.inbox", "OriginHubMessageId = '" + messageId + "'", 200))
                .as("not delivered twice").isNull();
    }

    private static String bodyXml(ExchangeEnvelope env) {
        ExchangeEnvelope copy = new ExchangeEnvelope();
        copy.setHeader(env.getHeader());
        copy.setBody(env.getBody());
        Document d = new EnvelopeCodec().toDocument(copy);
        Element body = (Element) d.getDocumentElement().getElementsByTagNameNS(EnvelopeCodec.NAMESPACE, "Body").item(0);
        return SecureXml.toString(toDoc(body));
    }

    @Test
    void aDocumentWithoutMessageIdIsKnownByTheMessageIdDerivedFromItsBrokerMessage() throws Exception {
        byte[] cod = Files.readAllBytes(SAMPLES.resolve(A18));
        String jmsId;
        try (jakarta.jms.Connection c = swAr().createConnection()) {
            jakarta.jms.Session s = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.BytesMessage m = s.createBytesMessage();
            m.writeBytes(cod);
            s.createProducer(s.createQueue("AR.sw.outbox")).send(m);
            jmsId = m.getJMSMessageID();
        }
        // Every delivery of that broker message (a redelivery after a crash too) gets this id, not a random one.
        String expected = SingleWindowIntake.derivedMessageId("AR", jmsId);
        Message arrived = Jms.receiveSelected(partnerBr.adminConnectionFactory(), "hub.inbound",
                "OriginHubMessageId = '" + expected + "'", WAIT);
        assertThat(arrived).as("the COD reached partner BR under the derived messageId %s", expected).isNotNull();
        assertThat(codec.read(Jms.body(arrived).getBytes(StandardCharsets.UTF_8)).getHeader().getMessageId()).isEqualTo(expected);

        assertThat(SingleWindowIntake.derivedMessageId("AR", jmsId)).isEqualTo(expected);
        assertThat(SingleWindowIntake.derivedMessageId("BR", jmsId)).as("scoped by party").isNotEqualTo(expected);
        assertThat(SingleWindowIntake.derivedMessageId("AR", jmsId + "0")).isNotEqualTo(expected);
        assertThat(SingleWindowIntake.derivedMessageId("AR", null)).as("no broker id: a fresh one")
                .isNotEqualTo(SingleWindowIntake.derivedMessageId("AR", null));
    }

    @Autowired
    SingleWindowIntake intake;
    @Autowired
    org.originhub.history.MessageHistory history;
    @Autowired
    org.apache.camel.CamelContext camel;

    /**
     * A crash (or a failed commit) after the intake recorded RECEIVED and MAPPED rolls its hop back; the broker
     * delivers the same message again, flagged as redelivered. That is not the single window repeating itself: it
     * goes on under its messageId. The same messageId in a fresh delivery is a repeat (DUPLICATE).
     */
    @Test
    void aDeliveryComingBackAfterItsHopRolledBackGoesOnButAFreshOneWithTheSameMessageIdIsADuplicate() throws Exception {
        String messageId = java.util.UUID.randomUUID().toString();
        byte[] ccd = Files.readString(Path.of("samples/ccd/coo-br-ar-a18.xml"))
                .replace("<Header>", "<Header><MessageId>" + messageId + "</MessageId>").getBytes(StandardCharsets.UTF_8);
        for (org.originhub.history.MessageState state : List.of(org.originhub.history.MessageState.RECEIVED,
                org.originhub.history.MessageState.MAPPED)) {
            history.record(new org.originhub.history.MessageHistory.Transition(messageId, state, "sw-outbox-intake-BR",
                    "BR", "AR", null, null, null, java.time.Instant.now()));
        }

        org.apache.camel.Exchange redelivery = intakeExchange(ccd, "ID:" + java.util.UUID.randomUUID(), true);
        intake.toEnvelope(redelivery);
        assertThat(redelivery.getMessage().getHeader(HubHeaders.MESSAGE_ID)).isEqualTo(messageId);

        org.apache.camel.Exchange fresh = intakeExchange(ccd, "ID:" + java.util.UUID.randomUUID(), false);
        Assertions.assertThatThrownBy(() -> intake.toEnvelope(fresh))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectionReason.DUPLICATE));

        // Once the message went on (SIGNED), even a redelivery with its messageId is a repeat.
        history.record(new org.originhub.history.MessageHistory.Transition(messageId, org.originhub.history.MessageState.SIGNED,
                "outbound-sign-and-route", "BR", "AR", null, null, null, java.time.Instant.now()));
        org.apache.camel.Exchange late = intakeExchange(ccd, "ID:" + java.util.UUID.randomUUID(), true);
        Assertions.assertThatThrownBy(() -> intake.toEnvelope(late))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectionReason.DUPLICATE));
    }

    private org.apache.camel.Exchange intakeExchange(byte[] document, String jmsMessageId, boolean redelivered) {
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(camel);
        exchange.getMessage().setBody(document);
        exchange.getMessage().setHeader(HubHeaders.PARTY, "BR");
        exchange.getMessage().setHeader("JMSMessageID", jmsMessageId);
        exchange.getMessage().setHeader("JMSRedelivered", redelivered);
        return exchange;
    }

    private static Document toDoc(Element e) {
        try {
            Document d = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            d.appendChild(d.importNode(e, true));
            return d;
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String xpath(Object node, String expr) {
        try {
            XPath x = XPathFactory.newInstance().newXPath();
            return ((String) x.evaluate(expr, node, XPathConstants.STRING)).trim();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static NodeList nodes(Object node, String expr) {
        try {
            return (NodeList) XPathFactory.newInstance().newXPath().evaluate(expr, node, XPathConstants.NODESET);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
