package org.originhub.format.edi3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.format.FormatContext;
import org.originhub.format.NationalFormat;
import org.springframework.stereotype.Component;

/**
 * The UN/CEFACT-based JSON Certificate of Origin of the edi3 regulatory specifications ({@code edi3-json}):
 * schema in {@code src/main/resources/formats/edi3-json/}.
 *
 * <p><b>parse</b>: the JSON is read hardened ({@link Edi3JsonLimits}: 10 MB → {@code TOO_LARGE}, depth 64 and
 * string length → {@code TOO_LARGE}; duplicate keys, trailing content, non-JSON → {@code UNPARSEABLE}), checked
 * against the JSON Schema ({@code SCHEMA_INVALID} naming the path), then mapped; the original JSON travels as the
 * CO's {@code OriginalNationalDocument} attachment. The status decides the body and message function
 * ({@link Edi3Status}). <b>render</b>: CertificateOfOrigin and StatusNotice bodies become an edi3 CO (checked
 * against the same schema, pretty-printed UTF-8, fixed field order); any other body is {@code UNSUPPORTED_MESSAGE}.
 *
 * <table>
 * <caption>edi3 field ↔ common dataset</caption>
 * <tr><th>edi3</th><th>dataset</th></tr>
 * <tr><td>iD</td><td>Header/DocumentNumber, Document/Number (a number that is not a URI renders as
 *   {@code urn:originhub:coo:<number>}, and reads back without the prefix)</td></tr>
 * <tr><td>issueDateTime</td><td>Document/IssueDateTime; its date → Header/DocumentIssueDate</td></tr>
 * <tr><td>name</td><td>Document/Agreement/Form (only with an agreement)</td></tr>
 * <tr><td>status</td><td>Header/MessageType, MessageFunction, Document/Status or StatusNotice ({@link Edi3Status})</td></tr>
 * <tr><td>isPreferential</td><td>Document/Preferential; TypeCode 864 if true, 861 if false</td></tr>
 * <tr><td>freeTradeAgreement</td><td>Header/AgreementId, Document/Agreement/Id</td></tr>
 * <tr><td>issuer</td><td>Document/IssuingAuthority</td></tr>
 * <tr><td>issueLocation</td><td>Document/PlaceOfIssue (iD ending in a UN/LOCODE → Code, rendered {@code unlocode:XXXXX})</td></tr>
 * <tr><td>firstSignatoryAuthentication actualDateTime, statement</td><td>Document/ExporterDeclaration Date, Text</td></tr>
 * <tr><td>secondSignatoryAuthentication actualDateTime</td><td>Document/Certification/Date</td></tr>
 * <tr><td>attachedFile (base64 data: URI only)</td><td>Attachment (PDF → PaperForm, else Supporting)</td></tr>
 * <tr><td>supplyChainConsignment.information</td><td>Document/Remarks</td></tr>
 * <tr><td>.exportCountry.code (else issuer's address country)</td><td>Header/Sender/Country, Document/ExportingCountry</td></tr>
 * <tr><td>.importCountry.code</td><td>Header/Receiver/Country, Document/ImportingCountry</td></tr>
 * <tr><td>.exporter, .importer</td><td>Exporter, Importer</td></tr>
 * <tr><td>.loadingBaseportLocation, .unloadingBaseportLocation</td><td>Transport/PortOfLoading, PortOfDischarge</td></tr>
 * <tr><td>.mainCarriageTransportMovement information, departureEvent.departureDateTime,
 *   usedTransportMeans.name (else iD)</td><td>Transport/Description, DepartureDate, MeansId</td></tr>
 * <tr><td>.includedConsignmentItems[].crossBorderRegulatoryProcedure.originCriteriaText</td><td>OriginCriterion of
 *   each of its goods items (Text = as written; "RVC 40%" → Code RVC, Percent 40; else Code = the text)</td></tr>
 * <tr><td>.includedConsignmentItems[].manufacturer</td><td>Producers/Producer (deduplicated), GoodsItem/ProducerReference</td></tr>
 * <tr><td>...tradeLineItems[] sequenceNumber</td><td>GoodsItem/SequenceNumber (absent → running number)</td></tr>
 * <tr><td>...invoiceReference iD, formattedIssueDateTime</td><td>GoodsItem/InvoiceReference; Invoice Number, Date</td></tr>
 * <tr><td>...tradeProduct description (else harmonisedTariffCode.className)</td><td>GoodsItem/Description (empty when neither)</td></tr>
 * <tr><td>...tradeProduct.harmonisedTariffCode.classCode</td><td>Classification/HsCode (digits, first 6), NationalCode (all digits when more)</td></tr>
 * <tr><td>...tradeProduct.originCountry.code</td><td>GoodsItem/CountryOfOrigin</td></tr>
 * <tr><td>TradeParty iD, name, postalAddress line1/line2, cityName, postcode, countrySubDivisionName,
 *   countryCode</td><td>Party Id (scheme = text before the last colon), Name, Address Line, City, PostCode,
 *   CountrySubdivision, Country</td></tr>
 * </table>
 *
 * <p>Dates the dataset holds without time render as midnight UTC. Not mapped (no home on one side or the other):
 * quantities, weights, values, packages, consignee, transport mode and transit countries, HS edition, contact
 * details, the replaced CO reference, second and further party ids, the signatories' names and places,
 * {@code signature} multi-hashes, transportPackages, consignment and consignment-item ids, product ids.
 */
@Component
public class Edi3JsonFormat implements NationalFormat {

    /** A JSON document: the only JSON format the hub knows. */
    @Override
    public boolean recognises(byte[] document) {
        return org.originhub.format.Sniff.firstSignificant(document) == '{';
    }

    /** The edi3 CoO model expresses a certificate and its status (issued, replaced, cancelled...), nothing else. */
    @Override
    public boolean supports(org.originhub.dataset.v1.MessageTypeCode messageType) {
        return messageType == org.originhub.dataset.v1.MessageTypeCode.CERTIFICATE_OF_ORIGIN
                || messageType == org.originhub.dataset.v1.MessageTypeCode.STATUS_NOTICE;
    }
    public static final String NAME = "edi3-json";
    public static final String MEDIA_TYPE = "application/json";

    private final Edi3JsonReader reader;
    private final Edi3Schema schema;
    private final ObjectMapper writer = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** With the hub's default limits (the constructor Spring uses). */
    public Edi3JsonFormat() {
        this(Edi3JsonLimits.DEFAULT);
    }

    /** With other limits (tests, or a deployment that accepts less). */
    public Edi3JsonFormat(Edi3JsonLimits limits) {
        this.reader = new Edi3JsonReader(limits);
        this.schema = new Edi3Schema();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ExchangeEnvelope parse(byte[] document, FormatContext context) {
        JsonNode json = reader.read(document);
        schema.check(json);
        return new Edi3CertificateReader(json, document).read();
    }

    @Override
    public byte[] render(ExchangeEnvelope envelope, FormatContext context) {
        ObjectNode json = Edi3CertificateWriter.write(envelope);
        List<String> problems = schema.problems(json);
        if (!problems.isEmpty()) {
            throw new MessageRejectedException(RejectionReason.MAPPING_FAILED,
                    "the envelope does not give a valid edi3 CertificateOfOrigin: " + String.join("; ", problems));
        }
        try {
            return writer.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write edi3 JSON", e);
        }
    }
}
