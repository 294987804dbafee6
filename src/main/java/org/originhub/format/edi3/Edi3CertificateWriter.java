package org.originhub.format.edi3;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.originhub.dataset.v1.AddressType;
import org.originhub.dataset.v1.AttachmentRoleCode;
import org.originhub.dataset.v1.AttachmentType;
import org.originhub.dataset.v1.BodyType;
import org.originhub.dataset.v1.CertificateDocumentType;
import org.originhub.dataset.v1.CertificateOfOriginType;
import org.originhub.dataset.v1.CertificateReferenceType;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.GoodsItemType;
import org.originhub.dataset.v1.HeaderType;
import org.originhub.dataset.v1.InvoiceType;
import org.originhub.dataset.v1.LocationType;
import org.originhub.dataset.v1.PartyType;
import org.originhub.dataset.v1.ProducerType;
import org.originhub.dataset.v1.StatusNoticeType;
import org.originhub.dataset.v1.TransportType;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;

/**
 * Builds the edi3 Certificate of Origin for an exchange envelope, with a fixed field order (so that one envelope
 * always gives the same bytes). See {@link Edi3JsonFormat} for the field table.
 */
final class Edi3CertificateWriter {
    private static final JsonNodeFactory JSON = JsonNodeFactory.withExactBigDecimals(true);

    private Edi3CertificateWriter() {
    }

    static ObjectNode write(ExchangeEnvelope envelope) {
        BodyType body = envelope.getBody();
        HeaderType header = envelope.getHeader();
        if (body != null && body.getCertificateOfOrigin() != null) return certificate(body.getCertificateOfOrigin());
        if (body != null && body.getStatusNotice() != null) return notice(header, body.getStatusNotice());
        String type = header != null && header.getMessageType() != null ? header.getMessageType().value() : "unknown";
        throw new MessageRejectedException(RejectionReason.UNSUPPORTED_MESSAGE, "a " + type
                + " message cannot be expressed in edi3-json, which carries only certificates of origin and their status");
    }

    // ---------------------------------------------------------------- certificate

    private static ObjectNode certificate(CertificateOfOriginType co) {
        CertificateDocumentType doc = co.getDocument();
        ObjectNode out = JSON.objectNode();
        out.put("iD", Edi3Values.toUri(doc.getNumber(), "coo"));
        out.put("issueDateTime", Edi3Values.format(doc.getIssueDateTime()));
        if (doc.getAgreement() != null && doc.getAgreement().getForm() != null) {
            out.put("name", doc.getAgreement().getForm());
        }
        out.set("issuer", party(doc.getIssuingAuthority()));
        putIfAny(out, "issueLocation", location(doc.getPlaceOfIssue()));
        out.put("status", Edi3Status.of(doc.getStatus()).json());
        out.put("isPreferential", doc.isPreferential());
        if (doc.getAgreement() != null) out.put("freeTradeAgreement", doc.getAgreement().getId());
        if (doc.getExporterDeclaration() != null) {
            ObjectNode first = JSON.objectNode();
            if (doc.getExporterDeclaration().getDate() != null) {
                first.put("actualDateTime", Edi3Values.format(doc.getExporterDeclaration().getDate()));
            }
            if (doc.getExporterDeclaration().getText() != null) first.put("statement", doc.getExporterDeclaration().getText());
            putIfAny(out, "firstSignatoryAuthentication", first);
        }
        if (doc.getCertification() != null && doc.getCertification().getDate() != null) {
            ObjectNode second = JSON.objectNode();
            second.put("actualDateTime", Edi3Values.format(doc.getCertification().getDate()));
            out.set("secondSignatoryAuthentication", second);
        }
        co.getAttachment().stream().filter(a -> a.getRole() != AttachmentRoleCode.ORIGINAL_NATIONAL_DOCUMENT)
                .findFirst().ifPresent(a -> out.set("attachedFile", attachedFile(a)));

        ObjectNode consignment = JSON.objectNode();
        if (!doc.getRemarks().isEmpty()) consignment.put("information", String.join("\n", doc.getRemarks()));
        consignment.set("exportCountry", country(doc.getExportingCountry()));
        consignment.set("exporter", party(co.getExporter()));
        consignment.set("importCountry", country(doc.getImportingCountry()));
        if (co.getImporter() != null) consignment.set("importer", party(co.getImporter()));
        TransportType t = co.getTransport();
        if (t != null) {
            putIfAny(consignment, "loadingBaseportLocation", location(t.getPortOfLoading()));
            putIfAny(consignment, "unloadingBaseportLocation", location(t.getPortOfDischarge()));
            putIfAny(consignment, "mainCarriageTransportMovement", movement(t));
        }
        consignment.set("includedConsignmentItems", consignmentItems(co));
        out.set("supplyChainConsignment", consignment);
        return out;
    }

    /** Consecutive goods items with the same origin criterion and producer travel in one consignment item. */
    private static ArrayNode consignmentItems(CertificateOfOriginType co) {
        ArrayNode items = JSON.arrayNode();
        List<GoodsItemType> group = new ArrayList<>();
        for (GoodsItemType g : co.getGoodsItem()) {
            if (!group.isEmpty() && !sameGroup(group.get(0), g)) {
                items.add(consignmentItem(co, group));
                group = new ArrayList<>();
            }
            group.add(g);
        }
        if (!group.isEmpty()) items.add(consignmentItem(co, group));
        return items;
    }

    private static boolean sameGroup(GoodsItemType a, GoodsItemType b) {
        return Objects.equals(Edi3Values.originCriteriaText(a.getOriginCriterion()), Edi3Values.originCriteriaText(b.getOriginCriterion()))
                && Objects.equals(a.getProducerReference(), b.getProducerReference());
    }

    private static ObjectNode consignmentItem(CertificateOfOriginType co, List<GoodsItemType> group) {
        GoodsItemType first = group.get(0);
        ObjectNode item = JSON.objectNode();
        String criterion = Edi3Values.originCriteriaText(first.getOriginCriterion());
        if (criterion != null) item.set("crossBorderRegulatoryProcedure", JSON.objectNode().put("originCriteriaText", criterion));
        ProducerType producer = producer(co, first.getProducerReference());
        if (producer != null) item.set("manufacturer", party(producer));
        ArrayNode lines = JSON.arrayNode();
        for (GoodsItemType g : group) lines.add(tradeLineItem(co, g));
        item.set("tradeLineItems", lines);
        return item;
    }

    private static ObjectNode tradeLineItem(CertificateOfOriginType co, GoodsItemType g) {
        ObjectNode line = JSON.objectNode();
        line.put("sequenceNumber", g.getSequenceNumber());
        if (g.getInvoiceReference() != null) {
            ObjectNode ref = JSON.objectNode();
            ref.put("iD", Edi3Values.toUri(g.getInvoiceReference(), "invoice"));
            co.getInvoice().stream().filter(i -> g.getInvoiceReference().equals(i.getNumber())
                            || (i.getSequenceNumber() != null && g.getInvoiceReference().equals(i.getSequenceNumber().toString())))
                    .map(InvoiceType::getDate).filter(Objects::nonNull).findFirst()
                    .ifPresent(d -> ref.put("formattedIssueDateTime", Edi3Values.format(d)));
            line.set("invoiceReference", ref);
        }
        ObjectNode product = JSON.objectNode();
        if (g.getDescription() != null && !g.getDescription().isBlank()) product.put("description", g.getDescription());
        if (g.getClassification() != null) {
            product.set("harmonisedTariffCode", JSON.objectNode().put("classCode", Edi3Values.classCode(g.getClassification())));
        }
        if (g.getCountryOfOrigin() != null) product.set("originCountry", country(g.getCountryOfOrigin()));
        putIfAny(line, "tradeProduct", product);
        return line;
    }

    private static ProducerType producer(CertificateOfOriginType co, String reference) {
        if (reference == null || co.getProducers() == null) return null;
        return co.getProducers().getProducer().stream()
                .filter(p -> p.getSequenceNumber() != null && reference.equals(p.getSequenceNumber().toString()))
                .findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- status notice

    /** A StatusNotice as the smallest edi3 CO the schema accepts, carrying the new status. */
    private static ObjectNode notice(HeaderType header, StatusNoticeType notice) {
        CertificateReferenceType ref = notice.getCertificate();
        ObjectNode out = JSON.objectNode();
        out.put("iD", Edi3Values.toUri(ref.getNumber(), "coo"));
        java.time.LocalDate issued = ref.getIssueDate() != null ? ref.getIssueDate()
                : header != null ? header.getDocumentIssueDate() : null;
        if (issued != null) out.put("issueDateTime", Edi3Values.format(issued));
        out.put("status", Edi3Status.of(notice.getStatus()).json());
        String agreement = header != null ? header.getAgreementId() : null;
        out.put("isPreferential", agreement != null);
        if (agreement != null) out.put("freeTradeAgreement", agreement);
        ObjectNode consignment = JSON.objectNode();
        String exporting = ref.getIssuingCountry() != null ? ref.getIssuingCountry()
                : header != null && header.getSender() != null ? header.getSender().getCountry() : null;
        if (exporting != null) consignment.set("exportCountry", country(exporting));
        if (header != null && header.getReceiver() != null) consignment.set("importCountry", country(header.getReceiver().getCountry()));
        out.set("supplyChainConsignment", consignment);
        return out;
    }

    // ---------------------------------------------------------------- parts

    private static ObjectNode party(PartyType p) {
        ObjectNode out = JSON.objectNode();
        if (!p.getId().isEmpty()) out.put("iD", Edi3Values.partyUri(p.getId().get(0)));
        out.put("name", p.getName());
        AddressType a = p.getAddress();
        if (a != null) {
            ObjectNode address = JSON.objectNode();
            if (!a.getLine().isEmpty()) address.put("line1", a.getLine().get(0));
            if (a.getLine().size() > 1) address.put("line2", String.join(", ", a.getLine().subList(1, a.getLine().size())));
            if (a.getCity() != null) address.put("cityName", a.getCity());
            if (a.getPostCode() != null) address.put("postcode", a.getPostCode());
            if (a.getCountrySubdivision() != null) address.put("countrySubDivisionName", a.getCountrySubdivision());
            if (a.getCountry() != null) address.put("countryCode", a.getCountry());
            putIfAny(out, "postalAddress", address);
        }
        return out;
    }

    private static ObjectNode country(String code) {
        return JSON.objectNode().put("code", code);
    }

    private static ObjectNode location(LocationType l) {
        ObjectNode out = JSON.objectNode();
        if (l == null) return out;
        if (l.getCode() != null) out.put("iD", Edi3Values.LOCODE_SCHEME + l.getCode());
        if (l.getName() != null) out.put("name", l.getName());
        return out;
    }

    private static ObjectNode movement(TransportType t) {
        ObjectNode out = JSON.objectNode();
        if (t.getDescription() != null) out.put("information", t.getDescription());
        if (t.getDepartureDate() != null) {
            out.set("departureEvent", JSON.objectNode().put("departureDateTime", Edi3Values.format(t.getDepartureDate())));
        }
        if (t.getMeansId() != null) out.set("usedTransportMeans", JSON.objectNode().put("name", t.getMeansId()));
        return out;
    }

    private static ObjectNode attachedFile(AttachmentType a) {
        ObjectNode out = JSON.objectNode();
        out.put("uRI", "data:" + a.getMimeType() + ";base64," + Base64.getEncoder().encodeToString(a.getContent()));
        out.put("encodingCode", "base64");
        out.put("mIMECode", a.getMimeType());
        out.put("size", String.valueOf(a.getContent().length));
        return out;
    }

    private static void putIfAny(ObjectNode parent, String field, ObjectNode child) {
        if (child != null && !child.isEmpty()) parent.set(field, child);
    }
}
