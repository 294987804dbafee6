package org.originhub.format.edi3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.originhub.dataset.v1.IdentifierType;
import org.originhub.exchange.MessageRejectedException;

class Edi3ValuesTest {

    @ParameterizedTest
    @CsvSource({"2204.21,220421,,2204.21", "2204.21.00,220421,22042100,2204.21.00", "22,22,,22", "2204,2204,,2204",
            "22042,2204,22042,2204.2", "0901 11 10,090111,09011110,0901.11.10"})
    void readsAndWritesHsCodes(String classCode, String hs, String national, String rendered) {
        var c = Edi3Values.classification(classCode, "p");

        assertThat(c.getHsCode()).isEqualTo(hs);
        assertThat(c.getNationalCode()).isEqualTo(national);
        assertThat(Edi3Values.classCode(c)).isEqualTo(rendered);
    }

    @Test
    void refusesWhatIsNotAnHsCode() {
        assertThatThrownBy(() -> Edi3Values.classification("wine", "x.classCode"))
                .isInstanceOf(MessageRejectedException.class).hasMessageContaining("x.classCode");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"WO|WO|", "RVC 40%|RVC|40", "rvc40|RVC|40", "RVC 35,5 %|RVC|35.5", "CTH|CTH|",
            "Art. 3 a) totalmente obtido|Art. 3 a) totalmente obtido|"})
    void readsOriginCriteria(String text, String code, BigDecimal percent) {
        var oc = Edi3Values.originCriterion(text, "p");

        assertThat(oc.getCode()).isEqualTo(code);
        assertThat(oc.getPercent()).isEqualTo(percent);
        assertThat(oc.getText()).isEqualTo(text);
        assertThat(Edi3Values.originCriteriaText(oc)).isEqualTo(text);
        oc.setText(null);
        assertThat(Edi3Values.originCriteriaText(oc)).isEqualTo(code + (percent == null ? "" : " " + percent.toPlainString() + "%"));
    }

    @ParameterizedTest
    @CsvSource({"CNPJ:12345678000190,CNPJ,12345678000190", "abr.gov.au:abn:55004094599,abr.gov.au:abn,55004094599",
            "id:wfa.org.au,id,wfa.org.au", "https://example.org/party/7,,https://example.org/party/7",
            "urn:originhub:id:ACME%20SA,,ACME SA"})
    void splitsPartyIdentifiersAndJoinsThemBack(String uri, String scheme, String value) {
        IdentifierType id = Edi3Values.partyId(uri, "p");

        assertThat(id.getScheme()).isEqualTo(scheme);
        assertThat(id.getValue()).isEqualTo(value);
        assertThat(Edi3Values.partyUri(id)).isEqualTo(uri);
    }

    @ParameterizedTest
    @CsvSource({"BR-A18-2025-004522,urn:originhub:coo:BR-A18-2025-004522", "wfa.org.au:coo:WBC208897,wfa.org.au:coo:WBC208897",
            "FAT 2025/0042 ç,urn:originhub:coo:FAT%202025/0042%20%C3%A7"})
    void keepsNumbersThroughTheirUri(String number, String uri) {
        assertThat(Edi3Values.toUri(number, "coo")).isEqualTo(uri);
        assertThat(Edi3Values.fromUri(uri, "coo")).isEqualTo(number);
    }

    @Test
    void findsUnLocodes() {
        assertThat(Edi3Values.locode("unlocode:BRSSZ")).isEqualTo("BRSSZ");
        assertThat(Edi3Values.locode("https://service.unece.org/trade/locode/ARBUE")).isEqualTo("ARBUE");
        assertThat(Edi3Values.locode("gln:0614141000012")).isNull();
    }
}
