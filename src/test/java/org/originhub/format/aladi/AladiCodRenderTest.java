package org.originhub.format.aladi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.originhub.dataset.v1.AgreementType;
import org.originhub.dataset.v1.BodyType;
import org.originhub.dataset.v1.CertificateOfOriginType;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.HeaderType;
import org.originhub.dataset.v1.MessageTypeCode;
import org.originhub.dataset.v1.StatusNoticeType;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.format.FormatContext;
import org.originhub.signature.SigningKey;
import org.originhub.xml.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** render(): the form it picks, the signatures it makes, and the round trip through parse. */
class AladiCodRenderTest {
    private static final SigningKey KEY = AladiTestKeys.sampleSigner();
    private final AladiCodFormat format = new AladiCodFormat();

    private static FormatContext context(String version) {
        return new FormatContext("BR", Map.of("version", version), KEY);
    }

    @ParameterizedTest
    @CsvSource({
            AladiSamples.A14 + ",4.1.0",
            AladiSamples.A18 + ",4.1.0",
            AladiSamples.R252 + ",4.1.0",
            AladiSamples.A18_V180 + ",1.8.0"})
    void roundTripKeepsEveryMappedField(String sample, String version) {
        ExchangeEnvelope first = format.parse(AladiSamples.sample(sample), FormatContext.of("AR"));
        byte[] rendered = format.render(first, context(version));

        AladiSchemas.validate(rendered, version); // render validated it too; this checks the bytes it returned
        ExchangeEnvelope second = format.parse(rendered, FormatContext.of("AR"));

        assertThat(second.getHeader()).usingRecursiveComparison().isEqualTo(first.getHeader());
        assertThat(second.getBody().getCertificateOfOrigin()).usingRecursiveComparison()
                .ignoringFields("attachment").isEqualTo(first.getBody().getCertificateOfOrigin());
    }

    @Test
    void bothSignaturesVerifyWithTheContextKey() throws Exception {
        ExchangeEnvelope env = format.parse(AladiSamples.sample(AladiSamples.A14), FormatContext.of("AR"));
        Document doc = SecureXml.parse(format.render(env, context("4.1.0")));
        AladiCodSigner.markIds(doc);
        NodeList signatures = doc.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature");
        assertThat(signatures.getLength()).isEqualTo(2);
        List<String> parents = List.of(((Element) signatures.item(0).getParentNode()).getLocalName(),
                ((Element) signatures.item(1).getParentNode()).getLocalName());
        assertThat(parents).containsExactly("CODExporter", "CertOrigin");
        for (int i = 0; i < 2; i++) {
            assertThat(verify(signatures.item(i), KEY)).as("signature %d", i).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {AladiSamples.A14, AladiSamples.A18, AladiSamples.R252, AladiSamples.A18_V180})
    void samplesCarryValidSignaturesOfTheTestKey(String sample) throws Exception {
        Document doc = SecureXml.parse(AladiSamples.sample(sample));
        AladiCodSigner.markIds(doc);
        NodeList signatures = doc.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature");
        assertThat(signatures.getLength()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            assertThat(verify(signatures.item(i), KEY)).isTrue();
        }
    }

    @Test
    void rendersTheAgreementsFormWhenTheCertificateNamesNone() {
        CertificateOfOriginType co = format.parse(AladiSamples.sample(AladiSamples.A18), FormatContext.of("AR"))
                .getBody().getCertificateOfOrigin();
        co.getDocument().getAgreement().setForm(null);
        assertThat(AladiCodWriter.formFor(co, "4.1.0")).isEqualTo("FormA18");
        co.getDocument().getAgreement().setForm("Form E"); // another region's form name: ignored
        assertThat(AladiCodWriter.formFor(co, "4.1.0")).isEqualTo("FormA18");
    }

    @Test
    void agreementsWithoutAFormOfTheirOwnGetTheGeneralRegimeForm() {
        CertificateOfOriginType co = new CertificateOfOriginType();
        co.setDocument(new org.originhub.dataset.v1.CertificateDocumentType());
        AgreementType agreement = new AgreementType();
        agreement.setId("R04");
        co.getDocument().setAgreement(agreement);
        assertThat(AladiCodWriter.formFor(co, "4.1.0")).isEqualTo("FormR252");
        agreement.setId("A99");
        assertThat(AladiCodWriter.formFor(co, "4.1.0")).isEqualTo("FormR252");
        agreement.setId("A73");
        assertThat(AladiCodWriter.formFor(co, "4.1.0")).isEqualTo("FormA73");
        assertThat(AladiCodWriter.formFor(co, "1.8.0")).isEqualTo("FormR252"); // 1.8.0 has no FormA73
    }

    @Test
    void renderingIntoAnotherFormStillValidates() {
        // A FormA14 certificate rendered as FormA18 (what a MERCOSUR partner would receive under ACE 18)
        ExchangeEnvelope env = format.parse(AladiSamples.sample(AladiSamples.A14), FormatContext.of("AR"));
        env.getBody().getCertificateOfOrigin().getDocument().getAgreement().setForm(null);
        env.getBody().getCertificateOfOrigin().getDocument().getAgreement().setId("A18");
        byte[] rendered = format.render(env, context("4.1.0"));
        ExchangeEnvelope again = format.parse(rendered, FormatContext.of("AR"));
        assertThat(again.getBody().getCertificateOfOrigin().getDocument().getAgreement().getForm()).isEqualTo("FormA18");
        assertThat(again.getBody().getCertificateOfOrigin().getGoodsItem()).hasSize(2);
        // FormA18's mandatory subscriber falls back to the exporter's name
        assertThat(again.getBody().getCertificateOfOrigin().getDocument().getExporterDeclaration().getSignatory())
                .isEqualTo("Autopartes del Sur S.A.");
    }

    @Test
    void aNumberThatIsNoAladiCertificateIdGetsAStableAladiShapedIdAndAWarning() {
        ExchangeEnvelope env = format.parse(AladiSamples.sample(AladiSamples.A14), FormatContext.of("AR"));
        env.getBody().getCertificateOfOrigin().getDocument().setNumber("CHAFTA-2026-000123");
        java.util.List<String> warnings = new java.util.ArrayList<>();
        byte[] cod = format.render(env, context("4.1.0").withWarnings(warnings::add));
        String expectedId = AladiCodWriter.aladiCertificateId("CHAFTA-2026-000123", env.getHeader());
        assertThat(new String(cod, java.nio.charset.StandardCharsets.UTF_8)).contains("<CertificateID>" + expectedId + "</CertificateID>");
        assertThat(expectedId).matches("ARHUBA0000[0-9A-F]{8}00");
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("CertificateID").contains(expectedId));
        // Valid against the XSD: parse validates.
        assertThat(format.parse(cod, FormatContext.of("AR")).getHeader().getDocumentNumber()).isEqualTo(expectedId);
    }

    @Test
    void anyOtherBodyIsUnsupported() {
        ExchangeEnvelope env = new ExchangeEnvelope();
        HeaderType header = new HeaderType();
        header.setMessageType(MessageTypeCode.STATUS_NOTICE);
        env.setHeader(header);
        BodyType body = new BodyType();
        body.setStatusNotice(new StatusNoticeType());
        env.setBody(body);
        assertThatThrownBy(() -> format.render(env, context("4.1.0")))
                .isInstanceOf(MessageRejectedException.class)
                .hasMessageStartingWith("ALADI COD carries only certificates of origin; ")
                .extracting(e -> ((MessageRejectedException) e).reason()).isEqualTo(RejectionReason.UNSUPPORTED_MESSAGE);
    }

    @Test
    void withoutAKeyTheCodIsUnsigned() {
        ExchangeEnvelope env = format.parse(AladiSamples.sample(AladiSamples.A14), FormatContext.of("AR"));
        Document doc = SecureXml.parse(format.render(env, FormatContext.of("BR")));
        assertThat(doc.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature").getLength()).isZero();
        assertThat(AladiDom.text(AladiDom.path(doc.getDocumentElement(), "CertOrigin", "CODEH", "CODExporter", "COD"),
                "CODVer")).isEqualTo("4.1.0");
    }

    @ParameterizedTest
    @CsvSource({
            AladiSamples.A14 + ",1.8.0",
            AladiSamples.A18 + ",1.8.0",
            AladiSamples.R252 + ",1.8.0",
            AladiSamples.A18_V180 + ",4.1.0"})
    void rendersIntoTheOtherSchemaVersion(String sample, String version) {
        ExchangeEnvelope env = format.parse(AladiSamples.sample(sample), FormatContext.of("AR"));
        byte[] rendered = format.render(env, context(version)); // validated against that version inside render
        ExchangeEnvelope again = format.parse(rendered, FormatContext.of("AR"));
        assertThat(again.getHeader()).usingRecursiveComparison().isEqualTo(env.getHeader());
        assertThat(again.getBody().getCertificateOfOrigin().getGoodsItem()).hasSameSizeAs(
                env.getBody().getCertificateOfOrigin().getGoodsItem());
    }

    @Test
    void aCertificateFromAnotherFormatRendersWhenTheFormHasWhatItRequires() {
        ExchangeEnvelope env = bareCertificate();
        byte[] rendered = format.render(env, context("4.1.0"));
        CertificateOfOriginType co = format.parse(rendered, FormatContext.of("BR")).getBody().getCertificateOfOrigin();
        assertThat(co.getDocument().getAgreement().getForm()).isEqualTo("FormA14");
        assertThat(co.getGoodsItem().get(0).getClassification().getNationalCode()).isEqualTo("870830"); // 4.1.0 takes "8708.30"
        assertThat(co.getDocument().getIssuingAuthority().getContact().getUrl()).isEqualTo("http://www.aladi.org");
        // 1.8.0 has no six-digit layout: the subheading is written as the unsubdivided eight-digit item
        CertificateOfOriginType old = format.parse(format.render(env, context("1.8.0")), FormatContext.of("BR"))
                .getBody().getCertificateOfOrigin();
        assertThat(old.getGoodsItem().get(0).getClassification().getNationalCode()).isEqualTo("87083000");
        assertThat(old.getGoodsItem().get(0).getClassification().getHsCode()).isEqualTo("870830");
    }

    @Test
    void aMissingRequiredElementIsWrittenAsPlaceholderAndNamedInAWarning() {
        ExchangeEnvelope env = bareCertificate();
        env.getBody().getCertificateOfOrigin().setTransport(null);
        java.util.List<String> warnings = new java.util.ArrayList<>();
        byte[] cod = format.render(env, context("4.1.0").withWarnings(warnings::add));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("COD/FormA14/Transport/TransportPortOfLoading")
                .contains(AladiCodWriter.NOT_PROVIDED));
        assertThat(format.parse(cod, FormatContext.of("AR")).getBody().getCertificateOfOrigin()).isNotNull();
    }

    /** A certificate as another format would map it: only common-dataset fields, none of ALADI's extras. */
    private static ExchangeEnvelope bareCertificate() {
        var d = new org.originhub.dataset.v1.CertificateDocumentType();
        d.setNumber("ARCACA00142600099901");
        d.setTypeCode("864");
        AgreementType agreement = new AgreementType();
        agreement.setId("A14");
        d.setAgreement(agreement);
        d.setPreferential(true);
        d.setIssueDateTime(java.time.OffsetDateTime.parse("2026-11-20T10:00:00-03:00"));
        d.setIssuingAuthority(party("Cámara Argentina de Comercio y Servicios", "Av. Leandro N. Alem 36", "Buenos Aires", "AR"));
        var ehId = new org.originhub.dataset.v1.IdentifierType();
        ehId.setValue("CAC");
        ehId.setScheme("ALADI-EH");
        d.getIssuingAuthority().getId().add(ehId);
        d.setExportingCountry("AR");
        d.setImportingCountry("BR");
        d.setStatus(org.originhub.dataset.v1.CertificateStatusCode.ISSUED);
        CertificateOfOriginType co = new CertificateOfOriginType();
        co.setDocument(d);
        co.setExporter(party("Frenos Rosario S.R.L.", "Bv. Oroño 1500", "Rosario", "AR"));
        co.setImporter(party("Peças Curitiba Ltda.", "Rua XV de Novembro 700", "Curitiba", "BR"));
        var transport = new org.originhub.dataset.v1.TransportType();
        transport.setMode("3");
        var port = new org.originhub.dataset.v1.LocationType();
        port.setName("Paso de los Libres");
        transport.setPortOfLoading(port);
        co.setTransport(transport);
        var invoice = new org.originhub.dataset.v1.InvoiceType();
        invoice.setNumber("0001-00000042");
        invoice.setDate(java.time.LocalDate.of(2026, 11, 18));
        co.getInvoice().add(invoice);
        var item = new org.originhub.dataset.v1.GoodsItemType();
        item.setSequenceNumber(java.math.BigInteger.ONE);
        item.setDescription("Frenos y servofrenos; sus partes");
        var c = new org.originhub.dataset.v1.ClassificationType();
        c.setHsCode("870830");
        item.setClassification(c);
        var criterion = new org.originhub.dataset.v1.OriginCriterionType();
        criterion.setCode("CTH");
        item.setOriginCriterion(criterion);
        var weight = new org.originhub.dataset.v1.MeasureType();
        weight.setValue(new java.math.BigDecimal("250.5"));
        weight.setUnitCode("KGM");
        item.setNetWeight(weight);
        var value = new org.originhub.dataset.v1.AmountType();
        value.setValue(new java.math.BigDecimal("1800"));
        value.setCurrency("USD");
        item.setValue(value);
        co.getGoodsItem().add(item);
        ExchangeEnvelope env = new ExchangeEnvelope();
        HeaderType header = new HeaderType();
        header.setMessageType(MessageTypeCode.CERTIFICATE_OF_ORIGIN);
        header.setAgreementId("A14");
        env.setHeader(header);
        BodyType body = new BodyType();
        body.setCertificateOfOrigin(co);
        env.setBody(body);
        return env;
    }

    private static org.originhub.dataset.v1.PartyType party(String name, String street, String city, String country) {
        var p = new org.originhub.dataset.v1.PartyType();
        p.setName(name);
        var a = new org.originhub.dataset.v1.AddressType();
        a.getLine().add(street);
        a.setCity(city);
        a.setCountry(country);
        p.setAddress(a);
        return p;
    }

    private static boolean verify(org.w3c.dom.Node signature, SigningKey key) throws Exception {
        DOMValidateContext ctx = new DOMValidateContext(key.certificate().getPublicKey(), signature);
        XMLSignature sig = XMLSignatureFactory.getInstance("DOM").unmarshalXMLSignature(ctx);
        return sig.validate(ctx);
    }
}
