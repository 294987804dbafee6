package org.originhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Folders and secret files the hub creates are owner-only from their creation; demo secrets and data folders too. */
class PrivateFilesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeTrue(PrivateFiles.isPosix(dir), "POSIX file system");
    }

    static String permissions(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void missingFoldersAreCreatedOwnerOnly() throws Exception {
        Path nested = dir.resolve("data/broker/journal");

        PrivateFiles.directory(nested);

        assertThat(permissions(dir.resolve("data"))).isEqualTo("rwx------");
        assertThat(permissions(dir.resolve("data/broker"))).isEqualTo("rwx------");
        assertThat(permissions(nested)).isEqualTo("rwx------");
    }

    @Test
    void anExistingWideFolderIsTightened() throws Exception {
        Path wide = Files.createDirectory(dir.resolve("history"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(wide, PosixFilePermissions.fromString("rwxrwxr-x"));

        PrivateFiles.directory(wide);

        assertThat(permissions(wide)).isEqualTo("rwx------");
    }

    @Test
    void aSecretIsOwnerOnlyAndReplacesAWorldReadableFileInsteadOfReusingIt() throws Exception {
        Path secret = dir.resolve("demo/secrets.properties");
        PrivateFiles.writeSecret(secret, "A=1\n".getBytes());

        assertThat(permissions(secret)).isEqualTo("rw-------");
        assertThat(permissions(secret.getParent())).isEqualTo("rwx------");
        assertThat(Files.readString(secret)).isEqualTo("A=1\n");

        // A leftover readable by others is never written into (which would expose the new content): a new file,
        // created owner-only, takes its place.
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        Object before = Files.readAttributes(secret, BasicFileAttributes.class).fileKey();
        PrivateFiles.writeSecret(secret, "A=2\n".getBytes());

        assertThat(permissions(secret)).isEqualTo("rw-------");
        assertThat(Files.readAttributes(secret, BasicFileAttributes.class).fileKey()).isNotEqualTo(before);
        assertThat(Files.readString(secret)).isEqualTo("A=2\n");
        try (Stream<Path> files = Files.list(secret.getParent())) {
            assertThat(files).as("no temporary file left").containsExactly(secret);
        }
    }

    @Test
    void demoSecretsFileAndItsFolderAreOwnerOnly() throws Exception {
        Path file = dir.resolve("data/demo/secrets.properties");
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "originhub.demo.enabled", "true",
                "originhub.demo.secrets-file", file.toString(),
                "originhub.demo.secrets[0]", "ORIGINHUB_TEST_ONLY_SECRET")));

        new DemoSecrets().postProcessEnvironment(env, null);

        assertThat(env.getProperty("ORIGINHUB_TEST_ONLY_SECRET")).isNotBlank();
        assertThat(permissions(file)).isEqualTo("rw-------");
        assertThat(permissions(file.getParent())).isEqualTo("rwx------");
    }

    @Test
    void dataFoldersOfTheConfigurationAreFoundAndMadeOwnerOnly() throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "originhub.broker.data-directory", dir.resolve("broker").toString(),
                "spring.datasource.url", "jdbc:h2:file:" + dir.resolve("history/origin-hub") + ";DB_CLOSE_ON_EXIT=FALSE")));

        PrivateDataFolders folders = new PrivateDataFolders();
        folders.setEnvironment(env);
        folders.postProcessBeanFactory(null);

        for (String f : new String[] {"broker", "broker/journal", "broker/bindings", "broker/paging", "broker/large-messages",
                "history"}) {
            assertThat(permissions(dir.resolve(f))).as(f).isEqualTo("rwx------");
        }
        assertThat(PrivateDataFolders.h2Folder("jdbc:postgresql://db/originhub")).isEmpty();
        assertThat(PrivateDataFolders.h2Folder("jdbc:h2:mem:test")).isEmpty();
        assertThat(PrivateDataFolders.h2Folder("jdbc:h2:file:~/hub/db;MODE=PostgreSQL"))
                .contains(Path.of(System.getProperty("user.home"), "hub"));
    }
}
