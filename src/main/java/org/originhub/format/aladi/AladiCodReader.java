package org.originhub.format.aladi;

import static org.originhub.format.aladi.AladiDom.child;
import static org.originhub.format.aladi.AladiDom.children;
import static org.originhub.format.aladi.AladiDom.path;
import static org.originhub.format.aladi.AladiDom.text;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.originhub.dataset.Attachments;
import org.originhub.dataset.v1.AddressType;
import org.originhub.dataset.v1.AgreementType;
import org.originhub.dataset.v1.AmountType;
import org.originhub.dataset.v1.AuthorityRefType;
import org.originhub.dataset.v1.BodyType;
import org.originhub.dataset.v1.CertificateDocumentType;
import org.originhub.dataset.v1.CertificateFlagsType;
import org.originhub.dataset.v1.CertificateOfOriginType;
import org.originhub.dataset.v1.CertificateStatusCode;
import org.originhub.dataset.v1.CertificationType;
import org.originhub.dataset.v1.ClassificationType;
import org.originhub.dataset.v1.ContactType;
import org.originhub.dataset.v1.DeclarationType;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.GoodsItemType;
import org.originhub.dataset.v1.HeaderType;
import org.originhub.dataset.v1.IdentifierType;
import org.originhub.dataset.v1.InvoiceType;
import org.originhub.dataset.v1.LocationType;
import org.originhub.dataset.v1.MeasureType;
import org.originhub.dataset.v1.MessageTypeCode;
import org.originhub.dataset.v1.OriginCriterionType;
import org.originhub.dataset.v1.PartyType;
import org.originhub.dataset.v1.ProducerStatementCode;
import org.originhub.dataset.v1.ProducerType;
import org.originhub.dataset.v1.ProducersType;
import org.originhub.dataset.v1.TransportType;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Maps a schema-valid ALADI COD (any form, 1.8.x or 4.1.x) to the common dataset. The forms (FormA14, FormA18,
 * FormR252, ...) differ in which elements they carry, not in how they name them, so one mapper reads them all by
 * element name and maps what is present.
 *
 * <p>The COD has no notion of replacement or amendment (neither schema has an element for it): every COD is an
 * original certificate, MessageFunction 9, status Issued.
 */
final class AladiCodReader {
    /** Prefix of a remark that came from the certifying entity's {@code EHComments}. */
    static final String EH_REMARK = "EH: ";
    /** Prefix of a remark that came from a form's {@code PACComments}. */
    static final String PAC_REMARK = "PAC: ";
    /** Item remark carrying the producer's sworn declaration of FormA18 (number and date). */
    static final String ITEM_DECLARATION = "Declaración jurada del productor";

    private AladiCodReader() {
    }

    static ExchangeEnvelope read(Document doc, byte[] original, String codVer) {
        Element codeh = path(doc.getDocumentElement(), "CertOrigin", "CODEH");
        Element cod = path(codeh, "CODExporter", "COD");
        Element eh = child(codeh, "EH");
        Element cert = child(codeh, "CertificationEH");
        Element form = children(cod, null).stream().filter(e -> AladiDom.localName(e).startsWith("Form")).findFirst()
                .orElseThrow(() -> new MessageRejectedException(RejectionReason.MAPPING_FAILED, "the COD names no form"));
        String formName = AladiDom.localName(form);

        String certificateId = text(cert, "CertificateID");
        String ehCountry = text(eh, "EHCountry");
        if (!certificateId.startsWith(ehCountry)) {
            throw new MessageRejectedException(RejectionReason.MAPPING_FAILED, "CertificateID " + certificateId
                    + " does not start with the certifying entity's country " + ehCountry);
        }
        Element exporterEl = child(form, "Exporter");
        Element importerEl = child(form, "Importer");
        Element transportEl = child(form, "Transport");
        String exportingCountry = first(text(exporterEl, "ExporterCountry"), ehCountry);
        String importingCountry = first(text(importerEl, "ImporterCountry"), text(transportEl, "TransportCountryDestination"));
        if (importingCountry == null) {
            throw new MessageRejectedException(RejectionReason.MAPPING_FAILED, "the COD names no importing country");
        }
        String acronym = text(path(cod, "Agreement"), "AgreementAcronym");
        OffsetDateTime issued = AladiCodes.dateTime(text(cert, "CertificateDate"), ehCountry);

        CertificateDocumentType d = new CertificateDocumentType();
        d.setNumber(certificateId);
        d.setTypeCode("864"); // every COD certifies preferential origin under an ALADI agreement
        AgreementType agreement = new AgreementType();
        agreement.setId(acronym);
        agreement.setName(text(path(cod, "Agreement"), "AgreementName"));
        agreement.setForm(formName);
        d.setAgreement(agreement);
        d.setPreferential(true);
        d.setIssueDateTime(issued);
        d.setIssuingAuthority(issuingAuthority(eh));
        d.setExportingCountry(exportingCountry);
        d.setImportingCountry(importingCountry);
        d.setStatus(CertificateStatusCode.ISSUED);
        Element comments = child(form, "Comments");
        addRemark(d, "", text(comments, "GeneralComments"));
        addRemark(d, PAC_REMARK, pacText(child(comments, "PACComments")));
        addRemark(d, EH_REMARK, text(eh, "EHComments"));
        d.setExporterDeclaration(declaration(form));
        CertificationType certification = new CertificationType();
        certification.setDate(issued.toLocalDate());
        certification.setPlace(first(text(eh, "EHCityLocality"), text(eh, "EHCity"), text(eh, "EHLocality")));
        d.setCertification(certification);
        d.setControlCode(text(cert, "CertificateControlCode"));

        CertificateOfOriginType co = new CertificateOfOriginType();
        co.setDocument(d);
        co.setExporter(party(exporterEl, "Exporter"));
        co.setProducers(producers(child(form, "Producers"), co.getExporter()));
        co.setImporter(party(importerEl, "Importer"));
        Element consignee = child(form, "Consignee");
        if (text(consignee, "ConsigneeBusinessName") != null) {
            co.setConsignee(party(consignee, "Consignee"));
        }
        co.setTransport(transport(transportEl));
        for (Element inv : children(child(form, "Invoices"), "Invoice")) {
            InvoiceType i = new InvoiceType();
            String order = text(inv, "InvoiceOrderNo");
            i.setSequenceNumber(order != null ? new BigInteger(order) : BigInteger.valueOf(co.getInvoice().size() + 1L));
            i.setNumber(text(inv, "InvoiceNo"));
            i.setDate(date(text(inv, "InvoiceDate"), ehCountry));
            co.getInvoice().add(i);
        }
        thirdParty(form, d, co, ehCountry);
        String edition = first(text(comments, "HSVer"), AladiCodes.nomenclature(acronym));
        String originCountry = first(text(child(form, "Declaration"), "CountryOfOrigin"), exportingCountry);
        for (Element g : children(child(form, "GoodsList"), "Goods")) {
            co.getGoodsItem().add(goods(g, edition, originCountry, d));
        }
        co.getAttachment().add(Attachments.originalDocument(original, "aladi-cod " + codVer, "application/xml",
                certificateId + ".xml"));

        ExchangeEnvelope envelope = new ExchangeEnvelope();
        envelope.setHeader(header(eh, acronym, certificateId, issued, importingCountry));
        BodyType body = new BodyType();
        body.setCertificateOfOrigin(co);
        envelope.setBody(body);
        return envelope;
    }

    private static HeaderType header(Element eh, String acronym, String number, OffsetDateTime issued, String importing) {
        HeaderType h = new HeaderType();
        h.setMessageType(MessageTypeCode.CERTIFICATE_OF_ORIGIN);
        h.setMessageFunction("9");
        AuthorityRefType sender = new AuthorityRefType();
        sender.setCountry(text(eh, "EHCountry"));
        sender.setAuthorityId(text(eh, "EHId"));
        sender.setName(text(eh, "EHName"));
        h.setSender(sender);
        AuthorityRefType receiver = new AuthorityRefType();
        receiver.setCountry(importing);
        h.setReceiver(receiver);
        h.setAgreementId(acronym);
        h.setDocumentNumber(number);
        h.setDocumentIssueDate(issued.toLocalDate());
        return h;
    }

    private static PartyType issuingAuthority(Element eh) {
        PartyType p = new PartyType();
        p.getId().add(id(text(eh, "EHId"), "ALADI-EH"));
        p.setName(text(eh, "EHName"));
        String city = first(text(eh, "EHCityLocality"), text(eh, "EHCity"));
        p.setAddress(address(text(eh, "EHAddress"), text(eh, "EHLocality"), city, text(eh, "EHCountry")));
        p.setContact(contact(text(eh, "EHTelephone"), text(eh, "EHFax"), text(eh, "EHEmail"), text(eh, "EHURL")));
        return p;
    }

    /** Exporter, Importer, Consignee, Producer: the same fields under the role's prefix. */
    private static PartyType party(Element e, String role) {
        if (e == null) return null;
        PartyType p = new PartyType();
        fillParty(p, e, role);
        return p;
    }

    private static void fillParty(PartyType p, Element e, String role) {
        String tin = text(e, role + "TaxIdentification");
        if (tin != null) p.getId().add(id(tin, "TIN"));
        p.setName(text(e, role + "BusinessName"));
        p.setAddress(address(text(e, role + "Address"), text(e, role + "Locality"), text(e, role + "City"),
                text(e, role + "Country")));
        p.setContact(contact(text(e, role + "Telephone"), text(e, role + "Fax"), text(e, role + "Email"), text(e, role + "URL")));
    }

    private static ProducersType producers(Element e, PartyType exporter) {
        List<Element> list = children(e, "Producer");
        if (list.isEmpty()) return null;
        ProducersType ps = new ProducersType();
        boolean allSame = true;
        boolean allConfidential = true;
        for (Element pe : list) {
            ProducerType p = new ProducerType();
            fillParty(p, pe, "Producer");
            boolean same = "MISMO".equals(text(pe, "ProducerExporter"));
            boolean confidential = "CONFIDENCIAL".equals(text(pe, "ProducerConfidenciality"));
            allSame &= same;
            allConfidential &= confidential;
            String order = text(pe, "ProducerOrderNo");
            if (order != null && new BigInteger(order).signum() > 0) p.setSequenceNumber(new BigInteger(order));
            p.setSameAsExporter(same);
            p.setConfidential(confidential);
            if (p.getName() == null) {
                // The dataset requires a name; ALADI leaves it out when the producer is the exporter or confidential.
                p.setName(same ? exporter.getName() : confidential ? "CONFIDENCIAL" : null);
            }
            if (p.getName() != null) ps.getProducer().add(p);
        }
        if (allSame) ps.setStatement(ProducerStatementCode.SAME_AS_EXPORTER);
        else if (allConfidential) ps.setStatement(ProducerStatementCode.CONFIDENTIAL);
        return ps;
    }

    private static TransportType transport(Element e) {
        if (e == null) return null;
        TransportType t = new TransportType();
        String means = text(e, "TransportMeans");
        if (means != null) {
            t.setMode(AladiCodes.transportMode(means));
            t.setDescription(means);
        }
        String port = text(e, "TransportPortOfLoading");
        if (port != null) {
            LocationType l = new LocationType();
            if (port.matches("[A-Z]{2}[A-Z2-9]{3}")) l.setCode(port); else l.setName(port);
            t.setPortOfLoading(l);
        }
        String destination = text(e, "TransportCountryDestination");
        if (destination != null) {
            LocationType l = new LocationType();
            l.setCountry(destination);
            t.setPortOfDischarge(l);
        }
        return t;
    }

    private static DeclarationType declaration(Element form) {
        Element decl = child(form, "Declaration");
        DeclarationType d = new DeclarationType();
        d.setDate(date(text(decl, "DeclarationDate"), null));
        Element affidavit = child(decl, "Affidavit");
        if (affidavit != null && !affidavit.getTextContent().isBlank()) d.setText(affidavit.getTextContent());
        d.setSignatory(first(text(child(form, "Subscriber"), "SubscriberSubmitterName"),
                text(child(form, "Representative"), "RepresentativeSubmitterName")));
        return d;
    }

    /** Third-party operator and invoice: {@code ThirdOpComments} or {@code Op3cComments}, in Comments or the form. */
    private static void thirdParty(Element form, CertificateDocumentType d, CertificateOfOriginType co, String country) {
        Element comments = child(form, "Comments");
        for (String prefix : new String[] {"ThirdOp", "Op3c"}) {
            Element op = first(child(comments, prefix + "Comments"), child(form, prefix + "Comments"));
            if (op == null) continue;
            boolean statement = "true".equals(text(op, prefix + "Statement")) || "1".equals(text(op, prefix + "Statement"));
            PartyType operator = null;
            if (text(op, prefix + "BusinessName") != null) {
                operator = new PartyType();
                operator.setName(text(op, prefix + "BusinessName"));
                String opCountry = text(op, prefix + "Country");
                operator.setAddress(address(text(op, prefix + "Address"), null, text(op, prefix + "City"),
                        opCountry != null && opCountry.matches("[A-Z]{2}") ? opCountry : null));
            }
            if (!statement && operator == null) continue;
            CertificateFlagsType flags = flags(d);
            flags.setThirdPartyInvoicing(statement || operator != null);
            flags.setThirdPartyOperator(operator);
            if (text(op, prefix + "InvoiceNo") != null) {
                InvoiceType i = new InvoiceType();
                i.setSequenceNumber(BigInteger.valueOf(co.getInvoice().size() + 1L));
                i.setNumber(text(op, prefix + "InvoiceNo"));
                i.setDate(date(text(op, prefix + "InvoiceDate"), country));
                i.setThirdParty(true);
                i.setIssuer(operator);
                co.getInvoice().add(i);
            }
            return;
        }
    }

    private static GoodsItemType goods(Element g, String edition, String originCountry, CertificateDocumentType d) {
        GoodsItemType item = new GoodsItemType();
        item.setSequenceNumber(new BigInteger(text(g, "GoodsOrderNo")));
        item.setDescription(text(g, "GoodsItemName"));
        String digits = text(g, "GoodsItemCode").replaceAll("\\D", "");
        ClassificationType c = new ClassificationType();
        c.setHsCode(digits.length() >= 6 ? digits.substring(0, 6) : digits.substring(0, 4));
        c.setNationalCode(digits);
        c.setHsEdition(edition.length() > 64 ? edition.substring(0, 64) : edition);
        item.setClassification(c);
        String rule = text(g, "GoodsItemOriginRules");
        if (rule != null) {
            OriginCriterionType o = new OriginCriterionType();
            o.setCode(AladiCodes.originCode(rule));
            o.setPercent(AladiCodes.originPercent(rule));
            o.setText(rule);
            item.setOriginCriterion(o);
        }
        item.setCountryOfOrigin(originCountry);
        String amount = text(g, "GoodsItemWeightAmount");
        if (amount != null) {
            MeasureType m = new MeasureType();
            m.setValue(new BigDecimal(amount));
            String unit = text(g, "GoodsItemMeasureUnit");
            String rec20 = unit == null ? null : AladiCodes.rec20Unit(unit);
            m.setUnitCode(rec20);
            if (AladiCodes.isWeight(rec20)) item.setNetWeight(m); else item.setQuantity(m);
        }
        String value = first(text(g, "GoodsItemFOB"), text(g, "GoodsItemValue"));
        if (value != null) {
            AmountType a = new AmountType();
            a.setValue(new BigDecimal(value));
            a.setCurrency("USD"); // ALADI certificates state FOB values in US dollars
            item.setValue(a);
        }
        item.setInvoiceReference(text(g, "GoodsInvoiceOrderNo"));
        item.setProducerReference(text(g, "GoodsProducerOrderNo"));
        // The producer's sworn declaration per item (number, date) has no home but an item remark.
        String declNo = text(g, "GoodsDeclarationNumber");
        LocalDate declDate = date(text(g, "GoodsDeclarationDate"), null);
        if (declNo != null || declDate != null) {
            item.setRemarks(ITEM_DECLARATION + (declNo != null ? " N° " + declNo : "") + (declDate != null ? " del " + declDate : ""));
        }
        Element others = child(g, "GoodsItemOtherInstancesList");
        for (Element o : children(others, "GoodsItemOtherInstances")) {
            String v = o.getTextContent().trim();
            if ("ACU".equals(v)) flags(d).setAccumulation(true);
            if ("DMI".equals(v)) flags(d).setDeMinimis(true);
        }
        return item;
    }

    private static CertificateFlagsType flags(CertificateDocumentType d) {
        if (d.getFlags() == null) d.setFlags(new CertificateFlagsType());
        return d.getFlags();
    }

    private static String pacText(Element pac) {
        if (pac == null) return null;
        String t = pac.getTextContent().trim().replaceAll("\\s+", " ");
        return t.isEmpty() ? null : t;
    }

    private static void addRemark(CertificateDocumentType d, String prefix, String text) {
        if (text != null) d.getRemarks().add(prefix + text);
    }

    private static IdentifierType id(String value, String scheme) {
        IdentifierType i = new IdentifierType();
        i.setValue(value);
        i.setScheme(scheme);
        return i;
    }

    /** Address lines: the street, then the locality when the form has both a locality and a city. */
    private static AddressType address(String street, String locality, String city, String country) {
        if (street == null && locality == null && city == null && country == null) return null;
        AddressType a = new AddressType();
        if (street != null) a.getLine().add(street);
        if (locality != null && city != null && !locality.equals(city)) a.getLine().add(locality);
        a.setCity(first(city, locality));
        a.setCountry(country);
        return a;
    }

    private static ContactType contact(String phone, String fax, String email, String url) {
        if (phone == null && fax == null && email == null && url == null) return null;
        ContactType c = new ContactType();
        c.setTelephone(phone);
        c.setFax(fax);
        c.setEmail(email);
        c.setUrl(url);
        return c;
    }

    private static LocalDate date(String dateTime, String country) {
        return dateTime == null ? null : AladiCodes.dateTime(dateTime, country == null ? "UY" : country).toLocalDate();
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) if (v != null) return v;
        return null;
    }
}
