package org.originhub.format.aladi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample CODs of {@code samples/aladi-cod} and the broken ones of the test resources. */
final class AladiSamples {
    static final String A14 = "cod-4.1.0-FormA14-AR-BR.xml";
    static final String A18 = "cod-4.1.0-FormA18-AR-BR.xml";
    static final String R252 = "cod-4.1.0-FormR252-UY-MX.xml";
    static final String A18_V180 = "cod-1.8.0-FormA18-BR-UY.xml";

    private AladiSamples() {
    }

    static byte[] sample(String name) {
        try {
            // Maven runs tests from the project directory, where the samples live.
            return Files.readAllBytes(Path.of("samples/aladi-cod", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = AladiSamples.class.getResourceAsStream("/aladi-cod/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
