package org.originhub.format.aladi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.originhub.dataset.Attachments;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.AttachmentType;
import org.originhub.dataset.v1.CertificateDocumentType;
import org.originhub.dataset.v1.CertificateOfOriginType;
import org.originhub.dataset.v1.CertificateStatusCode;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.GoodsItemType;
import org.originhub.dataset.v1.HeaderType;
import org.originhub.dataset.v1.MessageTypeCode;
import org.originhub.format.FormatContext;

/** parse(): every mapped field of each sample, checked against the values written in the sample. */
class AladiCodParseTest {
    private static final EnvelopeCodec CODEC = new EnvelopeCodec();
    private final AladiCodFormat format = new AladiCodFormat();

    private ExchangeEnvelope parse(String sample) {
        return format.parse(AladiSamples.sample(sample), FormatContext.of("AR"));
    }

    @Test
    void namesItself() {
        assertThat(format.name()).isEqualTo("aladi-cod");
    }

    @Test
    void formA14HeaderAndDocument() {
        ExchangeEnvelope env = parse(AladiSamples.A14);
        HeaderType h = env.getHeader();
        assertThat(h.getMessageType()).isEqualTo(MessageTypeCode.CERTIFICATE_OF_ORIGIN);
        assertThat(h.getMessageFunction()).isEqualTo("9");
        assertThat(h.getSender().getCountry()).isEqualTo("AR");
        assertThat(h.getSender().getAuthorityId()).isEqualTo("CAC");
        assertThat(h.getReceiver().getCountry()).isEqualTo("BR");
        assertThat(h.getDocumentNumber()).isEqualTo("ARCACA00142600073105");
        assertThat(h.getDocumentIssueDate()).isEqualTo(LocalDate.of(2026, 11, 19));
        assertThat(h.getAgreementId()).isEqualTo("A14");
        assertThat(h.getMessageId()).isNull();
        assertThat(h.getCreatedAt()).isNull();
        assertThat(h.getSchemaVersion()).isNull();

        CertificateDocumentType d = env.getBody().getCertificateOfOrigin().getDocument();
        assertThat(d.getNumber()).isEqualTo("ARCACA00142600073105");
        assertThat(d.getTypeCode()).isEqualTo("864");
        assertThat(d.getAgreement().getId()).isEqualTo("A14");
        assertThat(d.getAgreement().getName()).isEqualTo("Acuerdo de Complementación Económica N° 14 entre Argentina y Brasil");
        assertThat(d.getAgreement().getForm()).isEqualTo("FormA14");
        assertThat(d.isPreferential()).isTrue();
        // CertificateDate has no offset: local time in Buenos Aires
        assertThat(d.getIssueDateTime()).isEqualTo(OffsetDateTime.parse("2026-11-19T11:42:05-03:00"));
        assertThat(d.getExportingCountry()).isEqualTo("AR");
        assertThat(d.getImportingCountry()).isEqualTo("BR");
        assertThat(d.getStatus()).isEqualTo(CertificateStatusCode.ISSUED);
        assertThat(d.getReplacedCertificate()).isNull();
        assertThat(d.getControlCode()).isEqualTo("7F3A-19C2-88E0");
        assertThat(d.getRemarks()).containsExactly(
                "EH: Certificado emitido en forma digital conforme a la Resolución 386 del Comité de Representantes");
        assertThat(d.getExporterDeclaration().getDate()).isEqualTo(LocalDate.of(2026, 11, 18));
        assertThat(d.getExporterDeclaration().getText()).startsWith("Declaramos que las mercaderías indicadas");
        assertThat(d.getCertification().getDate()).isEqualTo(LocalDate.of(2026, 11, 19));
        assertThat(d.getCertification().getPlace()).isEqualTo("Ciudad Autónoma de Buenos Aires");

        var eh = d.getIssuingAuthority();
        assertThat(eh.getId()).singleElement().satisfies(id -> {
            assertThat(id.getValue()).isEqualTo("CAC");
            assertThat(id.getScheme()).isEqualTo("ALADI-EH");
        });
        assertThat(eh.getName()).isEqualTo("Cámara Argentina de Comercio y Servicios");
        assertThat(eh.getAddress().getLine()).containsExactly("Av. Leandro N. Alem 36");
        assertThat(eh.getAddress().getCity()).isEqualTo("Ciudad Autónoma de Buenos Aires");
        assertThat(eh.getAddress().getCountry()).isEqualTo("AR");
        assertThat(eh.getContact().getTelephone()).isEqualTo("+54 11 5300-9000");
        assertThat(eh.getContact().getEmail()).isEqualTo("origen@cac.com.ar");
        assertThat(eh.getContact().getUrl()).isEqualTo("https://www.cac.com.ar");
    }

    @Test
    void formA14PartiesTransportInvoicesGoods() {
        CertificateOfOriginType co = parse(AladiSamples.A14).getBody().getCertificateOfOrigin();
        var exporter = co.getExporter();
        assertThat(exporter.getName()).isEqualTo("Autopartes del Sur S.A.");
        assertThat(exporter.getAddress().getLine()).containsExactly("Av. Gral. Paz 10250", "Villa Insuperable");
        assertThat(exporter.getAddress().getCity()).isEqualTo("La Matanza");
        assertThat(exporter.getAddress().getCountry()).isEqualTo("AR");
        assertThat(exporter.getContact().getTelephone()).isEqualTo("+54 11 4652-3300");
        assertThat(exporter.getContact().getFax()).isEqualTo("+54 11 4652-3301");
        assertThat(exporter.getContact().getEmail()).isEqualTo("comex@autopartesdelsur.com.ar");
        assertThat(exporter.getContact().getUrl()).isEqualTo("https://www.autopartesdelsur.com.ar");
        var importer = co.getImporter();
        assertThat(importer.getName()).isEqualTo("Montadora Paulista de Veículos Ltda.");
        assertThat(importer.getAddress().getLine()).containsExactly("Rodovia Anchieta, km 23,5", "Demarchi");
        assertThat(importer.getAddress().getCity()).isEqualTo("São Bernardo do Campo");
        assertThat(importer.getAddress().getCountry()).isEqualTo("BR");
        assertThat(co.getConsignee()).isNull();
        assertThat(co.getProducers()).isNull();

        assertThat(co.getTransport().getMode()).isEqualTo("3");
        assertThat(co.getTransport().getDescription()).isEqualTo("TERRESTRE (CAMION)");
        assertThat(co.getTransport().getPortOfLoading().getName()).isEqualTo("Paso de los Libres");
        assertThat(co.getTransport().getPortOfDischarge().getCountry()).isEqualTo("BR");

        assertThat(co.getInvoice()).hasSize(2);
        assertThat(co.getInvoice().get(0).getSequenceNumber()).isEqualTo(BigInteger.ONE);
        assertThat(co.getInvoice().get(0).getNumber()).isEqualTo("0003-00012877");
        assertThat(co.getInvoice().get(0).getDate()).isEqualTo(LocalDate.of(2026, 11, 16));
        assertThat(co.getInvoice().get(1).getNumber()).isEqualTo("0003-00012878");

        assertThat(co.getGoodsItem()).hasSize(2);
        GoodsItemType g1 = co.getGoodsItem().get(0);
        assertThat(g1.getSequenceNumber()).isEqualTo(BigInteger.ONE);
        assertThat(g1.getDescription()).startsWith("Pastillas de freno montadas");
        assertThat(g1.getClassification().getHsCode()).isEqualTo("870830");
        assertThat(g1.getClassification().getNationalCode()).isEqualTo("87083090");
        assertThat(g1.getClassification().getHsEdition()).isEqualTo("NCM");
        assertThat(g1.getNetWeight().getValue()).isEqualByComparingTo("12450.5");
        assertThat(g1.getNetWeight().getUnitCode()).isEqualTo("KGM");
        assertThat(g1.getQuantity()).isNull();
        assertThat(g1.getValue().getValue()).isEqualByComparingTo("86320.00");
        assertThat(g1.getValue().getCurrency()).isEqualTo("USD");
        assertThat(g1.getOriginCriterion().getCode()).isEqualTo("Art. 3 c)");
        assertThat(g1.getOriginCriterion().getText()).isEqualTo("Art. 3 c) Anexo I Régimen de Origen ACE 14 - salto de partida arancelaria");
        assertThat(g1.getCountryOfOrigin()).isEqualTo("AR");
        assertThat(g1.getInvoiceReference()).isEqualTo("1");
        GoodsItemType g2 = co.getGoodsItem().get(1);
        assertThat(g2.getQuantity().getValue()).isEqualByComparingTo("3200");
        assertThat(g2.getQuantity().getUnitCode()).isEqualTo("H87");
        assertThat(g2.getNetWeight()).isNull();
        assertThat(g2.getOriginCriterion().getCode()).isEqualTo("Art. 3 d)");
        assertThat(g2.getOriginCriterion().getPercent()).isEqualByComparingTo("60");
        assertThat(g2.getRemarks()).isEqualTo("Declaración jurada del productor del 2026-11-10");
        assertThat(g2.getInvoiceReference()).isEqualTo("2");
    }

    @Test
    void formA18SubscriberThirdOperatorItemDeclarations() {
        ExchangeEnvelope env = parse(AladiSamples.A18);
        CertificateOfOriginType co = env.getBody().getCertificateOfOrigin();
        CertificateDocumentType d = co.getDocument();
        assertThat(env.getHeader().getReceiver().getCountry()).isEqualTo("BR");
        assertThat(d.getAgreement().getForm()).isEqualTo("FormA18");
        assertThat(d.getIssueDateTime()).isEqualTo(OffsetDateTime.parse("2026-11-14T15:20:00-03:00"));
        assertThat(d.getExporterDeclaration().getSignatory()).isEqualTo("María Laura Giménez");
        assertThat(d.getExporterDeclaration().getDate()).isEqualTo(LocalDate.of(2026, 11, 13));
        assertThat(d.getRemarks()).containsExactly("Mercadería transportada en camión refrigerado.");
        assertThat(d.getFlags().isThirdPartyInvoicing()).isTrue();
        assertThat(d.getFlags().getThirdPartyOperator().getName()).isEqualTo("Andes Trading Corp.");
        assertThat(d.getFlags().getThirdPartyOperator().getAddress().getLine()).containsExactly("Calle 50, Torre Global Bank, piso 21");
        assertThat(d.getFlags().getThirdPartyOperator().getAddress().getCity()).isEqualTo("Panamá");
        assertThat(d.getFlags().getThirdPartyOperator().getAddress().getCountry()).isEqualTo("PA");

        assertThat(co.getExporter().getAddress().getCity()).isEqualTo("Maipú, Mendoza");
        assertThat(co.getImporter().getAddress().getCity()).isEqualTo("Porto Alegre");
        assertThat(co.getTransport().getPortOfLoading().getCode()).isEqualTo("ARMDZ");
        assertThat(co.getTransport().getMode()).isNull();
        assertThat(co.getInvoice()).singleElement().satisfies(i -> {
            assertThat(i.getSequenceNumber()).isEqualTo(BigInteger.ONE);
            assertThat(i.getNumber()).isEqualTo("E-0005-00004312");
            assertThat(i.getDate()).isEqualTo(LocalDate.of(2026, 11, 12));
        });
        GoodsItemType g1 = co.getGoodsItem().get(0);
        assertThat(g1.getClassification().getNationalCode()).isEqualTo("22042100");
        assertThat(g1.getClassification().getHsCode()).isEqualTo("220421");
        assertThat(g1.getClassification().getHsEdition()).isEqualTo("NCM 2022"); // Comments/HSVer wins
        assertThat(g1.getQuantity().getValue()).isEqualByComparingTo("10800");
        assertThat(g1.getQuantity().getUnitCode()).isEqualTo("LTR");
        assertThat(g1.getValue().getValue()).isEqualByComparingTo("52380.00");
        assertThat(g1.getValue().getCurrency()).isEqualTo("USD");
        assertThat(g1.getRemarks()).isEqualTo("Declaración jurada del productor N° 4521 del 2026-10-02");
        assertThat(co.getGoodsItem().get(1).getNetWeight().getValue()).isEqualByComparingTo("2430.75");
    }

    @Test
    void formR252Op3cAndNaladisa() {
        ExchangeEnvelope env = parse(AladiSamples.R252);
        CertificateOfOriginType co = env.getBody().getCertificateOfOrigin();
        CertificateDocumentType d = co.getDocument();
        assertThat(env.getHeader().getSender().getCountry()).isEqualTo("UY");
        assertThat(env.getHeader().getSender().getAuthorityId()).isEqualTo("CIU");
        assertThat(env.getHeader().getReceiver().getCountry()).isEqualTo("MX");
        assertThat(env.getHeader().getAgreementId()).isEqualTo("R04");
        assertThat(d.getAgreement().getForm()).isEqualTo("FormR252");
        assertThat(d.getIssueDateTime()).isEqualTo(OffsetDateTime.parse("2026-11-05T09:10:00-03:00"));
        assertThat(d.getControlCode()).isNull();
        assertThat(d.getFlags().isThirdPartyInvoicing()).isTrue();
        assertThat(d.getFlags().getThirdPartyOperator().getName()).isEqualTo("Wool Traders International LLC");
        assertThat(d.getFlags().getThirdPartyOperator().getAddress().getCountry()).isEqualTo("US");
        assertThat(co.getTransport()).isNull();
        assertThat(co.getGoodsItem()).hasSize(2).allSatisfy(g -> {
            assertThat(g.getClassification().getHsEdition()).isEqualTo("NALADISA");
            assertThat(g.getValue()).isNull(); // FormR252 has no FOB value
            assertThat(g.getNetWeight().getUnitCode()).isEqualTo("KGM");
        });
        assertThat(co.getGoodsItem().get(1).getClassification().getHsCode()).isEqualTo("510710");
        assertThat(co.getGoodsItem().get(1).getOriginCriterion().getCode()).isEqualTo("Art. 1 d)");
        // 4.1.2 is validated with the 4.1.0 schema, and the attachment names the version the document declares
        assertThat(co.getAttachment().get(0).getFormat()).isEqualTo("aladi-cod 4.1.2");
    }

    @Test
    void version180FormA18ConsigneeThirdPartyInvoiceRepresentativeless() {
        ExchangeEnvelope env = parse(AladiSamples.A18_V180);
        CertificateOfOriginType co = env.getBody().getCertificateOfOrigin();
        CertificateDocumentType d = co.getDocument();
        assertThat(env.getHeader().getSender().getCountry()).isEqualTo("BR");
        assertThat(env.getHeader().getReceiver().getCountry()).isEqualTo("UY");
        assertThat(d.getNumber()).isEqualTo("BRCNIA18260000441703");
        assertThat(d.getIssueDateTime()).isEqualTo(OffsetDateTime.parse("2026-11-11T16:05:30-03:00"));
        assertThat(d.getIssuingAuthority().getAddress().getLine()).containsExactly("Av. Assis Brasil 8787", "Sarandi");
        assertThat(d.getIssuingAuthority().getAddress().getCity()).isEqualTo("Porto Alegre");
        assertThat(d.getIssuingAuthority().getContact().getUrl()).isEqualTo("http://www.fiergs.org.br");
        assertThat(d.getExporterDeclaration().getText()).isNull();
        assertThat(co.getConsignee().getName()).isEqualTo("Depósito Franco Colonia S.A.");
        assertThat(co.getConsignee().getAddress().getCity()).isEqualTo("Colonia del Sacramento");
        assertThat(co.getTransport().getMode()).isEqualTo("1");
        assertThat(co.getTransport().getPortOfLoading().getCode()).isEqualTo("BRRIG");
        assertThat(co.getTransport().getPortOfDischarge().getCountry()).isEqualTo("UY");
        assertThat(co.getInvoice()).hasSize(3);
        assertThat(co.getInvoice().get(2).isThirdParty()).isTrue();
        assertThat(co.getInvoice().get(2).getNumber()).isEqualTo("AFT-2026-0931");
        assertThat(co.getInvoice().get(2).getDate()).isEqualTo(LocalDate.of(2026, 11, 10));
        assertThat(co.getInvoice().get(2).getIssuer().getName()).isEqualTo("Atlantic Footwear Trading Inc.");
        GoodsItemType g1 = co.getGoodsItem().get(0);
        assertThat(g1.getQuantity().getUnitCode()).isEqualTo("PR");
        assertThat(g1.getOriginCriterion().getCode()).isEqualTo("CTH");
        assertThat(g1.getValue().getValue()).isEqualByComparingTo(new BigDecimal("64800.00"));
        assertThat(co.getAttachment().get(0).getFormat()).isEqualTo("aladi-cod 1.8.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {AladiSamples.A14, AladiSamples.A18, AladiSamples.R252, AladiSamples.A18_V180})
    void attachesTheOriginalAndIsAValidEnvelope(String sample) {
        byte[] bytes = AladiSamples.sample(sample);
        ExchangeEnvelope env = format.parse(bytes, FormatContext.of("AR"));
        AttachmentType original = Attachments.findOriginal(env.getBody().getCertificateOfOrigin()).orElseThrow();
        assertThat(original.getContent()).isEqualTo(bytes);
        assertThat(Attachments.hashMatches(original)).isTrue();
        assertThat(original.getMimeType()).isEqualTo("application/xml");
        assertThat(original.getFileName()).isEqualTo(env.getHeader().getDocumentNumber() + ".xml");

        // the hub fills these three; the rest must already follow the envelope XSD
        env.getHeader().setMessageId(UUID.randomUUID().toString());
        env.getHeader().setCreatedAt(OffsetDateTime.now());
        env.getHeader().setSchemaVersion(EnvelopeCodec.SCHEMA_VERSION);
        assertThatCode(() -> CODEC.toDocument(env)).doesNotThrowAnyException();
    }
}
