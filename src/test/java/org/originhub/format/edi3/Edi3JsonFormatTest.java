package org.originhub.format.edi3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.originhub.dataset.Attachments;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.AcknowledgementStatusCode;
import org.originhub.dataset.v1.AcknowledgementType;
import org.originhub.dataset.v1.AttachmentRoleCode;
import org.originhub.dataset.v1.BodyType;
import org.originhub.dataset.v1.CertificateOfOriginType;
import org.originhub.dataset.v1.CertificateStatusCode;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.GoodsItemType;
import org.originhub.dataset.v1.MessageTypeCode;
import org.originhub.dataset.v1.NoticeStatusCode;
import org.originhub.dataset.v1.PartyType;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.format.FormatContext;
import org.originhub.format.ccd.CcdFormat;

class Edi3JsonFormatTest {
    private static final FormatContext BR = FormatContext.of("BR");
    private static final Path SAMPLE = Path.of("samples/edi3-json/coo-br-ar-a18.json");
    private static final Path MINIMAL = Path.of("samples/edi3-json/coo-au-cn-minimal.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Edi3JsonFormat format = new Edi3JsonFormat();
    private final Edi3Schema schema = new Edi3Schema();
    private final EnvelopeCodec codec = new EnvelopeCodec();

    // ---------------------------------------------------------------- parse

    @Test
    void namesItself() {
        assertThat(format.name()).isEqualTo("edi3-json");
    }

    @Test
    void theSamplesFollowTheSchema() throws IOException {
        assertThat(schema.problems(JSON.readTree(SAMPLE.toFile()))).isEmpty();
        assertThat(schema.problems(JSON.readTree(MINIMAL.toFile()))).isEmpty();
    }

    @Test
    void readsTheHeaderOfTheBrazilianSample() throws IOException {
        ExchangeEnvelope e = format.parse(Files.readAllBytes(SAMPLE), BR);

        var h = e.getHeader();
        assertThat(h.getMessageType()).isEqualTo(MessageTypeCode.CERTIFICATE_OF_ORIGIN);
        assertThat(h.getMessageFunction()).isEqualTo("9");
        assertThat(h.getSender().getCountry()).isEqualTo("BR");
        assertThat(h.getReceiver().getCountry()).isEqualTo("AR");
        assertThat(h.getDocumentNumber()).isEqualTo("fiesp.com.br:coo:A18-2025-004521");
        assertThat(h.getDocumentIssueDate()).isEqualTo(LocalDate.of(2025, 3, 11));
        assertThat(h.getAgreementId()).isEqualTo("A18");
        assertThat(h.getMessageId()).isNull();
        assertThat(h.getCreatedAt()).isNull();
    }

    @Test
    void readsTheDocumentAndPartiesOfTheBrazilianSample() throws IOException {
        CertificateOfOriginType co = format.parse(Files.readAllBytes(SAMPLE), BR).getBody().getCertificateOfOrigin();

        var d = co.getDocument();
        assertThat(d.getNumber()).isEqualTo("fiesp.com.br:coo:A18-2025-004521");
        assertThat(d.getTypeCode()).isEqualTo("864");
        assertThat(d.isPreferential()).isTrue();
        assertThat(d.getAgreement().getId()).isEqualTo("A18");
        assertThat(d.getAgreement().getForm()).isEqualTo("Certificado de Origen ACE 18 MERCOSUR");
        assertThat(d.getIssueDateTime()).isEqualTo(OffsetDateTime.parse("2025-03-11T14:20:00-03:00"));
        assertThat(d.getStatus()).isEqualTo(CertificateStatusCode.ISSUED);
        assertThat(d.getExportingCountry()).isEqualTo("BR");
        assertThat(d.getImportingCountry()).isEqualTo("AR");
        assertThat(d.getPlaceOfIssue().getCode()).isEqualTo("BRSAO");
        assertThat(d.getPlaceOfIssue().getName()).isEqualTo("São Paulo");
        assertThat(d.getRemarks()).containsExactly("Fatura FAT-2025-0042; embarque único.");
        assertThat(d.getExporterDeclaration().getDate()).isEqualTo(LocalDate.of(2025, 3, 10));
        assertThat(d.getExporterDeclaration().getText()).startsWith("Declaramos que as mercadorias");
        assertThat(d.getCertification().getDate()).isEqualTo(LocalDate.of(2025, 3, 11));

        assertParty(d.getIssuingAuthority(), "ALADI-EH", "BR0067", "Federação das Indústrias do Estado de São Paulo – FIESP");
        assertThat(d.getIssuingAuthority().getAddress().getLine()).containsExactly("Avenida Paulista, 1313");
        assertThat(d.getIssuingAuthority().getAddress().getCity()).isEqualTo("São Paulo");
        assertThat(d.getIssuingAuthority().getAddress().getPostCode()).isEqualTo("01311-923");
        assertThat(d.getIssuingAuthority().getAddress().getCountrySubdivision()).isEqualTo("SP");
        assertThat(d.getIssuingAuthority().getAddress().getCountry()).isEqualTo("BR");
        assertParty(co.getExporter(), "CNPJ", "12345678000190", "Agroindustrial Paulista Exportadora Ltda.");
        assertThat(co.getExporter().getAddress().getLine()).containsExactly("Rodovia Anhanguera, km 312", "Distrito Industrial");
        assertParty(co.getImporter(), "CUIT", "30712345678", "Distribuidora del Plata S.A.");
        assertThat(co.getImporter().getAddress().getPostCode()).isEqualTo("C1043AAZ");
        assertThat(co.getConsignee()).isNull();
        assertThat(co.getProducers().getProducer()).singleElement().satisfies(p -> {
            assertParty(p, "CNPJ", "98765432000155", "Metalúrgica Campinas Autopeças S.A.");
            assertThat(p.getSequenceNumber()).isEqualTo(BigInteger.ONE);
        });

        var t = co.getTransport();
        assertThat(t.getMeansId()).isEqualTo("MSC ADELAIDE");
        assertThat(t.getDepartureDate()).isEqualTo(LocalDate.of(2025, 3, 14));
        assertThat(t.getDescription()).isEqualTo("Transporte marítimo, contêiner MSCU1234565");
        assertThat(t.getPortOfLoading().getCode()).isEqualTo("BRSSZ");
        assertThat(t.getPortOfLoading().getCountry()).isEqualTo("BR");
        assertThat(t.getPortOfDischarge().getCode()).isEqualTo("ARBUE");
        assertThat(t.getPortOfDischarge().getName()).isEqualTo("Buenos Aires");

        assertThat(co.getInvoice()).singleElement().satisfies(i -> {
            assertThat(i.getNumber()).isEqualTo("agropaulista.com.br:invoice:FAT-2025-0042");
            assertThat(i.getDate()).isEqualTo(LocalDate.of(2025, 3, 10));
            assertThat(i.getSequenceNumber()).isEqualTo(BigInteger.ONE);
        });
    }

    @Test
    void readsEveryGoodsItemOfTheBrazilianSample() throws IOException {
        List<GoodsItemType> goods = format.parse(Files.readAllBytes(SAMPLE), BR).getBody().getCertificateOfOrigin().getGoodsItem();

        assertThat(goods).extracting(g -> g.getSequenceNumber().intValue()).containsExactly(1, 2, 3, 4);
        assertThat(goods).extracting(g -> g.getClassification().getHsCode()).containsExactly("090111", "170114", "870830", "870880");
        assertThat(goods).extracting(g -> g.getClassification().getNationalCode())
                .containsExactly("09011110", "17011400", "87083090", "87088000");
        assertThat(goods).extracting(g -> g.getOriginCriterion().getCode()).containsExactly("WO", "WO", "RVC", "RVC");
        assertThat(goods.get(2).getOriginCriterion().getPercent()).isEqualByComparingTo("60");
        assertThat(goods.get(2).getOriginCriterion().getText()).isEqualTo("RVC 60%");
        assertThat(goods.get(0).getOriginCriterion().getPercent()).isNull();
        assertThat(goods).extracting(GoodsItemType::getCountryOfOrigin).containsOnly("BR");
        assertThat(goods).extracting(GoodsItemType::getInvoiceReference).containsOnly("agropaulista.com.br:invoice:FAT-2025-0042");
        assertThat(goods).extracting(GoodsItemType::getProducerReference).containsExactly(null, null, "1", "1");
        assertThat(goods.get(0).getDescription()).startsWith("Café não torrado");
    }

    @Test
    void attachesTheOriginalDocument() throws IOException {
        byte[] json = Files.readAllBytes(SAMPLE);

        CertificateOfOriginType co = format.parse(json, BR).getBody().getCertificateOfOrigin();

        var original = Attachments.findOriginal(co).orElseThrow();
        assertThat(original.getContent()).isEqualTo(json);
        assertThat(original.getFormat()).isEqualTo("edi3-json");
        assertThat(original.getMimeType()).isEqualTo("application/json");
        assertThat(original.getFileName()).isEqualTo("fiesp.com.br_coo_A18-2025-004521.json");
        assertThat(Attachments.hashMatches(original)).isTrue();
    }

    @Test
    void givesAnEnvelopeTheHubCanComplete() throws IOException {
        for (Path sample : List.of(SAMPLE, MINIMAL)) {
            ExchangeEnvelope e = format.parse(Files.readAllBytes(sample), BR);

            byte[] xml = codec.write(completed(e));

            assertThat(codec.read(xml).getHeader().getDocumentNumber()).isEqualTo(e.getHeader().getDocumentNumber());
        }
    }

    @Test
    void readsTheSharedMinimalSample() throws IOException {
        ExchangeEnvelope e = format.parse(Files.readAllBytes(MINIMAL), BR);

        assertThat(e.getHeader().getSender().getCountry()).isEqualTo("AU");
        assertThat(e.getHeader().getReceiver().getCountry()).isEqualTo("CN");
        assertThat(e.getHeader().getAgreementId()).isEqualTo("CHAFTA");
        CertificateOfOriginType co = e.getBody().getCertificateOfOrigin();
        assertThat(co.getDocument().getIssuingAuthority().getId().get(0).getScheme()).isEqualTo("id");
        assertThat(co.getDocument().getIssuingAuthority().getId().get(0).getValue()).isEqualTo("wfa.org.au");
        assertParty(co.getExporter(), "abr.gov.au:abn", "55004094599", "TREASURY WINE ESTATES VINTNERS LIMITED");
        assertThat(co.getGoodsItem()).extracting(g -> g.getClassification().getHsCode()).containsOnly("220421");
        assertThat(co.getGoodsItem()).extracting(g -> g.getClassification().getNationalCode()).containsOnlyNulls();
        assertThat(co.getGoodsItem()).extracting(g -> g.getOriginCriterion().getCode()).containsExactly("WP", "WP", "PSR");
        assertThat(co.getGoodsItem()).extracting(GoodsItemType::getDescription).containsOnly("");
        assertThat(co.getInvoice()).extracting(i -> i.getNumber())
                .containsExactly("tweglobal.com:invoice:1122345", "tweglobal.com:invoice:8877654");
    }

    // ---------------------------------------------------------------- render and round trip

    @Test
    void roundTripsTheBrazilianSample() throws IOException {
        assertRoundTrip(Files.readAllBytes(SAMPLE));
    }

    @Test
    void roundTripsTheSharedMinimalSample() throws IOException {
        assertRoundTrip(Files.readAllBytes(MINIMAL));
    }

    @Test
    void rendersTheSameBytesEveryTimeInTheSampleOrder() throws IOException {
        ExchangeEnvelope e = format.parse(Files.readAllBytes(SAMPLE), BR);

        byte[] first = format.render(e, BR);

        assertThat(format.render(e, BR)).isEqualTo(first);
        JsonNode json = JSON.readTree(first);
        assertThat(json.fieldNames()).toIterable().containsExactly("iD", "issueDateTime", "name", "issuer", "issueLocation",
                "status", "isPreferential", "freeTradeAgreement", "firstSignatoryAuthentication",
                "secondSignatoryAuthentication", "supplyChainConsignment");
        assertThat(json.at("/supplyChainConsignment/includedConsignmentItems")).hasSize(2);
        assertThat(json.at("/supplyChainConsignment/includedConsignmentItems/1/manufacturer/iD").asText())
                .isEqualTo("CNPJ:98765432000155");
        assertThat(json.at("/supplyChainConsignment/includedConsignmentItems/0/tradeLineItems/0/tradeProduct/harmonisedTariffCode/classCode")
                .asText()).isEqualTo("0901.11.10");
        assertThat(new String(first, StandardCharsets.UTF_8)).contains("Café não torrado");
    }

    @Test
    void rendersACertificateFromAnotherFormat() throws IOException {
        ExchangeEnvelope fromCcd = new CcdFormat(codec).parse(Files.readAllBytes(Path.of("samples/ccd/coo-br-ar-a18.xml")), BR);

        byte[] rendered = format.render(fromCcd, FormatContext.of("AR"));

        JsonNode json = JSON.readTree(rendered);
        assertThat(schema.problems(json)).isEmpty();
        assertThat(json.get("iD").asText()).isEqualTo("urn:originhub:coo:BR-A18-2025-004522");
        assertThat(json.get("name").asText()).isEqualTo("FormA18");
        assertThat(json.at("/issuer/iD").asText()).isEqualTo("ALADI-EH:BR0067");
        assertThat(json.at("/supplyChainConsignment/includedConsignmentItems/0/crossBorderRegulatoryProcedure/originCriteriaText")
                .asText()).isEqualTo("Art. 3 a) totalmente obtido");
        assertThat(json.at("/supplyChainConsignment/includedConsignmentItems/1/tradeLineItems/0/invoiceReference/iD").asText())
                .isEqualTo("urn:originhub:invoice:FAT-2025-0043");
        ExchangeEnvelope back = format.parse(rendered, FormatContext.of("AR"));
        var co = back.getBody().getCertificateOfOrigin();
        assertThat(back.getHeader().getDocumentNumber()).isEqualTo("BR-A18-2025-004522");
        assertThat(co.getGoodsItem().get(0).getInvoiceReference()).isEqualTo("FAT-2025-0043");
        assertThat(co.getGoodsItem().get(1).getClassification().getNationalCode()).isEqualTo("87083090");
        assertThat(co.getGoodsItem().get(1).getOriginCriterion().getPercent()).isEqualByComparingTo("60");
        assertParty(co.getExporter(), "CNPJ", "12345678000190", "Agroindustrial Paulista Exportadora Ltda.");
    }

    @Test
    void carriesAnAttachedFileGivenAsADataUri() throws IOException {
        byte[] pdf = "%PDF-1.7 paper form".getBytes(StandardCharsets.US_ASCII);
        ObjectNode json = (ObjectNode) JSON.readTree(SAMPLE.toFile());
        json.putObject("attachedFile").put("uRI", "data:application/pdf;base64," + Base64.getEncoder().encodeToString(pdf))
                .put("mIMECode", "application/pdf");

        CertificateOfOriginType co = format.parse(JSON.writeValueAsBytes(json), BR).getBody().getCertificateOfOrigin();

        assertThat(co.getAttachment()).filteredOn(a -> a.getRole() == AttachmentRoleCode.PAPER_FORM).singleElement()
                .satisfies(a -> {
                    assertThat(a.getContent()).isEqualTo(pdf);
                    assertThat(a.getMimeType()).isEqualTo("application/pdf");
                    assertThat(Attachments.hashMatches(a)).isTrue();
                });
        JsonNode rendered = JSON.readTree(format.render(format.parse(JSON.writeValueAsBytes(json), BR), BR));
        assertThat(rendered.at("/attachedFile/uRI").asText()).isEqualTo(json.at("/attachedFile/uRI").asText());
    }

    @Test
    void refusesToRenderWhatEdi3CannotCarry() {
        ExchangeEnvelope ack = new ExchangeEnvelope();
        ack.setHeader(new org.originhub.dataset.v1.HeaderType());
        ack.getHeader().setMessageType(MessageTypeCode.ACKNOWLEDGEMENT);
        ack.setBody(new BodyType());
        AcknowledgementType a = new AcknowledgementType();
        a.setStatus(AcknowledgementStatusCode.ACCEPTED);
        ack.getBody().setAcknowledgement(a);

        assertRejected(() -> format.render(ack, BR), RejectionReason.UNSUPPORTED_MESSAGE, "Acknowledgement");
    }

    // ---------------------------------------------------------------- status

    @ParameterizedTest
    @CsvSource({"issued,9,Issued", "replaced,5,Replaced", "amended,4,Amended", "Issued,9,Issued"})
    void mapsTheStatusOfACertificate(String status, String function, String datasetStatus) throws IOException {
        ExchangeEnvelope e = format.parse(withStatus(SAMPLE, status), BR);

        assertThat(e.getHeader().getMessageType()).isEqualTo(MessageTypeCode.CERTIFICATE_OF_ORIGIN);
        assertThat(e.getHeader().getMessageFunction()).isEqualTo(function);
        assertThat(e.getBody().getCertificateOfOrigin().getDocument().getStatus()).isEqualTo(CertificateStatusCode.fromValue(datasetStatus));
        assertThat(JSON.readTree(format.render(e, BR)).get("status").asText()).isEqualTo(status.toLowerCase());
    }

    @ParameterizedTest
    @CsvSource({"cancelled,Cancelled,cancelled", "canceled,Cancelled,cancelled", "revoked,Revoked,revoked",
            "withdrawn,Withdrawn,withdrawn"})
    void turnsAnEndedCertificateIntoAStatusNotice(String status, String noticeStatus, String rendered) throws IOException {
        ExchangeEnvelope e = format.parse(withStatus(SAMPLE, status), BR);

        assertThat(e.getHeader().getMessageType()).isEqualTo(MessageTypeCode.STATUS_NOTICE);
        assertThat(e.getHeader().getMessageFunction()).isEqualTo("1");
        assertThat(e.getHeader().getReceiver().getCountry()).isEqualTo("AR");
        assertThat(e.getBody().getCertificateOfOrigin()).isNull();
        var notice = e.getBody().getStatusNotice();
        assertThat(notice.getStatus()).isEqualTo(NoticeStatusCode.fromValue(noticeStatus));
        assertThat(notice.getCertificate().getNumber()).isEqualTo("fiesp.com.br:coo:A18-2025-004521");
        assertThat(notice.getCertificate().getIssueDate()).isEqualTo(LocalDate.of(2025, 3, 11));
        assertThat(notice.getCertificate().getIssuingCountry()).isEqualTo("BR");
        codec.write(completed(e));

        byte[] json = format.render(e, FormatContext.of("AR"));
        assertThat(schema.problems(JSON.readTree(json))).isEmpty();
        assertThat(JSON.readTree(json).get("status").asText()).isEqualTo(rendered);
        ExchangeEnvelope back = format.parse(json, FormatContext.of("AR"));
        assertThat(xml(back)).isEqualTo(xml(e));
    }

    @Test
    void readsAShortCancellation() throws IOException {
        byte[] json;
        try (InputStream in = getClass().getResourceAsStream("/edi3-json/coo-br-ar-cancelled.json")) {
            json = in.readAllBytes();
        }

        ExchangeEnvelope e = format.parse(json, BR);

        assertThat(e.getBody().getStatusNotice().getStatus()).isEqualTo(NoticeStatusCode.CANCELLED);
        assertThat(e.getHeader().getAgreementId()).isEqualTo("A18");
    }

    @Test
    void refusesAStatusWithoutMeaningInTheExchange() throws IOException {
        assertRejected(() -> format.parse(withStatus(SAMPLE, "draft"), BR), RejectionReason.MAPPING_FAILED, "draft");
    }

    // ---------------------------------------------------------------- hardening

    @Test
    void refusesADepthBomb() {
        String bomb = "{\"iD\":\"x:y\",\"isPreferential\":true,\"supplyChainConsignment\":{\"information\":"
                + "[".repeat(10_000) + "]".repeat(10_000) + "}}";

        assertRejected(() -> format.parse(bomb.getBytes(StandardCharsets.UTF_8), BR), RejectionReason.TOO_LARGE, "nesting depth");
    }

    @Test
    void refusesAHugeString() {
        Edi3JsonFormat strict = new Edi3JsonFormat(new Edi3JsonLimits(1 << 20, 64, 10_000));
        String huge = "{\"iD\":\"x:y\",\"name\":\"" + "A".repeat(20_000) + "\"}";

        assertRejected(() -> strict.parse(huge.getBytes(StandardCharsets.UTF_8), BR), RejectionReason.TOO_LARGE, "String value length");
    }

    @Test
    void refusesADocumentOverTheSizeLimit() throws IOException {
        Edi3JsonFormat small = new Edi3JsonFormat(new Edi3JsonLimits(1000, 64, 1000));

        assertRejected(() -> small.parse(Files.readAllBytes(SAMPLE), BR), RejectionReason.TOO_LARGE, "limit is 1000");
        byte[] tenMegabytes = new byte[10 * 1024 * 1024 + 1];
        java.util.Arrays.fill(tenMegabytes, (byte) ' ');
        assertRejected(() -> format.parse(tenMegabytes, BR), RejectionReason.TOO_LARGE, "limit is 10485760");
    }

    @Test
    void refusesDuplicateKeys() throws IOException {
        String json = Files.readString(SAMPLE).replaceFirst("\"status\": \"issued\",", "\"status\": \"issued\", \"status\": \"cancelled\",");

        assertRejected(() -> format.parse(json.getBytes(StandardCharsets.UTF_8), BR), RejectionReason.UNPARSEABLE, "Duplicate field 'status'");
    }

    @Test
    void refusesTrailingContent() throws IOException {
        byte[] json = (Files.readString(SAMPLE) + "\n{\"iD\": \"x:y\"}").getBytes(StandardCharsets.UTF_8);

        assertRejected(() -> format.parse(json, BR), RejectionReason.UNPARSEABLE, "Trailing token");
    }

    @Test
    void refusesWhatIsNotJson() {
        for (String text : List.of("<CertificateOfOrigin/>", "{\"iD\": ", "", "   ")) {
            assertRejected(() -> format.parse(text.getBytes(StandardCharsets.UTF_8), BR), RejectionReason.UNPARSEABLE, "");
        }
    }

    // ---------------------------------------------------------------- schema

    @Test
    void refusesADocumentAgainstTheSchemaNamingThePath() throws IOException {
        assertRejected(() -> format.parse(edited(j -> j.remove("iD")), BR), RejectionReason.SCHEMA_INVALID, "iD");
        assertRejected(() -> format.parse(edited(j -> j.put("isPreferential", "yes")), BR), RejectionReason.SCHEMA_INVALID,
                "/isPreferential");
        assertRejected(() -> format.parse(edited(j -> ((ObjectNode) j.at("/supplyChainConsignment/importCountry")).put("code", "ARG")), BR),
                RejectionReason.SCHEMA_INVALID, "/supplyChainConsignment/importCountry/code");
        assertRejected(() -> format.parse(edited(j -> j.put("issueDateTime", "11/03/2025")), BR), RejectionReason.SCHEMA_INVALID,
                "/issueDateTime");
        assertRejected(() -> format.parse(edited(j -> j.put("iD", "not a uri")), BR), RejectionReason.SCHEMA_INVALID, "/iD");
        assertRejected(() -> format.parse("[1, 2]".getBytes(StandardCharsets.UTF_8), BR), RejectionReason.SCHEMA_INVALID, "");
    }

    @Test
    void refusesADocumentWithoutWhatTheDatasetRequires() throws IOException {
        assertRejected(() -> format.parse(edited(j -> ((ObjectNode) j.get("supplyChainConsignment")).remove("importCountry")), BR),
                RejectionReason.MAPPING_FAILED, "supplyChainConsignment.importCountry.code");
        assertRejected(() -> format.parse(edited(j -> j.remove("issuer")), BR), RejectionReason.MAPPING_FAILED, "issuer");
        assertRejected(() -> format.parse(edited(j -> ((ObjectNode) j.at("/supplyChainConsignment/includedConsignmentItems/0/tradeLineItems/0"))
                .put("sequenceNumber", 1.5)), BR), RejectionReason.MAPPING_FAILED, "sequenceNumber");
    }

    // ---------------------------------------------------------------- helpers

    private void assertRoundTrip(byte[] source) throws IOException {
        ExchangeEnvelope first = format.parse(source, BR);

        byte[] rendered = format.render(first, FormatContext.of("AR"));

        assertThat(schema.problems(JSON.readTree(rendered))).isEmpty();
        ExchangeEnvelope second = format.parse(rendered, FormatContext.of("AR"));
        assertThat(xml(second)).isEqualTo(xml(first));
        assertThat(format.render(second, BR)).isEqualTo(rendered);
    }

    /** The envelope as XML, without the original-document attachment (which differs by construction), header completed. */
    private String xml(ExchangeEnvelope e) {
        if (e.getBody().getCertificateOfOrigin() != null) {
            e.getBody().getCertificateOfOrigin().getAttachment().removeIf(a -> a.getRole() == AttachmentRoleCode.ORIGINAL_NATIONAL_DOCUMENT);
        }
        return new String(codec.write(completed(e)), StandardCharsets.UTF_8);
    }

    /** What the hub adds before it signs. */
    private static ExchangeEnvelope completed(ExchangeEnvelope e) {
        e.getHeader().setMessageId("0b4f6a52-4a0e-4f8e-9a51-7a1b2c3d4e5f");
        e.getHeader().setCreatedAt(OffsetDateTime.parse("2025-03-11T15:00:00Z"));
        e.getHeader().setSchemaVersion(EnvelopeCodec.SCHEMA_VERSION);
        return e;
    }

    private static byte[] withStatus(Path sample, String status) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(sample.toFile());
        json.put("status", status);
        return JSON.writeValueAsBytes(json);
    }

    private static byte[] edited(java.util.function.Consumer<ObjectNode> edit) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(SAMPLE.toFile());
        edit.accept(json);
        return JSON.writeValueAsBytes(json);
    }

    private static void assertParty(PartyType p, String scheme, String id, String name) {
        assertThat(p.getId()).singleElement().satisfies(i -> {
            assertThat(i.getScheme()).isEqualTo(scheme);
            assertThat(i.getValue()).isEqualTo(id);
        });
        assertThat(p.getName()).isEqualTo(name);
    }

    private static void assertRejected(ThrowingCallable call, RejectionReason reason, String detail) {
        assertThatThrownBy(call).isInstanceOf(MessageRejectedException.class)
                .hasMessageContaining(detail)
                .satisfies(t -> assertThat(((MessageRejectedException) t).reason()).isEqualTo(reason));
    }
}
