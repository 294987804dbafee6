package org.originhub.format.aladi;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.originhub.dataset.v1.AddressType;
import org.originhub.dataset.v1.AgreementType;
import org.originhub.dataset.v1.CertificateDocumentType;
import org.originhub.dataset.v1.CertificateFlagsType;
import org.originhub.dataset.v1.CertificateOfOriginType;
import org.originhub.dataset.v1.ContactType;
import org.originhub.dataset.v1.GoodsItemType;
import org.originhub.dataset.v1.HeaderType;
import org.originhub.dataset.v1.IdentifierType;
import org.originhub.dataset.v1.InvoiceType;
import org.originhub.dataset.v1.MeasureType;
import org.originhub.dataset.v1.PartyType;
import org.originhub.dataset.v1.ProducerStatementCode;
import org.originhub.dataset.v1.ProducerType;
import org.originhub.dataset.v1.TransportType;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.format.aladi.AladiFormLayout.Field;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes a certificate of origin of the common dataset as an (unsigned) ALADI COD of a given schema version.
 *
 * <p>It works in two steps. First it spreads the certificate over every ALADI element name that could hold each
 * value (the same FOB value as {@code GoodsItemFOB} and {@code GoodsItemValue}, the third-party operator as
 * {@code ThirdOpComments} and {@code Op3cComments}, ...). Then it walks the chosen form's content model as the XSD
 * declares it ({@link AladiFormLayout}) and writes, in schema order, exactly the elements that form has. A required
 * element with no value is a MAPPING_FAILED fault naming the element; an optional group that cannot be completed
 * is left out.
 *
 * <p>Form choice: {@code Agreement/Form} when it names a form of the target version; else the form of the
 * agreement acronym ({@code A18} → FormA18); else FormR252, the form of ALADI Resolution 252 (the general origin
 * regime), used for every agreement without a form of its own.
 */
final class AladiCodWriter {
    static final String SOAP_NS = "http://www.w3.org/2001/12/soap-envelope";
    /** The form for agreements with no form of their own: ALADI Resolution 252, the general regime of origin. */
    static final String DEFAULT_FORM = "FormR252";

    private static final Set<String> NUMERIC_FORMS = Set.of("6", "14", "18", "24", "33", "35", "36", "38", "58", "59",
            "60", "65", "67", "72", "73");
    private static final Pattern ITEM_DECLARATION = Pattern.compile(
            Pattern.quote(AladiCodReader.ITEM_DECLARATION) + "(?: N° (\\d+))?(?: del (\\d{4}-\\d{2}-\\d{2}))?");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    /** Text for a required value the certificate does not have. */
    static final String NOT_PROVIDED = "NO INFORMADO";

    private final Document doc;
    private final java.util.function.Consumer<String> warnings;

    private AladiCodWriter(Document doc, java.util.function.Consumer<String> warnings) {
        this.doc = doc;
        this.warnings = warnings;
    }

    /** The form of {@code version} that renders this certificate (see the class comment). */
    static String formFor(CertificateOfOriginType co, String version) {
        AgreementType agreement = co.getDocument().getAgreement();
        if (agreement != null && agreement.getForm() != null && agreement.getForm().startsWith("Form")
                && AladiFormLayout.form(version, agreement.getForm()) != null) {
            return agreement.getForm();
        }
        String id = agreement != null ? agreement.getId() : null;
        if (id != null && id.matches("A\\d{2}")) {
            String number = String.valueOf(Integer.parseInt(id.substring(1)));
            if (NUMERIC_FORMS.contains(number) && AladiFormLayout.form(version, "FormA" + number) != null) {
                return "FormA" + number;
            }
        }
        return DEFAULT_FORM;
    }

    /**
     * The COD for {@code co}, without signatures (the caller signs). {@code defaultEhUrl} fills the mandatory
     * {@code EHURL} when the issuing authority has no URL.
     */
    static Document write(CertificateOfOriginType co, HeaderType header, String version, String codVer, String defaultEhUrl) {
        return write(co, header, version, codVer, defaultEhUrl, w -> { });
    }

    /** As above, reporting each required element written with a default because the certificate lacked it. */
    static Document write(CertificateOfOriginType co, HeaderType header, String version, String codVer, String defaultEhUrl,
                          java.util.function.Consumer<String> warnings) {
        Document doc = newDocument();
        return new AladiCodWriter(doc, warnings).build(co, header, version, codVer, defaultEhUrl);
    }

    private Document build(CertificateOfOriginType co, HeaderType header, String version, String codVer, String defaultEhUrl) {
        CertificateDocumentType d = co.getDocument();
        String formName = formFor(co, version);
        Element envelope = doc.createElementNS(SOAP_NS, "soap:Envelope");
        doc.appendChild(envelope);
        Element certOrigin = (Element) envelope.appendChild(doc.createElementNS(SOAP_NS, "soap:CertOrigin"));
        Element codeh = (Element) certOrigin.appendChild(doc.createElementNS(null, "CODEH"));
        codeh.setAttributeNS(null, "id", "CODEH");
        Element exporter = (Element) codeh.appendChild(doc.createElementNS(null, "CODExporter"));
        Element cod = (Element) exporter.appendChild(doc.createElementNS(null, "COD"));
        cod.setAttributeNS(null, "id", "COD");
        simple(cod, "CODVer", codVer);
        simple(cod, "CODSubmitterType", "EXP");
        AgreementType agreement = d.getAgreement();
        String acronym = agreement != null ? agreement.getId() : header != null ? header.getAgreementId() : null;
        if (acronym == null) {
            throw new MessageRejectedException(RejectionReason.MAPPING_FAILED, "an ALADI COD needs the agreement's acronym");
        }
        Element agreementEl = (Element) cod.appendChild(doc.createElementNS(null, "Agreement"));
        simple(agreementEl, "AgreementName", agreement != null && agreement.getName() != null ? agreement.getName() : acronym);
        simple(agreementEl, "AgreementAcronym", acronym);

        emitRequired(cod, AladiFormLayout.form(version, formName), formValues(co, formName, acronym, version), "COD");
        emitRequired(codeh, AladiFormLayout.form(version, "EH"), ehValues(co, header, defaultEhUrl), "CODEH");
        V cert = new V("CertificationEH");
        cert.add("CertificateControlCode", d.getControlCode());
        cert.add("CertificateDate", DATE_TIME.format(d.getIssueDateTime()));
        cert.add("CertificateID", d.getNumber());
        cert.fallback("CertificateID", aladiCertificateId(d.getNumber(), header));
        emitRequired(codeh, AladiFormLayout.form(version, "CertificationEH"), root(cert), "CODEH");
        return doc;
    }

    // ------------------------------------------------------------------ values in ALADI naming

    private V formValues(CertificateOfOriginType co, String formName, String acronym, String version) {
        CertificateDocumentType d = co.getDocument();
        V form = new V(formName);
        party(form.node("Exporter"), "Exporter", co.getExporter(), d.getExportingCountry());
        producers(form, co);
        V subscriber = form.node("Subscriber");
        String signatory = d.getExporterDeclaration() != null ? d.getExporterDeclaration().getSignatory() : null;
        subscriber.add("SubscriberSubmitterName", signatory);
        subscriber.fallback("SubscriberSubmitterName", co.getExporter().getName());
        V representative = form.node("Representative");
        representative.add("RepresentativeSubmitterName", signatory);

        V invoices = form.node("Invoices");
        InvoiceType thirdPartyInvoice = null;
        int n = 0;
        for (InvoiceType i : co.getInvoice()) {
            if (Boolean.TRUE.equals(i.isThirdParty())) {
                thirdPartyInvoice = thirdPartyInvoice == null ? i : thirdPartyInvoice;
                continue;
            }
            n++;
            V inv = invoices.node("Invoice");
            inv.add("InvoiceOrderNo", i.getSequenceNumber() != null ? i.getSequenceNumber() : BigInteger.valueOf(n));
            inv.add("InvoiceNo", i.getNumber());
            inv.add("InvoiceDate", dateTime(i.getDate()));
        }
        invoices.add("InvoiceQty", n > 0 ? n : null);

        V goods = form.node("GoodsList");
        goods.add("GoodsQty", co.getGoodsItem().size());
        LocalDate declared = d.getExporterDeclaration() != null && d.getExporterDeclaration().getDate() != null
                ? d.getExporterDeclaration().getDate() : d.getIssueDateTime().toLocalDate();
        for (GoodsItemType item : co.getGoodsItem()) {
            goods.kids.add(goods(item, d, declared));
        }

        party(form.node("Importer"), "Importer", co.getImporter(), d.getImportingCountry());
        if (co.getConsignee() != null) {
            party(form.node("Consignee"), "Consignee", co.getConsignee(), null);
        } else {
            // 1.8.0 FormA18 requires a consignee: without one, the goods go to the importer.
            V consignee = form.node("Consignee");
            consignee.isFallback = true;
            party(consignee, "Consignee", co.getImporter(), d.getImportingCountry());
        }
        transport(form.node("Transport"), co.getTransport(), d.getImportingCountry());

        V comments = form.node("Comments");
        List<String> general = new ArrayList<>();
        for (String remark : d.getRemarks()) {
            if (remark.startsWith(AladiCodReader.PAC_REMARK)) {
                comments.add("PACComments", remark.substring(AladiCodReader.PAC_REMARK.length()));
            } else if (!remark.startsWith(AladiCodReader.EH_REMARK)) {
                general.add(remark);
            }
        }
        comments.add("GeneralComments", general.isEmpty() ? null : String.join("\n", general));
        comments.kids.add(thirdParty("ThirdOp", d.getFlags(), thirdPartyInvoice, false));
        comments.kids.add(thirdParty("Op3c", d.getFlags(), thirdPartyInvoice, false));
        // FormA60 carries ThirdOpComments beside Comments, and requires it with its statement
        form.kids.add(thirdParty("ThirdOp", d.getFlags(), thirdPartyInvoice, true));
        String edition = co.getGoodsItem().get(0).getClassification() != null
                ? co.getGoodsItem().get(0).getClassification().getHsEdition() : null;
        if (edition != null && !edition.equals(AladiCodes.nomenclature(acronym))) comments.add("HSVer", edition);

        V declaration = form.node("Declaration");
        declaration.fallback("CountryOfOrigin", co.getGoodsItem().get(0).getCountryOfOrigin() != null
                ? co.getGoodsItem().get(0).getCountryOfOrigin() : d.getExportingCountry());
        declaration.add("DeclarationDate", dateTime(declared));
        String affidavit = d.getExporterDeclaration() != null ? d.getExporterDeclaration().getText() : null;
        declaration.add("Affidavit", affidavit);
        declaration.fallback("Affidavit", ""); // required by 4.1.0, and may be empty
        return root(form);
    }

    private V goods(GoodsItemType item, CertificateDocumentType d, LocalDate declared) {
        V g = new V("Goods");
        g.add("GoodsOrderNo", item.getSequenceNumber());
        if (item.getInvoiceReference() != null && item.getInvoiceReference().matches("\\d{1,5}")) {
            g.add("GoodsInvoiceOrderNo", item.getInvoiceReference());
        }
        if (item.getClassification() != null) {
            String code = item.getClassification().getNationalCode() != null
                    ? item.getClassification().getNationalCode() : item.getClassification().getHsCode();
            g.add("GoodsItemCode", code.replaceAll("\\D", ""));
        }
        g.add("GoodsItemName", item.getDescription());
        MeasureType amount = item.getNetWeight() != null ? item.getNetWeight()
                : item.getQuantity() != null ? item.getQuantity() : item.getGrossWeight();
        if (amount != null) {
            g.add("GoodsItemWeightAmount", scaled(amount.getValue(), 4));
            g.add("GoodsItemMeasureUnit", AladiCodes.aladiUnit(amount.getUnitCode()));
        }
        if (item.getValue() != null) {
            g.add("GoodsItemFOB", scaled(item.getValue().getValue(), 2));
            g.add("GoodsItemValue", scaled(item.getValue().getValue(), 2));
        }
        if (item.getOriginCriterion() != null) {
            g.fallback("GoodsItemRVC", "RVC".equals(item.getOriginCriterion().getCode()) ? "VT" : "NO");
            g.add("GoodsItemOriginRules", item.getOriginCriterion().getText() != null
                    ? item.getOriginCriterion().getText() : item.getOriginCriterion().getCode());
        }
        V others = g.node("GoodsItemOtherInstancesList");
        CertificateFlagsType flags = d.getFlags();
        if (flags != null && Boolean.TRUE.equals(flags.isAccumulation())) others.add("GoodsItemOtherInstances", "ACU");
        if (flags != null && Boolean.TRUE.equals(flags.isDeMinimis())) others.add("GoodsItemOtherInstances", "DMI");
        others.fallback("GoodsItemOtherInstances", "NO");
        g.add("GoodsProducerOrderNo", item.getProducerReference() != null && item.getProducerReference().matches("\\d{1,5}")
                ? item.getProducerReference() : null);
        // FormA18 asks for the producer's sworn declaration per item; the reader keeps it as an item remark.
        // Without that remark, the mandatory elements fall back to the exporter's declaration and the item number.
        Matcher m = item.getRemarks() != null ? ITEM_DECLARATION.matcher(item.getRemarks()) : null;
        boolean known = m != null && m.find();
        g.add("GoodsDeclarationDate", known && m.group(2) != null ? dateTime(LocalDate.parse(m.group(2))) : null);
        g.add("GoodsDeclarationNumber", known && m.group(1) != null ? m.group(1) : null);
        g.fallback("GoodsDeclarationDate", dateTime(declared));
        g.fallback("GoodsDeclarationNumber", item.getSequenceNumber());
        return g;
    }

    private void producers(V form, CertificateOfOriginType co) {
        V producers = form.node("Producers");
        int n = 0;
        if (co.getProducers() != null) {
            for (ProducerType p : co.getProducers().getProducer()) {
                n++;
                V pv = producers.node("Producer");
                pv.add("ProducerOrderNo", p.getSequenceNumber() != null ? p.getSequenceNumber() : BigInteger.valueOf(n));
                boolean same = Boolean.TRUE.equals(p.isSameAsExporter());
                boolean confidential = Boolean.TRUE.equals(p.isConfidential());
                pv.add("ProducerExporter", same ? "MISMO" : "DIFERENTE");
                if (confidential) pv.add("ProducerConfidenciality", "CONFIDENCIAL");
                if (!same && !confidential) party(pv, "Producer", p, null);
            }
        }
        if (n == 0) {
            // Only the statement is known: ALADI says it with one producer line.
            ProducerStatementCode statement = co.getProducers() != null ? co.getProducers().getStatement() : null;
            V pv = producers.node("Producer");
            pv.add("ProducerOrderNo", 1);
            pv.add("ProducerExporter", statement == null || statement == ProducerStatementCode.SAME_AS_EXPORTER ? "MISMO" : "DIFERENTE");
            pv.add("ProducerConfidenciality", statement == ProducerStatementCode.CONFIDENTIAL ? "CONFIDENCIAL" : "NO CONFIDENCIAL");
            n = 1;
        }
        producers.add("ProducerQty", n);
    }

    private static void transport(V t, TransportType transport, String importingCountry) {
        String destination = null;
        if (transport != null) {
            if (transport.getPortOfLoading() != null) {
                t.add("TransportPortOfLoading", transport.getPortOfLoading().getName() != null
                        ? transport.getPortOfLoading().getName() : transport.getPortOfLoading().getCode());
            }
            t.add("TransportMeans", transport.getDescription() != null ? transport.getDescription()
                    : AladiCodes.transportWord(transport.getMode()));
            if (transport.getPortOfDischarge() != null && transport.getPortOfDischarge().getCountry() != null) {
                destination = transport.getPortOfDischarge().getCountry();
            }
        }
        t.fallback("TransportMeans", "NO ESPECIFICADO"); // Rec 19 "0": where a form requires the means but none is known
        t.add("TransportCountryDestination", destination);
        t.fallback("TransportCountryDestination", importingCountry);
    }

    private static V thirdParty(String prefix, CertificateFlagsType flags, InvoiceType invoice, boolean alwaysState) {
        V op = new V(prefix + "Comments");
        boolean statement = flags != null && Boolean.TRUE.equals(flags.isThirdPartyInvoicing());
        op.add(prefix + "Statement", statement || alwaysState ? statement : null);
        PartyType operator = flags != null ? flags.getThirdPartyOperator() : null;
        if (operator == null && invoice != null) operator = invoice.getIssuer();
        if (operator != null) {
            AddressType a = operator.getAddress();
            op.add(prefix + "Country", a != null ? a.getCountry() : null);
            op.add(prefix + "BusinessName", operator.getName());
            op.add(prefix + "Address", a != null && !a.getLine().isEmpty() ? a.getLine().get(0) : null);
            op.add(prefix + "City", a != null ? a.getCity() : null);
        }
        if (invoice != null) {
            op.add(prefix + "InvoiceNo", invoice.getNumber());
            op.add(prefix + "InvoiceDate", dateTime(invoice.getDate()));
        }
        return op;
    }

    private V ehValues(CertificateOfOriginType co, HeaderType header, String defaultEhUrl) {
        PartyType a = co.getDocument().getIssuingAuthority();
        V eh = new V("EH");
        String ehId = a.getId().stream().filter(i -> "ALADI-EH".equals(i.getScheme())).map(IdentifierType::getValue)
                .findFirst().orElse(header != null && header.getSender() != null ? header.getSender().getAuthorityId() : null);
        eh.add("EHId", ehId);
        AddressType address = a.getAddress();
        eh.add("EHCountry", address != null && address.getCountry() != null ? address.getCountry()
                : co.getDocument().getExportingCountry());
        eh.add("EHName", a.getName());
        eh.add("EHAddress", address != null && !address.getLine().isEmpty() ? address.getLine().get(0) : null);
        String locality = address != null && address.getLine().size() > 1 ? address.getLine().get(1) : null;
        String city = address != null ? address.getCity() : null;
        eh.add("EHLocality", locality);
        eh.add("EHCity", city);
        eh.add("EHCityLocality", city != null ? city : locality);
        ContactType c = a.getContact();
        if (c != null) {
            eh.add("EHTelephone", c.getTelephone());
            eh.add("EHFax", c.getFax());
            eh.add("EHEmail", c.getEmail());
        }
        eh.add("EHURL", c != null ? c.getUrl() : null);
        eh.fallback("EHURL", defaultEhUrl);
        co.getDocument().getRemarks().stream().filter(r -> r.startsWith(AladiCodReader.EH_REMARK)).findFirst()
                .ifPresent(r -> eh.add("EHComments", r.substring(AladiCodReader.EH_REMARK.length())));
        return root(eh);
    }

    /** Exporter, Importer, Consignee, Producer: the party under the role's element names. */
    private static void party(V v, String role, PartyType p, String defaultCountry) {
        // Where a form requires a contact detail the issuing side did not give, a neutral value keeps the COD valid;
        // each use is reported (the acknowledgement then says AcceptedWithWarnings).
        v.fallback(role + "Address", NOT_PROVIDED);
        v.fallback(role + "City", NOT_PROVIDED);
        v.fallback(role + "Telephone", "000 0000 0000");
        v.fallback(role + "Email", "not.provided@example.invalid");
        if (p == null) {
            v.add(role + "Country", defaultCountry);
            return;
        }
        AddressType a = p.getAddress();
        v.add(role + "Country", a != null && a.getCountry() != null ? a.getCountry() : defaultCountry);
        v.add(role + "BusinessName", p.getName());
        String street = a != null && !a.getLine().isEmpty() ? a.getLine().get(0) : null;
        String locality = a != null && a.getLine().size() > 1 ? a.getLine().get(1) : null;
        String city = a != null ? a.getCity() : null;
        v.add(role + "Address", street);
        v.add(role + "Locality", locality != null ? locality : city);
        v.add(role + "City", city);
        v.add(role + "TaxIdentification", p.getId().stream().map(IdentifierType::getValue).findFirst().orElse(null));
        ContactType c = p.getContact();
        if (c != null) {
            v.add(role + "Telephone", c.getTelephone());
            v.add(role + "Fax", c.getFax());
            v.add(role + "Email", c.getEmail());
            v.add(role + "URL", c.getUrl());
        }
    }

    // ------------------------------------------------------------------ layout walk

    private void emitRequired(Element parent, Field field, V source, String path) {
        if (field == null) {
            throw new MessageRejectedException(RejectionReason.MAPPING_FAILED, "the target ALADI schema has no such form");
        }
        String missing = emit(parent, field, source, path);
        if (missing != null) {
            throw new MessageRejectedException(RejectionReason.MAPPING_FAILED,
                    "the ALADI COD requires " + missing + ", which the certificate does not provide");
        }
    }

    /** Writes {@code field} from {@code source}'s values of that name; returns the path of a missing required element. */
    private String emit(Element parent, Field field, V source, String path) {
        if (field.max() == 0) return null;
        String here = path + "/" + field.name();
        int written = 0;
        List<V> candidates = new ArrayList<>(source.real(field.name()));
        candidates.addAll(source.fallbacks(field.name()));
        for (V value : candidates) {
            if (written == field.max() || value.isFallback && written >= field.min()) break;
            Element e = doc.createElementNS(null, field.name());
            if (field.complex()) {
                String missing = null;
                for (Field child : field.children()) {
                    missing = emit(e, child, value, here);
                    if (missing != null) break;
                }
                if (missing != null) {
                    if (field.min() > written) return missing;
                    continue; // an optional group this certificate cannot complete is left out
                }
                if (!e.hasChildNodes() && field.min() <= written) continue;
            } else {
                String text = fit(field, value.text);
                if (text == null) continue;
                e.setTextContent(text);
                if (value.isFallback) {
                    warnings.accept("ALADI COD " + here + " is required but not in the certificate; written as '" + text + "'");
                }
            }
            parent.appendChild(e);
            written++;
        }
        if (written < field.min() && !field.complex()) {
            // A required value the certificate does not have: a neutral placeholder that the field's facets accept
            // keeps the COD valid for the single window, and the acknowledgement reports it.
            for (String placeholder : placeholdersFor(field)) {
                String text = fit(field, placeholder);
                if (text != null && text.equals(placeholder)) {
                    while (written < field.min()) {
                        Element e = doc.createElementNS(null, field.name());
                        e.setTextContent(text);
                        parent.appendChild(e);
                        written++;
                    }
                    warnings.accept("ALADI COD " + here + " is required but not in the certificate; written as '" + text + "'");
                    return null;
                }
            }
        }
        return written < field.min() ? here : null;
    }

    /**
     * An ALADI-shaped CertificateID for a CO numbered otherwise (a partner outside ALADI): issuing country, "HUB", the
     * fixed letters the pattern needs, and 8 characters of the number's SHA-256, so the same CO always gets the same
     * id. Used only when the real number does not fit the pattern; the real number stays in the message headers.
     */
    static String aladiCertificateId(String number, HeaderType header) {
        String country = header != null && header.getSender() != null ? header.getSender().getCountry() : "XX";
        String hash = org.originhub.dataset.Attachments.sha256Hex(number == null ? "" : number).substring(0, 8).toUpperCase();
        return country + "HUBA0000" + hash + "00";
    }

    /** Placeholders for a required simple value that is missing, by its XSD type, tried against the element's facets. */
    private static List<String> placeholdersFor(Field field) {
        if (field.firstEnumeration() != null) return List.of(field.firstEnumeration());
        String type = field.baseType() == null ? "string" : field.baseType();
        return switch (type) {
            case "decimal", "integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger", "double", "float" ->
                    List.of("0", "1");
            case "decimal>0", "integer>0", "int>0", "long>0", "double>0", "float>0" -> List.of("1");
            case "dateTime" -> List.of("1900-01-01T00:00:00");
            case "date" -> List.of("1900-01-01");
            default -> List.of(NOT_PROVIDED, "0", "000", "NO", "XXX");
        };
    }

    /** The value as the element's facets accept it, or null when it cannot fit. */
    private static String fit(Field field, String value) {
        if ("GoodsItemCode".equals(field.name())) {
            return AladiCodes.itemCode(value, field.pattern());
        }
        String v = value;
        if (field.maxLength() != null && v.length() > field.maxLength()) v = v.substring(0, field.maxLength()).trim();
        if (field.pattern() != null) {
            try {
                if (!Pattern.matches(field.pattern(), v)) return null;
            } catch (PatternSyntaxException e) {
                return v; // a pattern Java cannot read: the schema validation that follows has the last word
            }
        }
        return v;
    }

    private void simple(Element parent, String name, String value) {
        parent.appendChild(doc.createElementNS(null, name)).setTextContent(value);
    }

    private static String dateTime(LocalDate date) {
        return date == null ? null : date + "T00:00:00";
    }

    private static String scaled(BigDecimal value, int fractionDigits) {
        if (value == null) return null;
        BigDecimal v = value.scale() > fractionDigits ? value.setScale(fractionDigits, RoundingMode.HALF_UP) : value;
        return v.toPlainString();
    }

    private static V root(V top) {
        V r = new V("#root");
        r.kids.add(top);
        return r;
    }

    private static Document newDocument() {
        return org.originhub.xml.SecureXml.newDocument();
    }

    /** A value in ALADI naming: text, or named children (repeated names allowed, order kept). */
    private static final class V {
        final String name;
        String text;
        boolean isFallback;
        final List<V> kids = new ArrayList<>();

        V(String name) {
            this.name = name;
        }

        V node(String childName) {
            V v = new V(childName);
            kids.add(v);
            return v;
        }

        V add(String childName, Object value) {
            if (value != null) {
                V v = new V(childName);
                v.text = Objects.toString(value);
                kids.add(v);
            }
            return this;
        }

        /** A stand-in for a value the certificate lacks, written only where the form requires the element. */
        V fallback(String childName, Object value) {
            add(childName, value);
            if (value != null) kids.get(kids.size() - 1).isFallback = true;
            return this;
        }

        List<V> real(String childName) {
            return kids.stream().filter(k -> k.name.equals(childName) && !k.isFallback).toList();
        }

        /** Stand-ins, used only while a required element has fewer values than the form requires. */
        List<V> fallbacks(String childName) {
            return kids.stream().filter(k -> k.name.equals(childName) && k.isFallback).toList();
        }
    }
}
