package org.originhub.format.aladi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.originhub.xml.SecureXml;
import org.w3c.dom.Document;

/**
 * Test utility, run by hand when a template changes: signs the unsigned COD templates of
 * {@code src/test/resources/aladi-cod/templates} with the throwaway test key (exporter's and certifying entity's
 * signature alike) and writes them, validated, to {@code samples/aladi-cod}. Run from the project directory:
 * {@code java -cp target/test-classes:target/classes:<test class path> org.originhub.format.aladi.AladiSampleGenerator}.
 */
public final class AladiSampleGenerator {
    private AladiSampleGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Path templates = Path.of("src/test/resources/aladi-cod/templates");
        Path out = Path.of("samples/aladi-cod");
        Files.createDirectories(out);
        List<Path> files;
        try (Stream<Path> s = Files.list(templates)) {
            files = s.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
        }
        for (Path template : files) {
            Document doc = SecureXml.parse(Files.readAllBytes(template));
            String codVer = AladiDom.text(AladiDom.path(doc.getDocumentElement(), "CertOrigin", "CODEH", "CODExporter", "COD"), "CODVer");
            AladiCodSigner.sign(doc, AladiTestKeys.sampleSigner());
            byte[] signed = SecureXml.serialize(doc);
            AladiSchemas.validate(signed, AladiSchemas.schemaVersionFor(codVer));
            Files.write(out.resolve(template.getFileName()), signed);
            System.out.println("signed " + out.resolve(template.getFileName()));
        }
    }
}
