package org.originhub.format.edi3;

import static org.originhub.format.edi3.Edi3Values.missing;
import static org.originhub.format.edi3.Edi3Values.text2048;
import static org.originhub.format.edi3.Edi3Values.text256;
import static org.originhub.format.edi3.Edi3Values.token64;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.originhub.dataset.Attachments;
import org.originhub.dataset.v1.AddressType;
import org.originhub.dataset.v1.AgreementType;
import org.originhub.dataset.v1.AttachmentRoleCode;
import org.originhub.dataset.v1.AttachmentType;
import org.originhub.dataset.v1.AuthorityRefType;
import org.originhub.dataset.v1.BodyType;
import org.originhub.dataset.v1.CertificateDocumentType;
import org.originhub.dataset.v1.CertificateOfOriginType;
import org.originhub.dataset.v1.CertificateReferenceType;
import org.originhub.dataset.v1.CertificationType;
import org.originhub.dataset.v1.DeclarationType;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.GoodsItemType;
import org.originhub.dataset.v1.HeaderType;
import org.originhub.dataset.v1.IdentifierType;
import org.originhub.dataset.v1.InvoiceType;
import org.originhub.dataset.v1.LocationType;
import org.originhub.dataset.v1.MessageTypeCode;
import org.originhub.dataset.v1.PartyType;
import org.originhub.dataset.v1.ProducerType;
import org.originhub.dataset.v1.ProducersType;
import org.originhub.dataset.v1.StatusNoticeType;
import org.originhub.dataset.v1.TransportType;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;

/**
 * Maps one schema-valid edi3 Certificate of Origin to the exchange envelope (see {@link Edi3JsonFormat} for the
 * field table). A field the common dataset requires but the document lacks is {@code MAPPING_FAILED}, naming the
 * JSON path. One instance per document.
 */
final class Edi3CertificateReader {
    private final JsonNode root;
    private final byte[] original;
    private final Map<String, InvoiceType> invoices = new LinkedHashMap<>();
    private final List<ProducerType> producers = new ArrayList<>();

    Edi3CertificateReader(JsonNode root, byte[] original) {
        this.root = root;
        this.original = original;
    }

    ExchangeEnvelope read() {
        Edi3Status status = Edi3Status.fromJson(text(root, "status"));
        JsonNode consignment = root.path("supplyChainConsignment");
        String number = token64(Edi3Values.fromUri(text(root, "iD"), "coo"), "iD");
        if (number == null) throw missing("iD", "the CO number");
        OffsetDateTime issued = Edi3Values.dateTime(text(root, "issueDateTime"), "issueDateTime");
        String exporting = exportingCountry(consignment);
        String importing = text(consignment.path("importCountry"), "code");
        if (importing == null) {
            throw missing("supplyChainConsignment.importCountry.code", "the importing country receives the CO");
        }
        String agreement = token64(text(root, "freeTradeAgreement"), "freeTradeAgreement");

        HeaderType header = new HeaderType();
        header.setMessageType(status.isNotice() ? MessageTypeCode.STATUS_NOTICE : MessageTypeCode.CERTIFICATE_OF_ORIGIN);
        header.setMessageFunction(status.messageFunction());
        header.setSender(authority(exporting));
        header.setReceiver(authority(importing));
        header.setAgreementId(agreement);
        header.setDocumentNumber(number);
        header.setDocumentIssueDate(issued == null ? null : issued.toLocalDate());

        BodyType body = new BodyType();
        if (status.isNotice()) {
            body.setStatusNotice(notice(status, number, issued, exporting));
        } else {
            body.setCertificateOfOrigin(certificate(status, number, issued, exporting, importing, agreement, consignment));
        }
        ExchangeEnvelope envelope = new ExchangeEnvelope();
        envelope.setHeader(header);
        envelope.setBody(body);
        return envelope;
    }

    private String exportingCountry(JsonNode consignment) {
        String code = text(consignment.path("exportCountry"), "code");
        if (code == null) code = text(root.path("issuer").path("postalAddress"), "countryCode");
        if (code == null) {
            throw missing("supplyChainConsignment.exportCountry.code", "neither it nor the issuer's country is given");
        }
        return code;
    }

    private static AuthorityRefType authority(String country) {
        AuthorityRefType a = new AuthorityRefType();
        a.setCountry(country);
        return a;
    }

    private static StatusNoticeType notice(Edi3Status status, String number, OffsetDateTime issued, String exporting) {
        CertificateReferenceType ref = new CertificateReferenceType();
        ref.setNumber(number);
        ref.setIssueDate(issued == null ? null : issued.toLocalDate());
        ref.setIssuingCountry(exporting);
        StatusNoticeType n = new StatusNoticeType();
        n.setCertificate(ref);
        n.setStatus(status.noticeStatus());
        return n;
    }

    private CertificateOfOriginType certificate(Edi3Status status, String number, OffsetDateTime issued, String exporting,
                                                String importing, String agreement, JsonNode consignment) {
        CertificateDocumentType doc = new CertificateDocumentType();
        doc.setNumber(number);
        boolean preferential = root.path("isPreferential").asBoolean(false);
        doc.setTypeCode(preferential ? "864" : "861");
        if (agreement != null) {
            AgreementType a = new AgreementType();
            a.setId(agreement);
            String form = text(root, "name");
            a.setForm(form != null && form.strip().length() <= 64 ? token64(form, "name") : null);
            doc.setAgreement(a);
        }
        doc.setPreferential(preferential);
        if (issued == null) throw missing("issueDateTime", "the common dataset requires the CO's issue date-time");
        doc.setIssueDateTime(issued);
        PartyType issuer = party(root.path("issuer"), "issuer");
        if (issuer == null) throw missing("issuer", "the common dataset requires the issuing authority");
        doc.setIssuingAuthority(issuer);
        doc.setPlaceOfIssue(location(root.path("issueLocation"), "issueLocation"));
        doc.setExportingCountry(exporting);
        doc.setImportingCountry(importing);
        doc.setStatus(status.certificateStatus());
        String information = text2048(text(consignment, "information"), "supplyChainConsignment.information");
        if (information != null) doc.getRemarks().add(information);
        doc.setExporterDeclaration(declaration(root.path("firstSignatoryAuthentication")));
        doc.setCertification(certification(root.path("secondSignatoryAuthentication")));

        CertificateOfOriginType co = new CertificateOfOriginType();
        co.setDocument(doc);
        PartyType exporter = party(consignment.path("exporter"), "supplyChainConsignment.exporter");
        if (exporter == null) throw missing("supplyChainConsignment.exporter", "the common dataset requires the exporter");
        co.setExporter(exporter);
        co.setImporter(party(consignment.path("importer"), "supplyChainConsignment.importer"));
        co.setTransport(transport(consignment));
        co.getGoodsItem().addAll(goods(consignment.path("includedConsignmentItems")));
        if (co.getGoodsItem().isEmpty()) {
            throw missing("supplyChainConsignment.includedConsignmentItems[].tradeLineItems", "a CO covers at least one goods item");
        }
        if (!producers.isEmpty()) {
            ProducersType p = new ProducersType();
            p.getProducer().addAll(producers);
            co.setProducers(p);
        }
        co.getInvoice().addAll(invoices.values());
        AttachmentType file = attachedFile(root.path("attachedFile"));
        if (file != null) co.getAttachment().add(file);
        co.getAttachment().add(Attachments.originalDocument(original, Edi3JsonFormat.NAME, Edi3JsonFormat.MEDIA_TYPE,
                fileName(number)));
        return co;
    }

    // ---------------------------------------------------------------- parties and places

    private static PartyType party(JsonNode node, String path) {
        if (!node.isObject()) return null;
        PartyType p = new PartyType();
        IdentifierType id = Edi3Values.partyId(text(node, "iD"), path + ".iD");
        if (id != null) p.getId().add(id);
        String name = text256(text(node, "name"), path + ".name");
        if (name == null) throw missing(path + ".name", "the common dataset requires a name for every party");
        p.setName(name);
        p.setAddress(address(node.path("postalAddress"), path + ".postalAddress"));
        return p;
    }

    private static AddressType address(JsonNode node, String path) {
        if (!node.isObject()) return null;
        AddressType a = new AddressType();
        for (String line : List.of("line1", "line2")) {
            String l = text256(text(node, line), path + "." + line);
            if (l != null) a.getLine().add(l);
        }
        a.setCity(text256(text(node, "cityName"), path + ".cityName"));
        a.setPostCode(token64(text(node, "postcode"), path + ".postcode"));
        a.setCountrySubdivision(text256(text(node, "countrySubDivisionName"), path + ".countrySubDivisionName"));
        a.setCountry(text(node, "countryCode"));
        boolean empty = a.getLine().isEmpty() && a.getCity() == null && a.getPostCode() == null
                && a.getCountrySubdivision() == null && a.getCountry() == null;
        return empty ? null : a;
    }

    private static LocationType location(JsonNode node, String path) {
        if (!node.isObject()) return null;
        LocationType l = new LocationType();
        String code = Edi3Values.locode(text(node, "iD"));
        l.setCode(code);
        l.setName(text256(text(node, "name"), path + ".name"));
        l.setCountry(code == null ? null : code.substring(0, 2));
        return code == null && l.getName() == null ? null : l;
    }

    private static DeclarationType declaration(JsonNode node) {
        if (!node.isObject()) return null;
        DeclarationType d = new DeclarationType();
        d.setDate(Edi3Values.date(text(node, "actualDateTime"), "firstSignatoryAuthentication.actualDateTime"));
        d.setText(text2048(text(node, "statement"), "firstSignatoryAuthentication.statement"));
        return d.getDate() == null && d.getText() == null ? null : d;
    }

    private static CertificationType certification(JsonNode node) {
        LocalDate date = Edi3Values.date(text(node, "actualDateTime"), "secondSignatoryAuthentication.actualDateTime");
        if (date == null) return null;
        CertificationType c = new CertificationType();
        c.setDate(date);
        return c;
    }

    private static TransportType transport(JsonNode consignment) {
        String base = "supplyChainConsignment.";
        TransportType t = new TransportType();
        JsonNode movement = consignment.path("mainCarriageTransportMovement");
        JsonNode means = movement.path("usedTransportMeans");
        String meansId = text(means, "name") != null ? text(means, "name") : text(means, "iD");
        t.setMeansId(text256(meansId, base + "mainCarriageTransportMovement.usedTransportMeans.name"));
        t.setDepartureDate(Edi3Values.date(text(movement.path("departureEvent"), "departureDateTime"),
                base + "mainCarriageTransportMovement.departureEvent.departureDateTime"));
        t.setDescription(text2048(text(movement, "information"), base + "mainCarriageTransportMovement.information"));
        t.setPortOfLoading(location(consignment.path("loadingBaseportLocation"), base + "loadingBaseportLocation"));
        t.setPortOfDischarge(location(consignment.path("unloadingBaseportLocation"), base + "unloadingBaseportLocation"));
        boolean empty = t.getMeansId() == null && t.getDepartureDate() == null && t.getDescription() == null
                && t.getPortOfLoading() == null && t.getPortOfDischarge() == null;
        return empty ? null : t;
    }

    // ---------------------------------------------------------------- goods

    private List<GoodsItemType> goods(JsonNode consignmentItems) {
        List<GoodsItemType> goods = new ArrayList<>();
        int running = 0;
        for (int i = 0; i < consignmentItems.size(); i++) {
            JsonNode item = consignmentItems.get(i);
            String itemPath = "supplyChainConsignment.includedConsignmentItems[" + i + "]";
            String criterion = text(item.path("crossBorderRegulatoryProcedure"), "originCriteriaText");
            String producer = producerReference(item.path("manufacturer"), itemPath + ".manufacturer");
            JsonNode lines = item.path("tradeLineItems");
            for (int j = 0; j < lines.size(); j++) {
                running++;
                String path = itemPath + ".tradeLineItems[" + j + "]";
                goods.add(goodsItem(lines.get(j), path, running, criterion, itemPath, producer));
            }
        }
        return goods;
    }

    private GoodsItemType goodsItem(JsonNode line, String path, int running, String criterion, String itemPath,
                                    String producer) {
        GoodsItemType g = new GoodsItemType();
        g.setSequenceNumber(sequenceNumber(line.path("sequenceNumber"), path + ".sequenceNumber", running));
        JsonNode product = line.path("tradeProduct");
        JsonNode tariff = product.path("harmonisedTariffCode");
        String description = text(product, "description");
        if (description == null) description = text(tariff, "className");
        // The edi3 model makes the description optional; the dataset element is required but may be empty.
        String text = text2048(description, path + ".tradeProduct.description");
        g.setDescription(text == null ? "" : text);
        g.setClassification(Edi3Values.classification(text(tariff, "classCode"),
                path + ".tradeProduct.harmonisedTariffCode.classCode"));
        g.setOriginCriterion(Edi3Values.originCriterion(criterion,
                itemPath + ".crossBorderRegulatoryProcedure.originCriteriaText"));
        g.setCountryOfOrigin(text(product.path("originCountry"), "code"));
        g.setInvoiceReference(invoiceReference(line.path("invoiceReference"), path + ".invoiceReference"));
        g.setProducerReference(producer);
        return g;
    }

    private static BigInteger sequenceNumber(JsonNode node, String path, int running) {
        if (node.isMissingNode() || node.isNull()) return BigInteger.valueOf(running);
        BigDecimal n = node.decimalValue();
        try {
            BigInteger value = n.toBigIntegerExact();
            if (value.signum() > 0) return value;
        } catch (ArithmeticException notWhole) {
            // falls through to the rejection below
        }
        throw new MessageRejectedException(RejectionReason.MAPPING_FAILED,
                path + " must be a positive whole number, not " + node.asText());
    }

    private String invoiceReference(JsonNode node, String path) {
        String number = token64(Edi3Values.fromUri(text(node, "iD"), "invoice"), path + ".iD");
        if (number == null) return null;
        InvoiceType invoice = invoices.computeIfAbsent(number, n -> {
            InvoiceType inv = new InvoiceType();
            inv.setSequenceNumber(BigInteger.valueOf(invoices.size() + 1L));
            inv.setNumber(n);
            return inv;
        });
        if (invoice.getDate() == null) {
            invoice.setDate(Edi3Values.date(text(node, "formattedIssueDateTime"), path + ".formattedIssueDateTime"));
        }
        return number;
    }

    /** The SequenceNumber of the consignment item's manufacturer among the CO's producers (added on first sight). */
    private String producerReference(JsonNode node, String path) {
        PartyType party = party(node, path);
        if (party == null) return null;
        for (ProducerType known : producers) {
            if (Objects.equals(known.getName(), party.getName()) && sameIds(known, party)) {
                return known.getSequenceNumber().toString();
            }
        }
        ProducerType p = new ProducerType();
        p.getId().addAll(party.getId());
        p.setName(party.getName());
        p.setAddress(party.getAddress());
        p.setSequenceNumber(BigInteger.valueOf(producers.size() + 1L));
        producers.add(p);
        return p.getSequenceNumber().toString();
    }

    private static boolean sameIds(PartyType a, PartyType b) {
        if (a.getId().size() != b.getId().size()) return false;
        for (int i = 0; i < a.getId().size(); i++) {
            if (!Objects.equals(a.getId().get(i).getValue(), b.getId().get(i).getValue())
                    || !Objects.equals(a.getId().get(i).getScheme(), b.getId().get(i).getScheme())) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- attachments

    /**
     * The edi3 attachedFile, when it carries its content as a base64 {@code data:} URI: a PDF is the paper form,
     * anything else a supporting document. A file that is only a link is not fetched, and not mapped.
     */
    private static AttachmentType attachedFile(JsonNode node) {
        String uri = text(node, "uRI");
        if (uri == null || !uri.regionMatches(true, 0, "data:", 0, 5)) return null;
        int comma = uri.indexOf(',');
        if (comma < 0) return null;
        String meta = uri.substring(5, comma);
        if (!meta.toLowerCase(java.util.Locale.ROOT).endsWith(";base64")) return null;
        byte[] content;
        try {
            content = Base64.getMimeDecoder().decode(uri.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw new MessageRejectedException(RejectionReason.MAPPING_FAILED, "attachedFile.uRI is not valid base64", e);
        }
        String declared = text(node, "mIMECode");
        String inUri = meta.substring(0, meta.length() - ";base64".length());
        String mime = token64(declared != null ? declared : inUri.isEmpty() ? "application/octet-stream" : inUri,
                "attachedFile.mIMECode");
        AttachmentType a = new AttachmentType();
        a.setRole("application/pdf".equalsIgnoreCase(mime) ? AttachmentRoleCode.PAPER_FORM : AttachmentRoleCode.SUPPORTING);
        a.setMimeType(mime);
        a.setSha256(Attachments.sha256Hex(content));
        a.setContent(content);
        return a;
    }

    /** A file name for the original document: the CO number with characters unsafe in file names replaced. */
    static String fileName(String number) {
        String safe = number.replaceAll("[^A-Za-z0-9._-]", "_");
        byte[] bytes = (safe + ".json").getBytes(StandardCharsets.UTF_8);
        return bytes.length <= 256 ? safe + ".json" : safe.substring(0, 250) + ".json";
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }
}
